/**
 * A {@link Coordinator} whose clients are sessions on a real ZooKeeper server (see
 * {@link ZooKeeperClient}), for running the coordinator's contract suite against Apache ZooKeeper.
 */
import { fromCode } from '../../src/common/errors.js'
import type { ConnectOptions, Coordinator, CoordinatorStats } from '../../src/coordination/types.js'
import { ZooKeeperClient, type ZooKeeperClientOptions } from './zookeeper-client.js'

/** How long {@link ZooKeeperCoordinator.expireSession} waits for the victim to notice, ms. */
const EXPIRE_WAIT_MS = 10_000

/** A Coordinator backed by a real ZooKeeper server. */
export class ZooKeeperCoordinator implements Coordinator {
  private readonly clients = new Set<ZooKeeperClient>()

  /**
   * @param connectString - `host:port` of the server
   * @param defaults - client options applied to every `connect()`
   */
  constructor(
    readonly connectString: string,
    private readonly defaults: ZooKeeperClientOptions = {},
  ) {}

  /** Open a client with a new session (it connects asynchronously; calls are queued meanwhile). */
  connect(options: ConnectOptions = {}): ZooKeeperClient {
    const client = new ZooKeeperClient(this.connectString, {
      ...this.defaults,
      ...(options.sessionTimeoutMs === undefined
        ? {}
        : { sessionTimeoutMs: options.sessionTimeoutMs }),
    })
    this.clients.add(client)
    client.on('closed', () => this.clients.delete(client))
    return client
  }

  /**
   * Expire a session now, the way Curator's KillSession does: a second connection resumes the
   * session with its id and password and closes it; the server deletes the ephemerals; the
   * victim reconnects, is told its session is gone and reports `expired`. Resolves once it has. The session must be one of this coordinator's.
   */
  async expireSession(sessionId: number): Promise<void> {
    const victim = [...this.clients].find((c) => c.sessionId === sessionId)
    if (victim === undefined) throw fromCode('UNKNOWN_SESSION', `no live session ${sessionId} here`)
    const expired = new Promise<void>((resolve, reject) => {
      if (victim.state === 'expired') return resolve()
      const timer = setTimeout(
        () => reject(fromCode('OPERATION_TIMEOUT', `session ${sessionId} did not report expiry`)),
        EXPIRE_WAIT_MS,
      )
      victim.on('expired', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    const killer = new ZooKeeperClient(this.connectString, {
      sessionTimeoutMs: victim.sessionTimeoutMs,
      sessionId: victim.sessionIdBuffer,
      sessionPassword: victim.sessionPassword,
    })
    // The victim must not reclaim the session while the killer holds it (the server moves a
    // session to the connection that claimed it last): its reconnects wait until the session is
    // closed, then it reconnects (or is disconnected to make it) and is told the session is gone.
    const release = victim.holdReconnects()
    try {
      await killer.ready
      await killer.close()
    } finally {
      release()
    }
    await expired
  }

  /** Not available: the `mntr` counts of a remote server cannot be read synchronously. */
  stats(): CoordinatorStats {
    throw fromCode('UNIMPLEMENTED', 'stats() is not available for a real ZooKeeper server')
  }

  /** Close every client's session. */
  async close(): Promise<void> {
    await Promise.all([...this.clients].map((c) => c.close()))
  }
}

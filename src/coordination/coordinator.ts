/**
 * The in-process ZooKeeper server: one {@link DataTree}, the sessions, the watches and (in disk
 * mode) the txn log. Clients call {@link InProcessCoordinator.apply} with a validated txn op: it
 * takes the next zxid, applies the txn, queues its watch events, and hands the txn to the log;
 * results then go out through the {@link DeliveryQueue}, so nobody hears of a change before it
 * is durable and before the watch events it caused.
 */
import type { Clock } from '../common/clock.js'
import { fromCode, isLogkeeperError } from '../common/errors.js'
import { InProcessClient } from './client.js'
import { ContainerReaper } from './container-reaper.js'
import type { ApplyResult, DataTree } from './data-tree.js'
import { DeliveryQueue } from './delivery-queue.js'
import { negotiateTimeout, type ResolvedCoordinatorOptions } from './options.js'
import type { GroupCommit } from './persistence/group-commit.js'
import { SessionTracker } from './session-tracker.js'
import type { TxnOp } from './txn.js'
import type {
  ConnectOptions,
  Coordinator,
  CoordinatorStats,
  WatchedEvent,
  Watcher,
} from './types.js'
import { WatchManager } from './watch-manager.js'

const DEFAULT_SESSION_TIMEOUT_MS = 10_000

/** The coordinator of memory and disk mode. Build it with `createCoordinator`. */
export class InProcessCoordinator implements Coordinator {
  /** @internal The tree (clients read it directly). */
  readonly tree: DataTree
  /** @internal Deliveries in order. */
  readonly queue = new DeliveryQueue()
  /** @internal The watch tables. */
  readonly watches: WatchManager
  /** @internal The clock. */
  readonly clock: Clock
  readonly #options: ResolvedCoordinatorOptions
  readonly #tracker: SessionTracker
  readonly #clients = new Map<number, InProcessClient>()
  readonly #reaper: ContainerReaper
  #commit: GroupCommit | undefined
  #nextSessionId: number
  #closed = false
  #failure: unknown

  /** @internal Use `createCoordinator`. */
  constructor(options: ResolvedCoordinatorOptions, tree: DataTree) {
    this.#options = options
    this.clock = options.clock
    this.tree = tree
    this.watches = new WatchManager((owner, type, path, watchers) => {
      const event = { type, path }
      this.queue.push(() => owner.notify(event, watchers))
    })
    tree.listener = this.watches
    this.#tracker = new SessionTracker(this.clock, (id) => this.#expire(id))
    this.#reaper = new ContainerReaper(this, options.containerCheckIntervalMs)
    let maxId = 0
    for (const id of tree.sessions.keys()) maxId = Math.max(maxId, id)
    const base = (1 + options.random.int(0xfffff)) * 0x1_0000_0000
    this.#nextSessionId = Math.max(base, maxId + 1)
    for (const [id, timeoutMs] of tree.sessions) this.#tracker.add(id, timeoutMs)
    this.#reaper.wake()
  }

  /** @internal Attach the disk-mode log (before any client connects). */
  attachLog(commit: GroupCommit): void {
    this.#commit = commit
  }

  /**
   * @internal Whether txns go to a log (disk mode). If not, a request's data may be handed to
   * the tree as the caller's bytes: they are copied while the call runs.
   */
  get logged(): boolean {
    return this.#commit !== undefined
  }

  /** @internal Why the coordinator can take no more calls (closed or failed), if so. */
  get unavailable(): unknown {
    if (this.#failure !== undefined) return this.#failure
    return this.#closed ? fromCode('CLOSED', 'the coordinator is closed') : undefined
  }

  /** @internal Apply a validated op as the next txn and deliver what is deliverable. */
  apply(sessionId: number, op: TxnOp): ApplyResult {
    const zxid = this.tree.lastZxid + 1
    const time = this.clock.now()
    const queue = this.queue
    queue.applied++
    const result = this.tree.applyOp(op, zxid, time)
    if (this.#commit === undefined) queue.durable++
    else this.#commit.add({ zxid, time, sessionId, op })
    queue.drain()
    if (op.type === 'create' && op.special !== 0) this.#reaper.wake()
    return result
  }

  /** @internal A request failed validation: log its error txn and reject with `error`. */
  fail<T>(sessionId: number, error: unknown): Promise<T> {
    if (!isLogkeeperError(error) || error.zookeeperCode === undefined) throw error
    this.apply(sessionId, { type: 'error', err: error.zookeeperCode })
    return this.queue.settleError(error)
  }

  /** @internal Resolve once everything applied so far is delivered. */
  settle<T>(value: T): Promise<T> {
    return this.queue.settle(value)
  }

  /** @internal Deliver removal or other client-side events in order. */
  deliver(client: InProcessClient, event: WatchedEvent, watcher: Watcher): void {
    this.queue.push(() => client.notify(event, [watcher]))
  }

  connect(options: ConnectOptions = {}): InProcessClient {
    const unavailable = this.unavailable
    if (unavailable !== undefined) throw unavailable
    if (typeof options !== 'object' || options === null) {
      throw fromCode('INVALID_ARGUMENT', 'connect options must be an object')
    }
    const requested = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS
    if (typeof requested !== 'number' || !Number.isFinite(requested) || requested <= 0) {
      throw fromCode('INVALID_ARGUMENT', `sessionTimeoutMs must be a positive number`)
    }
    const timeoutMs = negotiateTimeout(Math.floor(requested), this.#options.tickTimeMs)
    const id = this.#nextSessionId++
    const client = new InProcessClient(this, id, timeoutMs)
    this.#clients.set(id, client)
    this.apply(id, { type: 'createSession', sessionId: id, timeoutMs })
    this.#tracker.add(id, timeoutMs)
    this.queue.push(() => client.established())
    this.queue.drain()
    return client
  }

  /** @internal A heartbeat from a client. */
  touch(sessionId: number): void {
    this.#tracker.touch(sessionId)
  }

  /** @internal Close a client's session: its ephemerals go, their watches fire. */
  closeSession(client: InProcessClient): Promise<void> {
    this.#tracker.remove(client.sessionId)
    this.#clients.delete(client.sessionId)
    this.apply(client.sessionId, { type: 'closeSession', sessionId: client.sessionId })
    client.watches.clear()
    this.queue.push(() => client.ended('closed'))
    this.queue.drain()
    return this.queue.settle(undefined)
  }

  #expire(sessionId: number): void {
    if (!this.tree.sessions.has(sessionId) || this.unavailable !== undefined) return
    const client = this.#clients.get(sessionId)
    this.#clients.delete(sessionId)
    client?.lose()
    this.apply(sessionId, { type: 'closeSession', sessionId })
    if (client !== undefined) this.queue.push(() => client.ended('expired'))
    this.queue.drain()
  }

  expireSession(sessionId: number): Promise<void> {
    const unavailable = this.unavailable
    if (unavailable !== undefined) return Promise.reject(unavailable)
    this.#tracker.remove(sessionId)
    this.#expire(sessionId)
    return this.queue.settle(undefined)
  }

  stats(): CoordinatorStats {
    const tree = this.tree
    return {
      znodeCount: tree.nodeCount + 1,
      watchCount: this.watches.watchCount,
      ephemeralsCount: tree.ephemeralCount,
      approximateDataSize: tree.dataSize,
      sessionCount: tree.sessions.size,
      outstandingRequests: this.queue.size,
      lastZxid: tree.lastZxid,
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#tracker.stop()
    this.#reaper.stop()
    for (const client of this.#clients.values()) client.shutdown()
    this.#clients.clear()
    await this.#commit?.flushed()
  }

  /** @internal The txn log failed: nothing more can be acknowledged. */
  failed(cause: unknown): void {
    this.#failure = fromCode('SYSTEM_ERROR', 'the coordinator txn log failed', { cause })
    this.queue.failAll(this.#failure)
    this.#tracker.stop()
    this.#reaper.stop()
    for (const client of this.#clients.values()) client.shutdown()
    this.#clients.clear()
  }
}

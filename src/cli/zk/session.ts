/**
 * One zk shell: a session on the coordinator, zkCli's default watcher (which prints every
 * event as a `WATCHER::` block), the `printwatches` switch and the command history. The
 * one-shot `zk <command>`, the interactive `zk` prompt and (later) `shell` all drive a
 * {@link ZkSession} with {@link ZkSession.execute}.
 */
import type { Coordinator, CoordinatorClient, WatchedEvent } from '../../coordination/types.js'
import type { Output } from '../io.js'
import { type KeeperState, watchedEvent, watcherBlock } from './format.js'

/** What a zk command line came to. */
export type ZkOutcome =
  /** Done. */
  | 'ok'
  /** Failed with an error line (a KeeperException, a bad path): exit status 1. */
  | 'failed'
  /** Malformed (missing argument, unknown option or command): exit status 2. */
  | 'usage'
  /** `quit`: the shell should end. */
  | 'quit'

/** Options of a {@link ZkSession}. */
export interface ZkSessionOptions {
  /** The coordinator to open sessions on. */
  readonly coordinator: Coordinator
  /** Where data, Stat blocks and watch events go (stdout). */
  readonly out: Output
  /** Where `Created ...` and error lines go (stderr), as zkCli does. */
  readonly err: Output
  /** Where session events (`SyncConnected`, `Closed`) go: stdout in the prompt, stderr one-shot. */
  readonly sessionOut: Output
}

/** A zk shell's state. */
export class ZkSession {
  readonly coordinator: Coordinator
  readonly out: Output
  readonly err: Output
  readonly sessionOut: Output
  /** The session's client; undefined after `close` (commands then say `Not connected`). */
  client: CoordinatorClient | undefined
  /** Whether watch events are printed (`printwatches on|off`). */
  printWatches = true
  /** Command lines entered, by number (zkCli's history). */
  readonly history: string[] = []
  /** Called before and after an event is printed (an idle prompt clears and redraws itself). */
  printHooks: { before(): void; after(): void } | undefined

  /** A shell on `options.coordinator`; call {@link ZkSession.connect} to open its session. */
  constructor(options: ZkSessionOptions) {
    this.coordinator = options.coordinator
    this.out = options.out
    this.err = options.err
    this.sessionOut = options.sessionOut
  }

  /** zkCli's default watcher: prints each event (unless `printwatches off`). */
  readonly watcher = (event: WatchedEvent): void => {
    this.#print(this.out, 'SyncConnected', event.type, event.path)
  }

  #print(to: Output, state: KeeperState, type: string, path: string | null): void {
    if (!this.printWatches) return
    this.printHooks?.before()
    to.write(watcherBlock(watchedEvent(state, type, path)))
    this.printHooks?.after()
  }

  /** Open a new session, printing the `SyncConnected` event as zkCli does. */
  connect(): void {
    const client = this.coordinator.connect()
    client.on('expired', () => {
      if (this.client === client) this.client = undefined
      this.#print(this.sessionOut, 'Expired', 'None', null)
    })
    this.client = client
    this.#print(this.sessionOut, 'SyncConnected', 'None', null)
  }

  /** Close the session (its ephemerals go); `quiet` skips the `Closed` event. Idempotent. */
  async close(quiet = false): Promise<void> {
    const client = this.client
    if (client === undefined) return
    this.client = undefined
    await client.close()
    if (!quiet) this.#print(this.sessionOut, 'Closed', 'None', null)
  }
}

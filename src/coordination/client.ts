/**
 * A client handle of the in-process coordinator: one session, its watchers, its heartbeat.
 * Methods check their arguments and the session's state, then run the operation (see
 * `ops-*.ts`); every failure is a rejected promise with a coded error, and a failed call changes
 * nothing. After `close()` calls fail with CLOSED, after expiry with SESSION_EXPIRED.
 */
import { EventEmitter } from 'eventemitter3'
import type { Timer } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import type { BytesInput } from '../common/validate.js'
import { ClientWatches } from './client-watches.js'
import type { InProcessCoordinator } from './coordinator.js'
import { multi } from './ops-multi.js'
import * as read from './ops-read.js'
import { addWatch, removeWatches } from './ops-watch.js'
import * as write from './ops-write.js'
import type {
  AddWatchMode,
  CoordinatorClient,
  CoordinatorClientEvents,
  CreateOptions,
  CreateResult,
  Op,
  OpResult,
  SessionState,
  Stat,
  VersionOptions,
  WatchedEvent,
  Watcher,
  WatcherType,
  WatchOptions,
} from './types.js'

/** The in-process {@link CoordinatorClient}. Get one from `coordinator.connect()`. */
export class InProcessClient implements CoordinatorClient {
  readonly sessionId: number
  readonly sessionTimeoutMs: number
  /** @internal */
  readonly server: InProcessCoordinator
  /** @internal This client's watchers. */
  readonly watches: ClientWatches
  readonly #events = new EventEmitter<CoordinatorClientEvents>()
  #state: SessionState = 'connecting'
  #heartbeat: Timer | undefined
  #paused = false

  /** @internal Use `coordinator.connect()`. */
  constructor(server: InProcessCoordinator, sessionId: number, sessionTimeoutMs: number) {
    this.server = server
    this.sessionId = sessionId
    this.sessionTimeoutMs = sessionTimeoutMs
    this.watches = new ClientWatches(server.watches, (event, watchers) =>
      this.notify(event, watchers),
    )
    this.#beat()
  }

  on<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.#events.on(event, fn as never)
    return this
  }

  off<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.#events.off(event, fn as never)
    return this
  }

  /** Listen for one occurrence of a session event. */
  once<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.#events.once(event, fn as never)
    return this
  }

  get state(): SessionState {
    return this.#state
  }

  /** @internal Why calls fail now, or undefined when they may proceed. */
  refusal(): unknown {
    if (this.#state === 'closed') return fromCode('CLOSED', 'the client is closed')
    if (this.#state === 'expired') return fromCode('SESSION_EXPIRED', 'the session expired')
    return this.server.unavailable
  }

  #run<T>(op: () => Promise<T>): Promise<T> {
    const refusal = this.refusal()
    if (refusal !== undefined) return Promise.reject(refusal)
    try {
      return op()
    } catch (error) {
      return Promise.reject(error)
    }
  }

  create(path: string, data?: BytesInput | null, options?: CreateOptions): Promise<CreateResult> {
    return this.#run(() => write.create(this, path, data, options))
  }

  delete(path: string, options?: VersionOptions): Promise<void> {
    return this.#run(() => write.remove(this, path, options))
  }

  setData(path: string, data: BytesInput | null, options?: VersionOptions): Promise<Stat> {
    return this.#run(() => write.setData(this, path, data, options))
  }

  exists(path: string, options?: WatchOptions): Promise<Stat | null> {
    return this.#run(() => read.exists(this, path, options))
  }

  getData(path: string, options?: WatchOptions): Promise<{ data: Buffer | null; stat: Stat }> {
    return this.#run(() => read.getData(this, path, options))
  }

  getChildren(path: string, options?: WatchOptions): Promise<string[]> {
    return this.#run(() => read.getChildren(this, path, options, false))
  }

  getChildrenWithStat(
    path: string,
    options?: WatchOptions,
  ): Promise<{ children: string[]; stat: Stat }> {
    return this.#run(() => read.getChildren(this, path, options, true))
  }

  multi(ops: readonly Op[]): Promise<OpResult[]> {
    return this.#run(() => multi(this, ops))
  }

  sync(path: string): Promise<string> {
    return this.#run(() => read.sync(this, path))
  }

  getEphemerals(prefix?: string): Promise<string[]> {
    return this.#run(() => read.getEphemerals(this, prefix))
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.#run(() => read.getAllChildrenNumber(this, path))
  }

  addWatch(path: string, options: { mode: AddWatchMode }, watcher: Watcher): Promise<void> {
    return this.#run(() => addWatch(this, path, options, watcher))
  }

  removeWatches(path: string, type: WatcherType, watcher?: Watcher): Promise<void> {
    return this.#run(() => removeWatches(this, path, type, watcher))
  }

  close(): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve()
    if (this.#state === 'expired' || this.server.unavailable !== undefined) {
      this.shutdown()
      return Promise.resolve()
    }
    this.#state = 'closed'
    this.#stopHeartbeat()
    return this.server.closeSession(this)
  }

  /**
   * Testing hook: stop heartbeating, as a client cut off from its server. The session then
   * expires once its timeout passes on the coordinator's clock (taking its ephemerals).
   */
  pauseHeartbeats(): void {
    this.#paused = true
    this.#stopHeartbeat()
  }

  /** Testing hook: heartbeat again after {@link pauseHeartbeats} (if not expired yet). */
  resumeHeartbeats(): void {
    if (!this.#paused) return
    this.#paused = false
    if (this.#state === 'connecting' || this.#state === 'connected') {
      this.server.touch(this.sessionId)
      this.#beat()
    }
  }

  #beat(): void {
    this.#heartbeat = this.server.clock.setTimeout(
      () => {
        this.server.touch(this.sessionId)
        this.#beat()
      },
      Math.max(1, Math.floor(this.sessionTimeoutMs / 3)),
    )
  }

  #stopHeartbeat(): void {
    this.server.clock.clearTimeout(this.#heartbeat)
    this.#heartbeat = undefined
  }

  /** @internal Call watchers with an event; a watcher that throws is reported, not fatal. */
  notify(event: WatchedEvent, watchers: Iterable<Watcher>): void {
    for (const watcher of watchers) {
      try {
        const result: unknown = watcher(event)
        if (result instanceof Promise) result.catch((error) => this.#report(error, event))
      } catch (error) {
        this.#report(error, event)
      }
    }
  }

  #report(error: unknown, event: WatchedEvent): void {
    try {
      this.#events.emit('watcher-error', { error, event })
    } catch {
      // A failing 'watcher-error' listener must not break delivery either.
    }
  }

  /** @internal The session is established (delivered in order). */
  established(): void {
    if (this.#state !== 'connecting') return
    this.#state = 'connected'
    queueMicrotask(() => this.#events.emit('connected', { sessionId: this.sessionId }))
  }

  /** @internal The session expired: stop, drop the watches (it hears nothing more). */
  lose(): void {
    this.#state = 'expired'
    this.#stopHeartbeat()
    this.watches.clear()
  }

  /** @internal The session ended (delivered in order after its last events). */
  ended(how: 'closed' | 'expired'): void {
    queueMicrotask(() => this.#events.emit(how, { sessionId: this.sessionId }))
  }

  /** @internal The coordinator closed: stop without a txn (disk mode keeps the session). */
  shutdown(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#stopHeartbeat()
    this.watches.clear()
    this.ended('closed')
  }
}

/**
 * A CoordinatorClient wrapper for recipe tests: counts the watches a client sets and the
 * events they deliver, and can lose the reply of a create (the create happens, then the call
 * fails with CONNECTION_LOSS), as a connection dropping mid-request would.
 */
import { fromCode } from '../../../src/common/errors.js'
import type { BytesInput } from '../../../src/common/validate.js'
import type {
  AddWatchMode,
  CoordinatorClient,
  CoordinatorClientEvents,
  CreateOptions,
  Op,
  VersionOptions,
  WatchedEvent,
  Watcher,
  WatcherType,
  WatchOptions,
} from '../../../src/coordination/index.js'

/** A watch the spied client set. */
export interface SpiedWatch {
  readonly op: 'exists' | 'getData' | 'getChildren'
  readonly path: string
}

/** Wraps a client; see the file comment. */
export class SpyClient implements CoordinatorClient {
  readonly inner: CoordinatorClient
  readonly watches: SpiedWatch[] = []
  readonly fired: WatchedEvent[] = []
  /** Sequential creates still to answer with CONNECTION_LOSS after performing them. */
  loseCreateReplies = 0
  /** Creates performed whose reply was lost. */
  lostCreates: string[] = []

  constructor(inner: CoordinatorClient) {
    this.inner = inner
  }

  get sessionId() {
    return this.inner.sessionId
  }
  get sessionTimeoutMs() {
    return this.inner.sessionTimeoutMs
  }
  get state() {
    return this.inner.state
  }

  readonly #wrappers = new WeakMap<Watcher, Watcher>()

  #spy(op: SpiedWatch['op'], path: string, options?: WatchOptions): WatchOptions | undefined {
    const watch = options?.watch
    if (watch === undefined) return options
    this.watches.push({ op, path })
    let wrapper = this.#wrappers.get(watch)
    if (wrapper === undefined) {
      wrapper = (event) => {
        if (!event.type.endsWith('Removed')) this.fired.push(event)
        watch(event)
      }
      this.#wrappers.set(watch, wrapper)
    }
    return { watch: wrapper }
  }

  async create(path: string, data?: BytesInput | null, options?: CreateOptions) {
    const result = await this.inner.create(path, data, options)
    if (this.loseCreateReplies > 0 && options?.mode?.endsWith('sequential')) {
      this.loseCreateReplies--
      this.lostCreates.push(result.path)
      throw fromCode('CONNECTION_LOSS', 'reply lost (test)')
    }
    return result
  }
  delete(path: string, options?: VersionOptions) {
    return this.inner.delete(path, options)
  }
  exists(path: string, options?: WatchOptions) {
    return this.inner.exists(path, this.#spy('exists', path, options))
  }
  getData(path: string, options?: WatchOptions) {
    return this.inner.getData(path, this.#spy('getData', path, options))
  }
  setData(path: string, data: BytesInput | null, options?: VersionOptions) {
    return this.inner.setData(path, data, options)
  }
  getChildren(path: string, options?: WatchOptions) {
    return this.inner.getChildren(path, this.#spy('getChildren', path, options))
  }
  getChildrenWithStat(path: string, options?: WatchOptions) {
    return this.inner.getChildrenWithStat(path, this.#spy('getChildren', path, options))
  }
  multi(ops: readonly Op[]) {
    return this.inner.multi(ops)
  }
  sync(path: string) {
    return this.inner.sync(path)
  }
  getEphemerals(prefix?: string) {
    return this.inner.getEphemerals(prefix)
  }
  getAllChildrenNumber(path: string) {
    return this.inner.getAllChildrenNumber(path)
  }
  addWatch(path: string, options: { mode: AddWatchMode }, watcher: Watcher) {
    return this.inner.addWatch(path, options, watcher)
  }
  removeWatches(path: string, type: WatcherType, watcher?: Watcher) {
    const wrapper = watcher === undefined ? undefined : (this.#wrappers.get(watcher) ?? watcher)
    return this.inner.removeWatches(path, type, wrapper)
  }
  on<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.inner.on(event, fn)
    return this
  }
  off<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.inner.off(event, fn)
    return this
  }
  close() {
    return this.inner.close()
  }
}

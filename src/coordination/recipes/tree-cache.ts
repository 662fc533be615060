/**
 * A local copy of a subtree kept up to date (Curator's `CuratorCache`): one persistent
 * recursive watch on the root tells of every create, delete and data change below it; each
 * event is answered by reading that node again (or dropping it and its descendants), one read
 * at a time, so events come out in the tree's order. After a session renewal the whole subtree
 * is read again and the differences are sent as events.
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode, InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient, WatchedEvent } from '../types.js'
import { applyRead, type CachedNode, type CacheEvents, type CacheState } from './cache-events.js'
import { type ClientSource, SessionHolder } from './client-source.js'
import { SerialTasks } from './serial-tasks.js'
import { isAlive, type SessionEnd } from './session.js'
import { checkBasePath, joinPath } from './znode-paths.js'

/**
 * Keeps a copy of the subtree at `path` (the root included).
 *
 * @example
 * ```ts
 * const tree = new TreeCache(() => coordinator.connect(), '/config')
 * tree.on('changed', ({ node }) => console.log(node.path, String(node.data)))
 * await tree.start()
 * tree.get('/config/app')?.data
 * ```
 */
export class TreeCache extends EventEmitter<CacheEvents> {
  /** The subtree's root. */
  readonly path: string
  readonly #session: SessionHolder
  readonly #nodes = new Map<string, CachedNode>()
  #state: CacheState = 'latent'
  #generation = 0
  readonly #tasks = new SerialTasks(
    (generation) => generation === this.#generation && this.#state === 'started',
    (error, generation) => {
      if (generation === this.#generation && isAlive(this.#session.client)) {
        this.emit('error', { error })
      }
    },
  )
  readonly #watcher = (event: WatchedEvent) => this.#onEvent(event)

  /**
   * A cache of the subtree at `path`; nothing is read until {@link TreeCache.start}.
   *
   * @param client - a client, or a factory of clients so the cache can re-read after its session expires
   * @param path - the subtree's root (it may not exist yet)
   */
  constructor(client: ClientSource, path: string) {
    super()
    this.path = checkBasePath(path)
    this.#session = new SessionHolder(client, (how) => this.#sessionEnded(how))
  }

  /** The state: `latent` → `started` → `closed`, or `lost` after the session ended. */
  get state(): CacheState {
    return this.#state
  }

  /** The cached node at `path`, if any. */
  get(path: string): CachedNode | undefined {
    return this.#nodes.get(path)
  }

  /** The names of the cached children of `path`, sorted. */
  children(path: string): string[] {
    const prefix = path.endsWith('/') ? path : `${path}/`
    const out: string[] = []
    for (const key of this.#nodes.keys()) {
      if (key.startsWith(prefix) && !key.includes('/', prefix.length)) {
        out.push(key.slice(prefix.length))
      }
    }
    return out.sort()
  }

  /** Every cached node, by path. */
  get nodes(): ReadonlyMap<string, CachedNode> {
    return this.#nodes
  }

  /** Watch the subtree and read it; resolves after `initialized`. */
  async start(): Promise<void> {
    if (this.#state !== 'latent') {
      throw new InvalidArgumentError(`start() needs state latent, not ${this.#state}`)
    }
    if (!isAlive(this.#session.client)) {
      if (!this.#session.renewable) throw fromCode('SESSION_EXPIRED', 'the session is over')
      this.#session.renew()
    }
    this.#state = 'started'
    await this.#tasks.run(this.#generation, () => this.#reload(true), true)
    this.emit('initialized', { size: this.#nodes.size })
  }

  #enqueue(task: () => Promise<void>): void {
    void this.#tasks.run(this.#generation, task)
  }

  #onEvent(event: WatchedEvent): void {
    if (event.type === 'NodeDeleted') this.#enqueue(async () => this.#drop(event.path))
    else if (event.type === 'NodeCreated' || event.type === 'NodeDataChanged') {
      this.#enqueue(async () => {
        await this.#read(event.path, this.#session.client, false)
      })
    }
  }

  /** Watch, then read the whole subtree; drop what is no longer there. */
  async #reload(quiet: boolean): Promise<void> {
    const client = this.#session.client
    await client.addWatch(this.path, { mode: 'persistent-recursive' }, this.#watcher)
    const seen = new Set<string>()
    await this.#load(this.path, client, seen, quiet)
    for (const path of [...this.#nodes.keys()]) {
      if (!seen.has(path)) applyRead(this.#nodes, path, undefined, this, quiet)
    }
  }

  async #load(
    path: string,
    client: CoordinatorClient,
    seen: Set<string>,
    quiet: boolean,
  ): Promise<void> {
    if (!(await this.#read(path, client, quiet))) return
    seen.add(path)
    let children: string[]
    try {
      children = await client.getChildren(path)
    } catch (error) {
      if (isLogkeeperError(error, 'NO_NODE')) return
      throw error
    }
    for (const child of children.sort())
      await this.#load(joinPath(path, child), client, seen, quiet)
  }

  /** Read one node into the copy; false when it does not exist. */
  async #read(path: string, client: CoordinatorClient, quiet: boolean): Promise<boolean> {
    try {
      const { data, stat } = await client.getData(path)
      applyRead(this.#nodes, path, { path, data, stat }, this, quiet)
      return true
    } catch (error) {
      if (!isLogkeeperError(error, 'NO_NODE')) throw error
      this.#drop(path)
      return false
    }
  }

  /** Remove a node and its descendants, deepest first. */
  #drop(path: string): void {
    const prefix = `${path}/`
    const doomed = [...this.#nodes.keys()].filter((p) => p === path || p.startsWith(prefix))
    doomed.sort((a, b) => b.length - a.length)
    for (const p of doomed) applyRead(this.#nodes, p, undefined, this, false)
  }

  #sessionEnded(how: SessionEnd): void {
    if (this.#state !== 'started') return
    this.#generation++
    if (this.#session.renewable) {
      this.#session.renew()
      this.#enqueue(() => this.#reload(false))
      return
    }
    this.#state = 'lost'
    this.emit('lost', { reason: how })
  }

  /** Stop watching (the copy stays readable). Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#generation++
    const client = this.#session.client
    if (isAlive(client)) {
      await client.removeWatches(this.path, 'persistent-recursive', this.#watcher).catch(() => {})
    }
    await this.#tasks.idle()
    await this.#session.close()
  }
}

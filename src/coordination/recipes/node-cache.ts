/**
 * A local copy of one znode kept up to date through watches (Curator's `NodeCache`), for the
 * "settings in a znode, every app watches it" use. Reads leave one watch: a data watch while
 * the node exists, an exists watch while it does not (to hear its creation). Reads run one
 * at a time, so events come out in the tree's order.
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode, InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient } from '../types.js'
import { applyRead, type CachedNode, type CacheEvents, type CacheState } from './cache-events.js'
import { type ClientSource, SessionHolder } from './client-source.js'
import { SerialTasks } from './serial-tasks.js'
import { isAlive, type SessionEnd } from './session.js'
import { checkBasePath } from './znode-paths.js'

/**
 * Keeps {@link NodeCache.current} equal to the node at `path`.
 *
 * @example
 * ```ts
 * const settings = new NodeCache(() => coordinator.connect(), '/config/app')
 * settings.on('changed', ({ node }) => apply(JSON.parse(String(node.data))))
 * await settings.start()
 * ```
 */
export class NodeCache extends EventEmitter<CacheEvents> {
  /** The cached node's path. */
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
  readonly #watcher = () => void this.#enqueue(() => this.#refresh(false))

  /**
   * A cache of the node at `path`; nothing is read until {@link NodeCache.start}.
   *
   * @param client - a client, or a factory of clients so the cache can re-read after its session expires
   * @param path - the node to mirror (it may not exist yet)
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

  /** The node as last read, or undefined when it does not exist. */
  get current(): CachedNode | undefined {
    return this.#nodes.get(this.path)
  }

  /** Read the node and start watching it; resolves after `initialized`. */
  async start(): Promise<void> {
    if (this.#state !== 'latent') {
      throw new InvalidArgumentError(`start() needs state latent, not ${this.#state}`)
    }
    if (!isAlive(this.#session.client)) {
      if (!this.#session.renewable) throw fromCode('SESSION_EXPIRED', 'the session is over')
      this.#session.renew()
    }
    this.#state = 'started'
    await this.#tasks.run(this.#generation, () => this.#refresh(true), true)
    this.emit('initialized', { size: this.#nodes.size })
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    return this.#tasks.run(this.#generation, task)
  }

  async #refresh(quiet: boolean): Promise<void> {
    const generation = this.#generation
    const client: CoordinatorClient = this.#session.client
    for (;;) {
      try {
        const { data, stat } = await client.getData(this.path, { watch: this.#watcher })
        if (generation !== this.#generation) return
        return applyRead(this.#nodes, this.path, { path: this.path, data, stat }, this, quiet)
      } catch (error) {
        if (!isLogkeeperError(error, 'NO_NODE')) throw error
      }
      const stat = await client.exists(this.path, { watch: this.#watcher })
      if (generation !== this.#generation) return
      if (stat === null) return applyRead(this.#nodes, this.path, undefined, this, quiet)
    }
  }

  #sessionEnded(how: SessionEnd): void {
    if (this.#state !== 'started') return
    this.#generation++
    if (this.#session.renewable) {
      this.#session.renew()
      void this.#enqueue(() => this.#refresh(false))
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
      await client.removeWatches(this.path, 'any', this.#watcher).catch(() => {})
    }
    await this.#tasks.idle()
    await this.#session.close()
  }
}

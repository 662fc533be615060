/**
 * A service registry (in the spirit of Curator's `ServiceDiscovery`): each instance is an
 * ephemeral node `<basePath>/<service>/<id>` holding its data as text (e.g. `host:port`), so it
 * disappears with its process's session. A {@link TreeCache} of `basePath` keeps the list
 * current and tells of changes. With a client factory, registrations are made again on the
 * fresh session after an expiry.
 */
import { EventEmitter } from 'eventemitter3'
import { InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { CachedNode } from './cache-events.js'
import { type ClientSource, SessionHolder } from './client-source.js'
import { type RecipeOptions, type ResolvedRecipeOptions, resolveRecipeOptions } from './options.js'
import { deleteOwned } from './protected-create.js'
import { isAlive } from './session.js'
import { TreeCache } from './tree-cache.js'
import { checkBasePath, ensureParents, joinPath } from './znode-paths.js'

/** One registered instance. */
export interface ServiceInstance {
  /** The service's name. */
  readonly name: string
  /** The instance's id. */
  readonly id: string
  /** The instance's data as text, or null. */
  readonly data: string | null
  /** Its node. */
  readonly path: string
}

/** Events of a {@link ServiceRegistry}. */
export interface ServiceRegistryEvents {
  /** The instances of a service changed; `instances` is its new list. */
  change: (event: { readonly name: string; readonly instances: ServiceInstance[] }) => void
  /** A background step failed. */
  error: (event: { readonly error: unknown }) => void
}

/** A registration; {@link Registration.unregister} removes it. */
export interface Registration extends ServiceInstance {
  /** Remove the instance. Idempotent. */
  unregister(): Promise<void>
}

/**
 * Register instances under `basePath` and watch everyone's.
 *
 * @example
 * ```ts
 * const registry = new ServiceRegistry(() => coordinator.connect(), '/services')
 * await registry.start()
 * await registry.register('api', 'host-1:8080')
 * registry.on('change', ({ name, instances }) => route(name, instances))
 * registry.list('api')
 * ```
 */
export class ServiceRegistry extends EventEmitter<ServiceRegistryEvents> {
  /** The registry's root. */
  readonly basePath: string
  readonly #cache: TreeCache
  readonly #session: SessionHolder
  readonly #options: ResolvedRecipeOptions
  readonly #mine = new Map<string, { name: string; id: string; data: string | null }>()
  #closed = false

  /**
   * A registry of services under `basePath`; nothing is read until {@link ServiceRegistry.start}.
   *
   * @param client - a client, or a factory of clients so registrations come back after a session expires
   * @param basePath - the registry's node; each service name is a child, each instance an ephemeral grandchild
   * @param options - clock, random and retries
   */
  constructor(client: ClientSource, basePath: string, options: RecipeOptions = {}) {
    super()
    this.basePath = checkBasePath(basePath, 'basePath')
    this.#options = resolveRecipeOptions(options)
    this.#session = new SessionHolder(client, () => this.#sessionEnded())
    this.#cache = new TreeCache(client, this.basePath)
    const changed = ({ path }: { path: string }) => this.#changed(path)
    this.#cache.on('created', ({ node }) => changed(node))
    this.#cache.on('changed', ({ node }) => changed(node))
    this.#cache.on('deleted', ({ previous }) => changed(previous))
    this.#cache.on('error', (event) => this.emit('error', event))
  }

  /** Start watching the registry; resolves once the list is loaded. */
  start(): Promise<void> {
    return this.#cache.start()
  }

  /** Register an instance of `name`; `id` defaults to a random one. */
  async register(name: string, data: string | null = null, id?: string): Promise<Registration> {
    checkName(name, 'name')
    const instanceId = id ?? this.#options.random.uuid()
    checkName(instanceId, 'id')
    const path = joinPath(joinPath(this.basePath, name), instanceId)
    await this.#create(path, data)
    this.#mine.set(path, { name, id: instanceId, data })
    return {
      name,
      id: instanceId,
      data,
      path,
      unregister: async () => {
        if (!this.#mine.delete(path)) return
        await deleteOwned(this.#session.client, path, this.#options.retries)
      },
    }
  }

  async #create(path: string, data: string | null): Promise<void> {
    const client = this.#session.client
    await ensureParents(client, path)
    try {
      await client.create(path, data, { mode: 'ephemeral' })
    } catch (error) {
      if (!isLogkeeperError(error, 'NODE_EXISTS')) throw error
      const { stat } = await client.getData(path)
      if (stat.ephemeralOwner !== client.sessionId) {
        throw new InvalidArgumentError(`${path} is registered by another session`)
      }
    }
  }

  /** The registered services' names, sorted. */
  services(): string[] {
    return this.#cache.children(this.basePath)
  }

  /** The instances of `name` (or of every service), as last seen. */
  list(name?: string): ServiceInstance[] {
    const names = name === undefined ? this.services() : [name]
    const out: ServiceInstance[] = []
    for (const service of names) {
      const dir = joinPath(this.basePath, service)
      for (const id of this.#cache.children(dir)) {
        const node = this.#cache.get(joinPath(dir, id))
        if (node !== undefined) out.push(toInstance(service, id, node))
      }
    }
    return out
  }

  #changed(path: string): void {
    const rest = path.slice(this.basePath.length + 1).split('/')
    if (rest.length !== 2 || rest[0] === undefined) return
    this.emit('change', { name: rest[0], instances: this.list(rest[0]) })
  }

  #sessionEnded(): void {
    if (this.#closed || !this.#session.renewable) return
    this.#session.renew()
    void this.#reregister()
  }

  async #reregister(): Promise<void> {
    for (const [path, { data }] of this.#mine) {
      try {
        if (isAlive(this.#session.client)) await this.#create(path, data)
      } catch (error) {
        this.emit('error', { error })
      }
    }
  }

  /** Unregister this registry's instances and stop watching. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const client = this.#session.client
    for (const path of this.#mine.keys()) {
      await deleteOwned(client, path, this.#options.retries).catch(() => {})
    }
    this.#mine.clear()
    await this.#cache.close()
    await this.#session.close()
  }
}

function toInstance(name: string, id: string, node: CachedNode): ServiceInstance {
  return { name, id, data: node.data?.toString('utf8') ?? null, path: node.path }
}

function checkName(value: unknown, what: string): void {
  if (typeof value !== 'string' || value === '' || value.includes('/')) {
    throw new InvalidArgumentError(`${what} must be a non-empty node name without /`)
  }
}

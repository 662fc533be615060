/**
 * The double barrier (Curator's `DistributedDoubleBarrier`): members enter together once
 * `memberCount` have arrived, and leave together once all have left. Each member is an
 * ephemeral child; the last to arrive creates `ready`, which everyone waits for (an exists
 * watch: the node is expected to appear). Leaving deletes the member's node and waits, on one
 * watch at a time (the highest remaining member), until no member is left.
 */
import { InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import { describe } from '../../common/validate.js'
import type { CoordinatorClient } from '../types.js'
import { type RecipeOptions, type ResolvedRecipeOptions, resolveRecipeOptions } from './options.js'
import { deleteOwned } from './protected-create.js'
import { checkWaitOptions, dropWatch, oneShot, type WaitOptions, WaitScope } from './wait-scope.js'
import { checkBasePath, ensureParents, joinPath } from './znode-paths.js'

const READY = 'ready'

/** Options of {@link DoubleBarrier}. */
export interface DoubleBarrierOptions extends RecipeOptions {
  /** This member's node name. Default: a random id. */
  id?: string
}

/**
 * One member of a double barrier at `path` for `memberCount` members (a threshold: more may
 * enter).
 *
 * @example
 * ```ts
 * const barrier = new DoubleBarrier(zk, '/barriers/batch', 3, { clock })
 * await barrier.enter({ timeoutMs: 30_000 })
 * await compute()
 * await barrier.leave({ timeoutMs: 30_000 })
 * ```
 */
export class DoubleBarrier {
  /** The barrier's node. */
  readonly path: string
  /** How many members must enter before any proceeds. */
  readonly memberCount: number
  /** This member's node. */
  readonly memberPath: string
  readonly #client: CoordinatorClient
  readonly #options: ResolvedRecipeOptions
  readonly #ready: string

  /**
   * A double barrier at `path` for `memberCount` participants (see {@link DoubleBarrierOptions}).
   */
  constructor(
    client: CoordinatorClient,
    path: string,
    memberCount: number,
    options: DoubleBarrierOptions = {},
  ) {
    if (!Number.isSafeInteger(memberCount) || memberCount < 1) {
      throw new InvalidArgumentError(
        `memberCount must be a positive integer, got ${describe(memberCount)}`,
      )
    }
    this.path = checkBasePath(path)
    this.memberCount = memberCount
    this.#client = client
    this.#options = resolveRecipeOptions(options)
    const id = options.id ?? this.#options.random.uuid()
    if (id === READY || id.includes('/') || id === '') {
      throw new InvalidArgumentError(`id must be a node name other than ${READY}`)
    }
    this.memberPath = joinPath(this.path, id)
    this.#ready = joinPath(this.path, READY)
  }

  #scope(options: WaitOptions | undefined): WaitScope {
    const wait = checkWaitOptions(options)
    return new WaitScope({ clock: this.#options.clock, options: wait, client: this.#client })
  }

  /** Enter, and wait until `memberCount` members have. A failed wait leaves again. */
  async enter(options?: WaitOptions): Promise<void> {
    const scope = this.#scope(options)
    const client = this.#client
    const shot = oneShot()
    try {
      const ready = await client.exists(this.#ready, { watch: shot.watcher })
      await ensureParents(client, this.memberPath)
      try {
        await client.create(this.memberPath, null, { mode: 'ephemeral' })
      } catch (error) {
        if (!isLogkeeperError(error, 'NODE_EXISTS')) throw error
      }
      if (ready !== null) return
      const members = (await client.getChildren(this.path)).filter((n) => n !== READY)
      if (members.length >= this.memberCount) {
        await client.create(this.#ready, null).catch((error: unknown) => {
          if (!isLogkeeperError(error, 'NODE_EXISTS')) throw error
        })
        return
      }
      if (options?.timeoutMs === 0) scope.expire()
      await scope.race(shot.fired)
    } catch (error) {
      await deleteOwned(client, this.memberPath, this.#options.retries).catch(() => {})
      throw error
    } finally {
      await dropWatch(client, this.#ready, 'data', shot)
      scope.dispose()
    }
  }

  /** Leave, and wait until every member has left. */
  async leave(options?: WaitOptions): Promise<void> {
    const scope = this.#scope(options)
    const client = this.#client
    try {
      await deleteOwned(client, this.memberPath, this.#options.retries)
      for (;;) {
        scope.check()
        let members: string[]
        try {
          members = (await client.getChildren(this.path)).filter((n) => n !== READY)
        } catch (error) {
          if (!isLogkeeperError(error, 'NO_NODE')) throw error
          members = []
        }
        if (members.length === 0) break
        if (options?.timeoutMs === 0) scope.expire()
        await this.#waitGone(joinPath(this.path, members.sort().at(-1)!), scope)
      }
      await deleteOwned(client, this.#ready, this.#options.retries)
    } finally {
      scope.dispose()
    }
  }

  async #waitGone(path: string, scope: WaitScope): Promise<void> {
    const shot = oneShot()
    try {
      await this.#client.getData(path, { watch: shot.watcher })
    } catch (error) {
      if (isLogkeeperError(error, 'NO_NODE')) return
      throw error
    }
    try {
      await scope.race(shot.fired)
    } finally {
      if (scope.error !== undefined) await dropWatch(this.#client, path, 'data', shot)
    }
  }
}

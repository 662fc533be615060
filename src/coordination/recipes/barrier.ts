/**
 * The distributed barrier (Curator's `DistributedBarrier`): while the barrier node exists,
 * {@link Barrier.wait} blocks; removing the node lets every waiter through. Waiting reads the
 * node with `getData` and a watch, so a barrier already gone leaves no watch behind, and a wait
 * that ends early removes its watch.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient } from '../types.js'
import { type RecipeOptions, type ResolvedRecipeOptions, resolveRecipeOptions } from './options.js'
import { deleteOwned } from './protected-create.js'
import { checkWaitOptions, dropWatch, oneShot, type WaitOptions, WaitScope } from './wait-scope.js'
import { checkBasePath, ensureParents } from './znode-paths.js'

/**
 * A barrier at `path`.
 *
 * @example
 * ```ts
 * const gate = new Barrier(zk, '/barriers/deploy', { clock })
 * await gate.set()                          // the coordinator closes the gate
 * await gate.wait({ timeoutMs: 60_000 })    // workers wait for it to open
 * await gate.remove()                       // open it
 * ```
 */
export class Barrier {
  /** The barrier node. */
  readonly path: string
  readonly #client: CoordinatorClient
  readonly #options: ResolvedRecipeOptions

  /**
   * A barrier at `path`: it is up while the node exists.
   *
   * @param client - the client whose session holds nothing (the barrier node is persistent)
   * @param path - the barrier's node
   * @param options - clock, random and retries
   */
  constructor(client: CoordinatorClient, path: string, options: RecipeOptions = {}) {
    this.path = checkBasePath(path)
    this.#client = client
    this.#options = resolveRecipeOptions(options)
  }

  /** Close the gate: create the (persistent) barrier node; already set is fine. */
  async set(): Promise<void> {
    await ensureParents(this.#client, this.path)
    try {
      await this.#client.create(this.path, null)
    } catch (error) {
      if (!isLogkeeperError(error, 'NODE_EXISTS')) throw error
    }
  }

  /** Open the gate: delete the barrier node; not set is fine. */
  async remove(): Promise<void> {
    await deleteOwned(this.#client, this.path, this.#options.retries)
  }

  /** Whether the barrier is set now. */
  async isSet(): Promise<boolean> {
    return (await this.#client.exists(this.path)) !== null
  }

  /**
   * Wait until the barrier is not set. Fails with TIMEOUT, ABORTED, CLOSED or
   * SESSION_EXPIRED.
   */
  async wait(options?: WaitOptions): Promise<void> {
    const wait = checkWaitOptions(options)
    const scope = new WaitScope({ clock: this.#options.clock, options: wait, client: this.#client })
    try {
      for (;;) {
        scope.check()
        const shot = oneShot()
        try {
          await this.#client.getData(this.path, { watch: shot.watcher })
        } catch (error) {
          if (isLogkeeperError(error, 'NO_NODE')) return
          throw error
        }
        if (wait.timeoutMs === 0) {
          await dropWatch(this.#client, this.path, 'data', shot)
          scope.expire()
        }
        try {
          await scope.race(shot.fired)
        } finally {
          if (scope.error !== undefined) await dropWatch(this.#client, this.path, 'data', shot)
        }
      }
    } finally {
      scope.dispose()
    }
  }
}

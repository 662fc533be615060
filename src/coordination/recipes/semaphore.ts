/**
 * The counting semaphore (Curator's `InterProcessSemaphoreV2`): at most `maxLeases` leases,
 * each an ephemeral-sequential node under `<path>/leases`. Acquirers queue on a mutex at
 * `<path>/locks`; only the mutex holder creates its lease and, if too many leases exist,
 * watches the lease list. So there is one watcher on the list, not a herd, and leases are
 * granted in queue order, each created after the previous grant (so lease czxids, the fencing
 * tokens, grow with grant order).
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode, InvalidArgumentError } from '../../common/errors.js'
import { type BytesInput, describe, toBuffer } from '../../common/validate.js'
import type { CoordinatorClient } from '../types.js'
import type { Acquirable, AcquireOptions, LockEvents } from './lock.js'
import { standardDriver } from './lock-drivers.js'
import { LockHandle, type LockLostReason } from './lock-handle.js'
import { acquireNode, type LockSpec } from './lock-internals.js'
import { type RecipeOptions, type ResolvedRecipeOptions, resolveRecipeOptions } from './options.js'
import { createProtected, deleteOwned, type ProtectedNode } from './protected-create.js'
import { checkWaitOptions, dropWatch, oneShot, WaitScope } from './wait-scope.js'
import { checkBasePath, joinPath } from './znode-paths.js'

/** Options of {@link Semaphore}. */
export interface SemaphoreOptions extends RecipeOptions {
  /** Data stored in each lease node. Default none. */
  data?: BytesInput | null
}

/**
 * A distributed counting semaphore: up to `maxLeases` holders at once.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(zk, '/semaphores/downloads', 3, { clock })
 * await using lease = await slots.acquire({ timeoutMs: 10_000 })
 * ```
 */
export class Semaphore extends EventEmitter<LockEvents> implements Acquirable {
  /** The semaphore's node. */
  readonly path: string
  /** How many leases may be held at once. */
  readonly maxLeases: number
  readonly #client: CoordinatorClient
  readonly #options: ResolvedRecipeOptions
  readonly #data: Buffer | null
  readonly #queue: LockSpec
  readonly #leases: string
  readonly #closed = new AbortController()
  readonly #held = new Set<LockHandle>()

  /**
   * A counting semaphore at `path` handing out at most `maxLeases` leases at once.
   */
  constructor(
    client: CoordinatorClient,
    path: string,
    maxLeases: number,
    options: SemaphoreOptions = {},
  ) {
    super()
    if (!Number.isSafeInteger(maxLeases) || maxLeases < 1) {
      throw new InvalidArgumentError(
        `maxLeases must be a positive integer, got ${describe(maxLeases)}`,
      )
    }
    this.path = checkBasePath(path)
    this.maxLeases = maxLeases
    this.#client = client
    this.#options = resolveRecipeOptions(options)
    this.#data = toBuffer(options.data, 'data')
    this.#leases = joinPath(this.path, 'leases')
    this.#queue = {
      client,
      parent: joinPath(this.path, 'locks'),
      name: 'lock-',
      driver: standardDriver(1),
      data: null,
      options: this.#options,
    }
  }

  /** Whether {@link Semaphore.close} was called. */
  get closed(): boolean {
    return this.#closed.signal.aborted
  }

  /** Leases this semaphore granted that are still held. */
  get handles(): readonly LockHandle[] {
    return [...this.#held].filter((h) => h.held)
  }

  /**
   * Wait for a lease. Fails with TIMEOUT, ABORTED, CLOSED or SESSION_EXPIRED, leaving no
   * lease node, queue node or watch behind.
   */
  async acquire(options?: AcquireOptions): Promise<LockHandle> {
    const wait = checkWaitOptions(options)
    if (this.closed) throw fromCode('CLOSED', 'the semaphore is closed')
    const scope = new WaitScope({
      clock: this.#options.clock,
      options: wait,
      closed: this.#closed.signal,
      client: this.#client,
    })
    const tryOnce = wait.timeoutMs === 0
    try {
      const queued = await acquireNode(this.#queue, scope, tryOnce)
      let lease: ProtectedNode
      try {
        lease = await this.#takeLease(scope, tryOnce)
      } finally {
        await deleteOwned(this.#client, queued.path, this.#options.retries).catch(() => {})
      }
      return await this.#grant(lease)
    } finally {
      scope.dispose()
    }
  }

  async #takeLease(scope: WaitScope, tryOnce: boolean): Promise<ProtectedNode> {
    const spec = { parent: this.#leases, name: 'lease-', data: this.#data }
    const lease = await createProtected(
      this.#client,
      { ...spec, mode: 'ephemeral-sequential' },
      this.#options,
    )
    try {
      for (;;) {
        scope.check()
        const shot = oneShot()
        const children = await this.#client.getChildren(this.#leases, { watch: shot.watcher })
        if (children.length <= this.maxLeases) {
          await dropWatch(this.#client, this.#leases, 'children', shot)
          return lease
        }
        if (tryOnce) {
          await dropWatch(this.#client, this.#leases, 'children', shot)
          scope.expire()
        }
        try {
          await scope.race(shot.fired)
        } finally {
          if (scope.error !== undefined) {
            await dropWatch(this.#client, this.#leases, 'children', shot)
          }
        }
      }
    } catch (error) {
      await deleteOwned(this.#client, lease.path, this.#options.retries).catch(() => {})
      throw error
    }
  }

  async #grant(lease: ProtectedNode): Promise<LockHandle> {
    const handle = new LockHandle(this.#client, lease, this.#options.retries, (h, how) =>
      this.#ended(h, how),
    )
    this.#held.add(handle)
    await handle.watchOwnNode().catch(() => {})
    if (this.closed) {
      await handle.release()
      throw fromCode('CLOSED', 'the semaphore is closed')
    }
    if (!handle.held) throw handle.signal.reason
    this.emit('acquired', { handle })
    return handle
  }

  #ended(handle: LockHandle, how: LockLostReason | 'released'): void {
    this.#held.delete(handle)
    if (how === 'released') this.emit('released', { handle })
    else this.emit('lost', { handle, reason: how })
  }

  /** Stop waiting acquires with CLOSED and release every held lease. Idempotent. */
  async close(): Promise<void> {
    if (!this.closed) this.#closed.abort()
    await Promise.all([...this.#held].map((h) => h.release()))
  }
}

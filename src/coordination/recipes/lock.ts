/**
 * The distributed mutex (Curator's `InterProcessMutex`, without reentrancy): contenders are
 * ephemeral-sequential children of the lock's node; the lowest holds the lock, each other one
 * watches only its predecessor. Grants are fair (in the order of the creates).
 *
 * Not reentrant: JavaScript has no thread to own a lock, so each `acquire()` is a contender of
 * its own, and a second `acquire()` while a handle is held waits for that handle's release
 * (bound it with `timeoutMs`). Pass the handle around instead of acquiring again.
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode } from '../../common/errors.js'
import { type BytesInput, toBuffer } from '../../common/validate.js'
import type { CoordinatorClient } from '../types.js'
import { type LockDriver, standardDriver } from './lock-drivers.js'
import { LockHandle, type LockLostReason } from './lock-handle.js'
import { acquireNode, type LockSpec } from './lock-internals.js'
import { type RecipeOptions, resolveRecipeOptions } from './options.js'
import { checkWaitOptions, type WaitOptions, WaitScope } from './wait-scope.js'
import { checkBasePath, joinPath, sortBySequence } from './znode-paths.js'

/** Options of {@link Lock}. */
export interface LockOptions extends RecipeOptions {
  /** Data stored in each contender node (e.g. who holds it, for operators). Default none. */
  data?: BytesInput | null
}

/** Options of {@link Lock.acquire}. */
export type AcquireOptions = WaitOptions

/** Events of a lock recipe. */
export interface LockEvents {
  /** A handle was granted. */
  acquired: (event: { readonly handle: LockHandle }) => void
  /** A handle was released by its owner. */
  released: (event: { readonly handle: LockHandle }) => void
  /** A handle was revoked: its session ended or its node was deleted. */
  lost: (event: { readonly handle: LockHandle; readonly reason: LockLostReason }) => void
}

/** @internal How a lock names and judges its contenders (the read-write lock's halves). */
export interface LockFlavor {
  readonly name: string
  readonly driver: LockDriver
}

const MUTEX: LockFlavor = { name: 'lock-', driver: standardDriver(1) }

/** Something that can be acquired like a lock: what the lock contract suite tests. */
export interface Acquirable {
  /** Wait for the lock; resolves with a held handle. */
  acquire(options?: AcquireOptions): Promise<LockHandle>
  /** Stop waiting acquires (CLOSED) and release every held handle. Idempotent. */
  close(): Promise<void>
}

/**
 * A distributed mutex on `path`.
 *
 * @example
 * ```ts
 * const lock = createLock(zk, '/locks/orders', { clock })
 * await using held = await lock.acquire({ timeoutMs: 5000 })
 * await db.write(row, { fencingToken: held.fencingToken })
 * ```
 */
export class Lock extends EventEmitter<LockEvents> implements Acquirable {
  /** The lock's node. */
  readonly path: string
  readonly #spec: LockSpec
  readonly #closed = new AbortController()
  readonly #held = new Set<LockHandle>()

  /**
   * A mutex at `path` (prefer {@link createLock}).
   *
   * @param client - the client whose session holds the lock's nodes
   * @param path - the lock's node; contenders are its ephemeral-sequential children
   * @param options - data for the contenders' nodes, clock, random and retries
   */
  constructor(
    client: CoordinatorClient,
    path: string,
    options: LockOptions = {},
    /** @internal */
    flavor: LockFlavor = MUTEX,
  ) {
    super()
    this.path = checkBasePath(path)
    const resolved = resolveRecipeOptions(options)
    this.#spec = {
      client,
      parent: this.path,
      name: flavor.name,
      driver: flavor.driver,
      data: toBuffer(options.data, 'data'),
      options: resolved,
    }
  }

  /** Whether {@link Lock.close} was called. */
  get closed(): boolean {
    return this.#closed.signal.aborted
  }

  /** Handles this lock granted that are still held. */
  get handles(): readonly LockHandle[] {
    return [...this.#held].filter((h) => h.held)
  }

  /**
   * Wait for the lock. Fails with TIMEOUT, ABORTED, CLOSED (the lock or client closed) or
   * SESSION_EXPIRED; a failed acquire leaves no node and no watch behind.
   */
  async acquire(options?: AcquireOptions): Promise<LockHandle> {
    const wait = checkWaitOptions(options)
    if (this.closed) throw fromCode('CLOSED', 'the lock is closed')
    const { client, options: resolved } = this.#spec
    const scope = new WaitScope({
      clock: resolved.clock,
      options: wait,
      closed: this.#closed.signal,
      client,
    })
    try {
      const node = await acquireNode(this.#spec, scope, wait.timeoutMs === 0)
      const handle = new LockHandle(client, node, resolved.retries, (h, how) => this.#ended(h, how))
      this.#held.add(handle)
      await handle.watchOwnNode().catch(() => {})
      if (this.closed) {
        await handle.release()
        throw fromCode('CLOSED', 'the lock is closed')
      }
      if (!handle.held) throw handle.signal.reason
      this.emit('acquired', { handle })
      return handle
    } finally {
      scope.dispose()
    }
  }

  #ended(handle: LockHandle, how: LockLostReason | 'released'): void {
    this.#held.delete(handle)
    if (how === 'released') this.emit('released', { handle })
    else this.emit('lost', { handle, reason: how })
  }

  /** The contender nodes' paths, in grant order (the first holds the lock). */
  async participantNodes(): Promise<string[]> {
    const { client, parent, driver } = this.#spec
    try {
      return sortBySequence(await client.getChildren(parent), driver.marker).map((n) =>
        joinPath(parent, n),
      )
    } catch (error) {
      if ((error as { code?: string }).code === 'NO_NODE') return []
      throw error
    }
  }

  /** Stop waiting acquires with CLOSED and release every held handle. Idempotent. */
  async close(): Promise<void> {
    if (!this.closed) this.#closed.abort()
    await Promise.all([...this.#held].map((h) => h.release()))
  }
}

/** A distributed mutex on `path`; see {@link Lock}. */
export function createLock(client: CoordinatorClient, path: string, options?: LockOptions): Lock {
  return new Lock(client, path, options)
}

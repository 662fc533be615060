/**
 * The distributed read-write lock (Curator's `InterProcessReadWriteLock`): readers and
 * writers are children of one node, ordered by sequence. A writer holds the lock when it is
 * first and watches its immediate predecessor; a reader holds it when no writer comes before
 * it and watches the nearest writer before it. Fair: a writer waiting blocks later readers.
 * Neither half is reentrant, and a write handle is not upgraded or downgraded.
 */
import type { CoordinatorClient } from '../types.js'
import { Lock, type LockOptions } from './lock.js'
import { READ_MARKER, readDriver, standardDriver, WRITE_MARKER } from './lock-drivers.js'

/**
 * A read-write lock on `path`: {@link ReadWriteLock.readLock} is shared,
 * {@link ReadWriteLock.writeLock} exclusive.
 *
 * @example
 * ```ts
 * const rw = new ReadWriteLock(zk, '/locks/catalog', { clock })
 * await using r = await rw.readLock.acquire({ timeoutMs: 1000 })
 * ```
 */
export class ReadWriteLock {
  /** The shared half: many readers hold it together while no writer is ahead of them. */
  readonly readLock: Lock
  /** The exclusive half. */
  readonly writeLock: Lock

  /**
   * A read-write lock at `path`: {@link ReadWriteLock.readLock} and {@link ReadWriteLock.writeLock} share its children.
   *
   * @param client - the client whose session holds the lock's nodes
   * @param path - the lock's node
   * @param options - clock, random and retries
   */
  constructor(client: CoordinatorClient, path: string, options: LockOptions = {}) {
    this.readLock = new Lock(client, path, options, {
      name: `${READ_MARKER}-`,
      driver: readDriver,
    })
    this.writeLock = new Lock(client, path, options, {
      name: `${WRITE_MARKER}-`,
      driver: standardDriver(1),
    })
  }

  /** Close both halves. Idempotent. */
  async close(): Promise<void> {
    await Promise.all([this.readLock.close(), this.writeLock.close()])
  }
}

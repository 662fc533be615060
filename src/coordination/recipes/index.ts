/**
 * Coordination recipes over the public {@link CoordinatorClient} only (as Curator's recipes
 * over the ZooKeeper client): locks, a read-write lock, a semaphore, leader election, node and
 * tree caches, barriers and a service registry.
 */

export { Barrier } from './barrier.js'
export type { CachedNode, CacheEvents, CacheState } from './cache-events.js'
export { type ClientSource, SessionHolder } from './client-source.js'
export { DoubleBarrier, type DoubleBarrierOptions } from './double-barrier.js'
export { type Participant, readParticipants } from './election-participants.js'
export {
  type ElectionEvents,
  type ElectionOptions,
  type ElectionState,
  LeaderElection,
  type RevokeReason,
} from './leader-election.js'
export {
  type Acquirable,
  type AcquireOptions,
  createLock,
  Lock,
  type LockEvents,
  type LockOptions,
} from './lock.js'
export type { LockDecision, LockDriver } from './lock-drivers.js'
export { READ_MARKER, WRITE_MARKER } from './lock-drivers.js'
export { LockHandle, type LockHandleEvents, type LockLostReason } from './lock-handle.js'
export { NodeCache } from './node-cache.js'
export type { RecipeOptions } from './options.js'
export { PROTECTED_PREFIX } from './protected-create.js'
export { ReadWriteLock } from './read-write-lock.js'
export { Semaphore, type SemaphoreOptions } from './semaphore.js'
export {
  type Registration,
  type ServiceInstance,
  ServiceRegistry,
  type ServiceRegistryEvents,
} from './service-registry.js'
export type { SessionEnd } from './session.js'
export { TreeCache } from './tree-cache.js'
export type { WaitOptions } from './wait-scope.js'

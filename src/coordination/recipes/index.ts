/**
 * Coordination recipes over the public `CoordinatorClient` only (as Curator's recipes
 * over the ZooKeeper client): {@link Lock}, {@link ReadWriteLock}, {@link Semaphore},
 * {@link LeaderElection}, {@link NodeCache}, {@link TreeCache}, {@link Barrier},
 * {@link DoubleBarrier}, {@link ServiceRegistry} and {@link MasterWorker} (the master-worker
 * example of "ZooKeeper: Distributed Process Coordination": one master through an ephemeral
 * `/master`, workers as ephemeral `/workers/<id>`, a new master taking over the same view). Nothing here imports coordinator
 * internals, so every recipe runs unchanged over any `CoordinatorClient` (the in-process one,
 * or a real ZooKeeper through an adapter).
 *
 * Semantics shared by the recipes:
 * - **Ownership is a node.** A lock handle, a semaphore lease, a leadership and a mastership
 *   are each one ephemeral(-sequential) node of the recipe's own; they end the instant that
 *   node's session ends (`held` / `isLeader` / `isMaster` read the session state
 *   synchronously, then a `lost` or `revoked` event follows) or the node is deleted by
 *   someone else.
 * - **Fencing tokens are czxids**: the zxid of the grant's node create. They grow with every
 *   write to the coordinator, so each grant's token is larger than every earlier grant's, even
 *   across re-creation of the lock's parent (which restarts sequence numbers).
 * - **Not reentrant**: each `acquire()` is its own contender; acquiring again while holding
 *   waits for the held handle. Pass the handle on instead.
 * - **Lost replies** (CONNECTION_LOSS after a create that may have succeeded) are resolved by
 *   the per-attempt `_c_<uuid>-` prefix of node names (Curator's protected mode): the recipe
 *   adopts the node it finds instead of leaving an orphan.
 * - **Every wait is bounded**: `timeoutMs` on the injected clock (0 = try once), an
 *   AbortSignal, `close()`, and the end of the session; a wait that ends removes its node and
 *   its watch.
 * - **After expiry** a client handle is dead. Long-lived recipes (election, caches, registry)
 *   take a {@link ClientSource}: with a factory they open a fresh session and rejoin (the
 *   election at the back of the line, the caches re-read and report the differences, the
 *   registry and the master-worker's worker register again, its candidate runs again); with a plain client they go to state `lost`. Locks and
 *   semaphores are bound to their client: after expiry, make a new lock on a new client.
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
export {
  MasterWorker,
  type MasterWorkerEvents,
  type MasterWorkerOptions,
  type MasterWorkerState,
} from './master-worker.js'
export type { MasterInfo, WorkerInfo } from './master-worker-nodes.js'
export type { WorkersChanged } from './master-worker-view.js'
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

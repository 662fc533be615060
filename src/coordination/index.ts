/**
 * The coordination layer: ZooKeeper semantics inside the process. {@link createCoordinator}
 * builds a coordinator in memory, or persisted to an abstract-level database.
 */

export { InProcessClient } from './client.js'
export { InProcessCoordinator } from './coordinator.js'
export { createCoordinator } from './create-coordinator.js'
export { MultiError } from './multi-error.js'
export type { CoordinatorOptions } from './options.js'
export { dumpSnapshot, dumpTxnLog, formatSnapshot, formatTxn } from './persistence/dump.js'
export type { Snapshot, SnapshotNode } from './persistence/snapshot.js'
export { LevelSnapshotStore, type SnapshotStore } from './persistence/snapshot-store.js'
export { LevelTxnLog, type TxnLog } from './persistence/txn-log.js'
export * from './recipes/index.js'
export { CONTAINER, type Special, type Txn, type TxnData, type TxnOp } from './txn.js'
export type * from './types.js'

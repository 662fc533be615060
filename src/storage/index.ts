export type {
  CheckpointUpdate,
  CleanProducer,
  CleanShutdown,
  LeaderEpochEntry,
  PartitionCheckpoint,
} from './checkpoints.js'
export { CheckpointStore } from './checkpoints.js'
export type { DataDir, DataDirOptions, MetaSublevel, SublevelEncoding } from './data-dir.js'
export { openDataDir } from './data-dir.js'
export type { Durability, DurabilityOptions } from './durability.js'
export { durabilityLogConfig, resolveDurability } from './durability.js'
export type { FileLogStoreOptions } from './file-log-store.js'
export { FileLogStore } from './file-log-store.js'
export { FilePartitionStore } from './file-partition-store.js'
export type { LevelLogStoreOptions } from './level-log-store.js'
export { LevelLogStore } from './level-log-store.js'
export type { AnyLevel } from './level-tables.js'
export type * from './log-store.js'
export * from './memory-log-store.js'

export type * from './log-store.js'
export type { FileLogStoreOptions } from './file-log-store.js'
export { FileLogStore } from './file-log-store.js'
export { FilePartitionStore } from './file-partition-store.js'

/**
 * logkeeper: Kafka-style partitioned logs and ZooKeeper-style coordination inside a Node
 * process. See the README for a tour and `docs/architecture.md` for the design.
 *
 * @packageDocumentation
 */

export * from './admin/index.js'
export * from './broker/index.js'
export * from './client/index.js'
export * from './cluster.js'
export * from './common/index.js'
export * from './consumer/index.js'
export * from './coordination/index.js'
export * from './log/index.js'
export * from './producer/index.js'
export * from './storage/index.js'

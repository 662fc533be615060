/**
 * logkeeper: Kafka-style partitioned logs and ZooKeeper-style coordination inside a Node
 * process. See the README for a tour and `docs/architecture.md` for the design.
 *
 * @packageDocumentation
 */
export * from './common/index.js'

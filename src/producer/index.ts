/**
 * The producer: partitioners (Kafka's murmur2 for keys), batching, acks, retries and
 * idempotence, over the broker API.
 *
 * @packageDocumentation
 */
export type {
  ProducerBatchFailedEvent,
  ProducerEvents,
  ProducerRequestEvent,
  ProducerRetryEvent,
} from './events.js'
export { PRODUCER_EVENTS } from './events.js'
export type {
  Message,
  MessageBytes,
  MessageHeaders,
  ProducerBatchRecord,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
} from './message.js'
export { murmur2, toPositive } from './murmur2.js'
export {
  type AcksOption,
  PRODUCER_DEFAULTS,
  type ProducerOptions,
  type ResolvedProducerOptions,
} from './options.js'
export {
  type CustomPartitioner,
  type PartitionerArgs,
  type PartitionerOption,
  partitionForKey,
} from './partitioners.js'
export { Producer, type ProducerConfig } from './producer.js'

/**
 * The consumer: groups, subscriptions, manual assignment, `run` / `poll` / async iteration,
 * commits, seeks, pauses; the assignors and the consumer protocol's bytes; and the functions
 * behind the admin client's group operations.
 *
 * @packageDocumentation
 */
export * from './admin-groups.js'
export * from './assignors/index.js'
export { Consumer, type ConsumerConfig } from './consumer.js'
export * from './events.js'
export {
  type AutoOffsetReset,
  CONSUMER_DEFAULTS,
  type ConsumerOptions,
  type ConsumerRetryOptions,
  type ResolvedConsumerOptions,
} from './options.js'
export type * from './types.js'

/**
 * The broker side: the request/response API every client speaks, the in-process transport
 * with its faults, broker and topic configs, and the broker itself.
 *
 * @packageDocumentation
 */
export * from './api.js'
export { Broker, type BrokerState } from './broker.js'
export {
  BROKER_CONFIG_DEFAULTS,
  type BrokerConfig,
  parseTopicConfig,
  resolveBrokerConfig,
  type TopicConfig,
  topicDefaults,
} from './config.js'
export type { ReplicaInfo } from './replica/types.js'
export {
  type DropRule,
  type FaultHandle,
  InProcessTransport,
  type NodeId,
  type Transport,
} from './transport.js'

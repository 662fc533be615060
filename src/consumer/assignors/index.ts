/**
 * Partition assignors for consumer groups, as Kafka's Java client has them: `range`,
 * `roundrobin`, `sticky` and `cooperative-sticky`, each a pure function giving the assignment
 * Kafka's assignor of the same name gives for the same members and partitions; and the consumer
 * protocol's bytes (ConsumerProtocolSubscription / ConsumerProtocolAssignment) that carry
 * subscriptions and assignments through JoinGroup and SyncGroup.
 *
 * @example
 * ```ts
 * import { assignorByName, decodeSubscription, encodeAssignment } from 'logkeeper'
 *
 * // the group leader, given JoinGroup's members:
 * const assignor = assignorByName('range')!
 * const subscriptions = new Map(members.map((m) => [m.memberId, {
 *   ...decodeSubscription(m.metadata), groupInstanceId: m.groupInstanceId }]))
 * const assignment = assignor.assign(new Map([['orders', 6]]), subscriptions)
 * const syncAssignments = [...assignment].map(([memberId, partitions]) =>
 *   ({ memberId, assignment: encodeAssignment({ partitions }) }))
 * ```
 *
 * @module
 */

import { rangeAssignor } from './range.js'
import { roundRobinAssignor } from './round-robin.js'
import { cooperativeStickyAssignor } from './sticky/cooperative-sticky.js'
import { stickyAssignor } from './sticky/sticky.js'
import type { AssignorName, PartitionAssignor } from './types.js'

export {
  type AssignmentToEncode,
  CONSUMER_PROTOCOL_TYPE,
  CONSUMER_PROTOCOL_VERSION,
  type ConsumerProtocolAssignment,
  type ConsumerProtocolSubscription,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type SubscriptionToEncode,
} from '../../broker/protocol/consumer-protocol.js'
export { rangeAssignor } from './range.js'
export { roundRobinAssignor } from './round-robin.js'
export { cooperativeStickyAssignor } from './sticky/cooperative-sticky.js'
export {
  decodeStickyUserData,
  encodeCooperativeUserData,
  encodeStickyUserData,
  type MemberData,
} from './sticky/member-data.js'
export { stickyAssignor } from './sticky/sticky.js'
export type {
  AssignorMemberState,
  AssignorName,
  GroupAssignment,
  MemberSubscription,
  PartitionAssignor,
  RebalanceProtocol,
} from './types.js'

/** Every assignor logkeeper implements, by Kafka's protocol name. */
export const ASSIGNORS: ReadonlyMap<AssignorName, PartitionAssignor> = new Map<
  AssignorName,
  PartitionAssignor
>([
  ['range', rangeAssignor],
  ['roundrobin', roundRobinAssignor],
  ['sticky', stickyAssignor],
  ['cooperative-sticky', cooperativeStickyAssignor],
])

/**
 * The assignor with Kafka's protocol name `name`, or undefined for a name logkeeper does not
 * implement. kafkajs' `RoundRobinAssigner` is not an alias of `roundrobin`: it deals partitions
 * to all members without looking at their subscriptions or static ids, so it is left undefined.
 */
export function assignorByName(name: string): PartitionAssignor | undefined {
  return ASSIGNORS.get(name as AssignorName)
}

/**
 * The shapes every partition assignor shares: what a member subscribes with, what the group
 * leader hands back, and the {@link PartitionAssignor} interface itself. They follow Kafka's
 * `ConsumerPartitionAssignor` (`Subscription`, `Assignment`, `RebalanceProtocol`).
 */

import type { TopicPartition } from '../../storage/log-store.js'

export type { TopicPartition }

/**
 * Kafka's protocol names for the assignors logkeeper implements. They travel in JoinGroup as
 * the protocol name, so members of other clients agree on them: Java and librdkafka use these.
 * kafkajs calls its round-robin assignor `RoundRobinAssigner`, a name (and a protocol) of its
 * own that a group of `roundrobin` members does not match.
 */
export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky'

/**
 * How a rebalance treats owned partitions. `eager`: every member gives up all its partitions
 * before rejoining. `cooperative` (incremental): members keep their partitions across the
 * rebalance and give up only those the new assignment takes away; a partition moving between
 * members is revoked in one rebalance and assigned in the next.
 */
export type RebalanceProtocol = 'eager' | 'cooperative'

/**
 * One member's subscription as the group leader sees it (Kafka's `Subscription`): the decoded
 * ConsumerProtocolSubscription plus the member's static instance id from JoinGroup.
 */
export interface MemberSubscription {
  /** The topics the member subscribes to (duplicates are ignored). */
  readonly topics: readonly string[]
  /** The assignor's opaque user data (see {@link PartitionAssignor.subscriptionUserData}). */
  readonly userData?: Uint8Array | null
  /** The partitions the member owns now (ConsumerProtocolSubscription v1+). */
  readonly ownedPartitions?: readonly TopicPartition[]
  /**
   * The generation the owned partitions belong to (ConsumerProtocolSubscription v2+). Absent, or
   * negative (Kafka's -1), means the member did not say.
   */
  readonly generationId?: number
  /** The static member's `group.instance.id`; absent or null for a dynamic member. */
  readonly groupInstanceId?: string | null
  /** The member's rack (`client.rack`, ConsumerProtocolSubscription v3+). */
  readonly rackId?: string | null
}

/** Partitions per member id, as an assignor returns them. Every subscribed member has an entry. */
export type GroupAssignment = Map<string, TopicPartition[]>

/**
 * What a member remembers between rebalances, from which an assignor builds the user data it
 * sends with its next subscription (Kafka keeps this inside the assignor through `onAssignment`;
 * logkeeper's assignors are pure, so the consumer passes it in).
 */
export interface AssignorMemberState {
  /** The partitions the last completed rebalance gave this member, or null before the first. */
  readonly assignment: readonly TopicPartition[] | null
  /** The generation of that rebalance, or -1 before the first. */
  readonly generationId: number
}

/**
 * A partition assignor: a pure function from the group's subscriptions to an assignment, run by
 * the group leader, plus the user data each member sends along with its subscription.
 *
 * @example
 * ```ts
 * const assignment = rangeAssignor.assign(
 *   new Map([['orders', 3]]),
 *   new Map([['member-a', { topics: ['orders'] }], ['member-b', { topics: ['orders'] }]]),
 * )
 * // member-a: orders-0, orders-1; member-b: orders-2
 * ```
 */
export interface PartitionAssignor {
  /** Kafka's protocol name for the assignor. */
  readonly name: AssignorName
  /** The rebalance protocols the assignor supports (Kafka's `supportedProtocols()`). */
  readonly supportedProtocols: readonly RebalanceProtocol[]
  /**
   * The user data a member sends in its subscription, or null when the assignor needs none
   * (Kafka's `subscriptionUserData`).
   *
   * @param state - what the member was last assigned, and in which generation
   */
  subscriptionUserData(state: AssignorMemberState): Buffer | null
  /**
   * Assign the partitions of the subscribed topics to the members.
   *
   * Topics nobody subscribes to, topics missing from `partitionsPerTopic` and topics with no
   * partitions are left out, as Kafka's leader leaves them out. Each member's list is sorted
   * by topic, then partition (the order carries no meaning; Kafka's consumer keeps a set).
   *
   * @param partitionsPerTopic - the number of partitions of each topic (from metadata)
   * @param subscriptions - every member's subscription, in JoinGroup's member order (where
   *   Kafka's answer depends on the order of its leader's `HashMap` of members, logkeeper
   *   reproduces that order from this one)
   * @returns the partitions of every member
   */
  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): GroupAssignment
}

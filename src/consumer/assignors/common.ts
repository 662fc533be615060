/**
 * What the assignors share: input checks and normalisation, Kafka's member order, and partition
 * ordering helpers.
 */

import { InvalidArgumentError } from '../../common/errors.js'
import { javaHashOrder } from './java-hash.js'
import type { GroupAssignment, MemberSubscription, TopicPartition } from './types.js'

/** A member's subscription after normalisation: topics deduplicated, generation resolved. */
export interface NormalizedMember {
  /** The member id. */
  readonly memberId: string
  /** The subscription as given. */
  readonly subscription: MemberSubscription
  /** The subscribed topics, first occurrence order, without duplicates. */
  readonly topics: readonly string[]
  /** The same topics as a set. */
  readonly topicSet: ReadonlySet<string>
  /** The subscription's generation id, or undefined when absent or negative. */
  readonly generationId: number | undefined
  /** The static instance id, or undefined for a dynamic member. */
  readonly groupInstanceId: string | undefined
}

/** The input of an assignment, checked and normalised. */
export interface NormalizedInput {
  /** Partition counts of the topics that are subscribed and have partitions. */
  readonly partitionsPerTopic: ReadonlyMap<string, number>
  /** The members in the caller's order. */
  readonly members: readonly NormalizedMember[]
  /** The members by id. */
  readonly byId: ReadonlyMap<string, NormalizedMember>
  /** The member ids in the order Kafka's leader iterates its `HashMap` of subscriptions. */
  readonly hashOrder: readonly string[]
}

/**
 * Check and normalise the input of `assign`: partition counts must be non-negative integers,
 * topics strings; topics nobody subscribes to and topics with no partitions are dropped (Kafka's
 * leader passes only subscribed topics that have partitions).
 *
 * @throws InvalidArgumentError on a malformed argument
 */
export function normalizeInput(
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
): NormalizedInput {
  if (!(partitionsPerTopic instanceof Map)) {
    throw new InvalidArgumentError('partitionsPerTopic must be a Map of topic to partition count.')
  }
  if (!(subscriptions instanceof Map)) {
    throw new InvalidArgumentError('subscriptions must be a Map of member id to subscription.')
  }
  const members: NormalizedMember[] = []
  const subscribed = new Set<string>()
  for (const [memberId, subscription] of subscriptions) {
    if (typeof memberId !== 'string')
      throw new InvalidArgumentError('A member id must be a string.')
    if (subscription === null || typeof subscription !== 'object') {
      throw new InvalidArgumentError(`The subscription of member ${memberId} must be an object.`)
    }
    if (!Array.isArray(subscription.topics)) {
      throw new InvalidArgumentError(`The topics of member ${memberId} must be an array.`)
    }
    const topicSet = new Set<string>()
    for (const topic of subscription.topics) {
      if (typeof topic !== 'string') {
        throw new InvalidArgumentError(`A topic of member ${memberId} is not a string.`)
      }
      topicSet.add(topic)
      subscribed.add(topic)
    }
    for (const tp of subscription.ownedPartitions ?? []) checkPartition(tp, memberId)
    const gen = subscription.generationId
    if (gen !== undefined && gen !== null && !Number.isSafeInteger(gen)) {
      throw new InvalidArgumentError(`The generation id of member ${memberId} must be an integer.`)
    }
    members.push({
      memberId,
      subscription,
      topics: [...topicSet],
      topicSet,
      generationId: gen !== undefined && gen !== null && gen >= 0 ? gen : undefined,
      groupInstanceId: subscription.groupInstanceId ?? undefined,
    })
  }
  const counts = new Map<string, number>()
  for (const [topic, count] of partitionsPerTopic) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new InvalidArgumentError(
        `The partition count of topic ${topic} must be an integer >= 0.`,
      )
    }
    if (count > 0 && subscribed.has(topic)) counts.set(topic, count)
  }
  return {
    partitionsPerTopic: counts,
    members,
    byId: new Map(members.map((m) => [m.memberId, m])),
    hashOrder: javaHashOrder(members.map((m) => m.memberId)),
  }
}

function checkPartition(tp: TopicPartition, memberId: string): void {
  if (tp === null || typeof tp !== 'object' || typeof tp.topic !== 'string') {
    throw new InvalidArgumentError(`An owned partition of member ${memberId} is malformed.`)
  }
  if (!Number.isSafeInteger(tp.partition)) {
    throw new InvalidArgumentError(`An owned partition of member ${memberId} has a bad number.`)
  }
}

/** Compare strings as Java's `String.compareTo` does (UTF-16 code units). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Kafka's member order (`MemberInfo.compareTo`): static members first, by group instance id;
 * then dynamic members, by member id. The sort is stable, as Java's is.
 */
export function compareMembers(a: NormalizedMember, b: NormalizedMember): number {
  if (a.groupInstanceId !== undefined && b.groupInstanceId !== undefined) {
    return compareStrings(a.groupInstanceId, b.groupInstanceId)
  }
  if (a.groupInstanceId !== undefined) return -1
  if (b.groupInstanceId !== undefined) return 1
  return compareStrings(a.memberId, b.memberId)
}

/** Order partitions by topic, then partition number. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return compareStrings(a.topic, b.topic) || a.partition - b.partition
}

/** Whether a partition exists: its topic is in `partitionsPerTopic` and its number in range. */
export function partitionExists(
  partitionsPerTopic: ReadonlyMap<string, number>,
  tp: TopicPartition,
): boolean {
  const count = partitionsPerTopic.get(tp.topic)
  return count !== undefined && tp.partition >= 0 && tp.partition < count
}

/** A fresh partition value (callers may hand in objects with more fields). */
export function tp(topic: string, partition: number): TopicPartition {
  return { topic, partition }
}

/** An assignment with every member's list sorted by topic, then partition. */
export function sortedAssignment(
  members: readonly NormalizedMember[],
  lists: ReadonlyMap<string, TopicPartition[]>,
): GroupAssignment {
  const result: GroupAssignment = new Map()
  for (const m of members) {
    const list = (lists.get(m.memberId) ?? []).map((p) => tp(p.topic, p.partition))
    result.set(m.memberId, list.sort(compareTopicPartitions))
  }
  return result
}

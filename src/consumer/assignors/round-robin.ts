/**
 * The round-robin assignor (Kafka's `RoundRobinAssignor`, protocol name `roundrobin`).
 */

import { compareMembers, compareStrings, normalizeInput, sortedAssignment, tp } from './common.js'
import type { PartitionAssignor, TopicPartition } from './types.js'

/**
 * Kafka's `roundrobin` assignor. Every partition of every subscribed topic, sorted by topic
 * then partition, is dealt in turn to the members (sorted as Kafka sorts them: static members
 * first by `group.instance.id`, then by member id), skipping members not subscribed to the
 * partition's topic. With equal subscriptions the counts differ by at most one.
 *
 * kafkajs' `RoundRobinAssigner` is a different protocol: another name, and it deals to every
 * member without checking subscriptions or static ids, so it agrees with this one only when all
 * members are dynamic and subscribe to the same topics.
 */
export const roundRobinAssignor: PartitionAssignor = {
  name: 'roundrobin',
  supportedProtocols: ['eager'],
  subscriptionUserData: () => null,
  assign(partitionsPerTopic, subscriptions) {
    const input = normalizeInput(partitionsPerTopic, subscriptions)
    const lists = new Map<string, TopicPartition[]>(input.members.map((m) => [m.memberId, []]))
    const ring = input.hashOrder.map((id) => input.byId.get(id)!).sort(compareMembers)
    const topics = [...input.partitionsPerTopic.keys()].sort(compareStrings)
    let at = 0
    for (const topic of topics) {
      const count = input.partitionsPerTopic.get(topic)!
      for (let p = 0; p < count; p++) {
        while (!ring[at]!.topicSet.has(topic)) at = (at + 1) % ring.length
        lists.get(ring[at]!.memberId)!.push(tp(topic, p))
        at = (at + 1) % ring.length
      }
    }
    return sortedAssignment(input.members, lists)
  },
}

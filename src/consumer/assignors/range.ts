/**
 * The range assignor (Kafka's `RangeAssignor`, protocol name `range`).
 */

import {
  compareMembers,
  type NormalizedMember,
  normalizeInput,
  sortedAssignment,
  tp,
} from './common.js'
import type { PartitionAssignor, TopicPartition } from './types.js'

/**
 * Kafka's `range` assignor. Topic by topic, the members subscribed to the topic are sorted
 * (static members first by `group.instance.id`, then dynamic ones by member id) and each gets
 * a contiguous range of partitions: with `n` partitions and `m` members, each gets `n / m`
 * (rounded down) and the first `n % m` one more. Topics with the same partition count land on
 * the same members (co-partitioning), which a join of two topics needs.
 *
 * Kafka's rack-aware variant needs the replicas' racks, which `partitionsPerTopic` does not
 * carry; like Kafka's `assign(Map<String, Integer>, ...)`, this assignor is not rack-aware.
 */
export const rangeAssignor: PartitionAssignor = {
  name: 'range',
  supportedProtocols: ['eager'],
  subscriptionUserData: () => null,
  assign(partitionsPerTopic, subscriptions) {
    const input = normalizeInput(partitionsPerTopic, subscriptions)
    const lists = new Map<string, TopicPartition[]>(input.members.map((m) => [m.memberId, []]))
    const ordered = input.hashOrder.map((id) => input.byId.get(id)!)
    for (const [topic, count] of input.partitionsPerTopic) {
      const members = ordered.filter((m) => m.topicSet.has(topic)).sort(compareMembers)
      assignRanges(topic, count, members, lists)
    }
    return sortedAssignment(input.members, lists)
  },
}

function assignRanges(
  topic: string,
  count: number,
  members: readonly NormalizedMember[],
  lists: Map<string, TopicPartition[]>,
): void {
  if (members.length === 0) return
  const each = Math.floor(count / members.length)
  const extra = count % members.length
  let next = 0
  members.forEach((m, i) => {
    const take = each + (i < extra ? 1 : 0)
    const list = lists.get(m.memberId)!
    for (let k = 0; k < take; k++) list.push(tp(topic, next++))
  })
}

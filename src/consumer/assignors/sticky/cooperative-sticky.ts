/**
 * The cooperative sticky assignor (Kafka's `CooperativeStickyAssignor`, protocol name
 * `cooperative-sticky`).
 */

import { type NormalizedInput, normalizeInput, sortedAssignment } from '../common.js'
import { tpKey } from '../java-hash.js'
import type { PartitionAssignor, TopicPartition } from '../types.js'
import { cooperativeMemberData, encodeCooperativeUserData } from './member-data.js'
import { assignSticky } from './sticky-core.js'

/**
 * Kafka's `cooperative-sticky` assignor: the sticky assignment, made safe for incremental
 * rebalances. A partition that must move from one member to another is left out of the new
 * owner's assignment this round: its old owner sees it revoked and rejoins, and the follow-up
 * rebalance gives it to the new owner. So no partition is ever assigned while another member
 * may still be consuming it.
 *
 * Members send their owned partitions in the subscription (ConsumerProtocolSubscription v1+) and
 * their generation there (v2+) or as user data (an int32, see
 * {@link PartitionAssignor.subscriptionUserData}). Supports both protocols, cooperative first.
 */
export const cooperativeStickyAssignor: PartitionAssignor = {
  name: 'cooperative-sticky',
  supportedProtocols: ['cooperative', 'eager'],
  subscriptionUserData: (state) => encodeCooperativeUserData(state.generationId),
  assign(partitionsPerTopic, subscriptions) {
    const input = normalizeInput(partitionsPerTopic, subscriptions)
    const built = assignSticky(input, cooperativeMemberData)
    const transferring = built.transferring ?? transfersFromOwned(input, built.assignment)
    for (const [key, { to }] of transferring) {
      const list = built.assignment.get(to)!
      const i = list.findIndex((p) => tpKey(p) === key)
      if (i >= 0) list.splice(i, 1)
    }
    return sortedAssignment(input.members, built.assignment)
  },
}

/**
 * Partitions some member gains that another member (by its subscription's owned partitions)
 * loses (Kafka's `computePartitionsTransferringOwnership`).
 */
function transfersFromOwned(
  input: NormalizedInput,
  assignment: ReadonlyMap<string, TopicPartition[]>,
): Map<string, { partition: TopicPartition; to: string }> {
  const added = new Map<string, { partition: TopicPartition; to: string }>()
  const revoked = new Set<string>()
  for (const [member, assigned] of assignment) {
    const owned = new Set((input.byId.get(member)!.subscription.ownedPartitions ?? []).map(tpKey))
    const mine = new Set(assigned.map(tpKey))
    for (const p of assigned)
      if (!owned.has(tpKey(p))) added.set(tpKey(p), { partition: p, to: member })
    for (const key of owned) if (!mine.has(key)) revoked.add(key)
  }
  for (const key of added.keys()) if (!revoked.has(key)) added.delete(key)
  return added
}

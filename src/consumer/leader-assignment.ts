/**
 * The group leader's step of a rebalance (Kafka's `ConsumerCoordinator.onLeaderElected`):
 * decode every member's subscription, read the partition counts of every subscribed topic,
 * run the chosen assignor, and encode each member's assignment for SyncGroup.
 */
import type { JoinGroupMember } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { fromCode } from '../common/errors.js'
import { decodeSubscription, encodeAssignment } from './assignors/index.js'
import type { MemberSubscription, PartitionAssignor } from './assignors/types.js'

/** What the leader hands to SyncGroup, and the partition counts it assigned from. */
export interface LeaderAssignment {
  /** ConsumerProtocolAssignment bytes per member. */
  readonly assignments: { memberId: string; assignment: Uint8Array }[]
  /** The partition count of every topic the group subscribes to (0: unknown yet). */
  readonly partitionCounts: Map<string, number>
}

/** Run `assignor` over the members of a JoinGroup response. */
export async function assignAsLeader(
  client: ClusterClient,
  assignor: PartitionAssignor,
  members: readonly JoinGroupMember[],
): Promise<LeaderAssignment> {
  const subscriptions = new Map<string, MemberSubscription>()
  const topics = new Set<string>()
  for (const m of members) {
    const s = decodeSubscription(m.metadata)
    subscriptions.set(m.memberId, { ...s, groupInstanceId: m.groupInstanceId })
    for (const t of s.topics) topics.add(t)
  }
  const meta = await client.metadata([...topics], { force: true })
  const partitionCounts = new Map<string, number>()
  for (const t of topics) partitionCounts.set(t, meta.partitionCount(t))
  const perTopic = new Map([...partitionCounts].filter(([, n]) => n > 0))
  const result = assignor.assign(perTopic, subscriptions)
  const assignments = members.map((m) => {
    const partitions = result.get(m.memberId)
    if (partitions === undefined) {
      throw fromCode(
        'INCONSISTENT_GROUP_PROTOCOL',
        `assignor ${assignor.name} left out ${m.memberId}`,
      )
    }
    return { memberId: m.memberId, assignment: encodeAssignment({ partitions }) }
  })
  return { assignments, partitionCounts }
}

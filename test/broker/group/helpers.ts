/** Helpers of the group coordinator tests: requests with defaults, join-and-sync rounds. */
import type {
  JoinGroupRequest,
  JoinGroupResponse,
  OffsetCommitRequest,
  SyncGroupResponse,
} from '../../../src/broker/api.js'
import type { GroupCoordinator } from '../../../src/broker/group/group-coordinator.js'

/** Subscription bytes standing for a member's metadata. */
export const META = Uint8Array.from([1, 2, 3])

/** A JoinGroup request with defaults (session 10 s, rebalance 60 s, protocol `range`). */
export function joinRequest(
  groupId: string,
  over: Partial<JoinGroupRequest> = {},
): JoinGroupRequest {
  return {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 60_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: META }],
    clientId: 'client',
    ...over,
  }
}

/** An OffsetCommit of `offset` on `topic`-0. */
export function commitRequest(
  groupId: string,
  generationId: number,
  memberId: string,
  topic: string,
  offset: number,
  partition = 0,
): OffsetCommitRequest {
  return {
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    topics: [{ topic, partitions: [{ partition, offset, leaderEpoch: -1, metadata: 'm' }] }],
  }
}

/**
 * One member joins `groupId` alone (MEMBER_ID_REQUIRED, then the join with its id) and syncs
 * with no assignment: the group is Stable with it. Its JoinGroup answer.
 */
export async function joinAlone(gc: GroupCoordinator, groupId: string): Promise<Joined> {
  const first = await gc.joinGroup(joinRequest(groupId))
  const joined = await gc.joinGroup(joinRequest(groupId, { memberId: first.memberId }))
  await gc.syncGroup({
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
    assignments: [],
  })
  return joined
}

/** What a settled promise holds, or 'pending'. */
export async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  let out: T | 'pending' = 'pending'
  void p.then((v) => {
    out = v
  })
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  return out
}

/** The responses of a join round. */
export type Joined = JoinGroupResponse
/** The responses of a sync round. */
export type Synced = SyncGroupResponse

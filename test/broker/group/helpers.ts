/** Helpers of the group coordinator tests: requests with defaults, join-and-sync rounds. */
import type {
  JoinGroupRequest,
  JoinGroupResponse,
  OffsetCommitRequest,
  SyncGroupResponse,
} from '../../../src/broker/api.js'

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

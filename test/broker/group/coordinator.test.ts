/**
 * The group state machine under a VirtualClock, cases ported from Kafka's
 * GroupCoordinatorTest: MEMBER_ID_REQUIRED, join and sync of one and several members,
 * rebalances on join, leave and session expiry, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
 * REBALANCE_IN_PROGRESS on heartbeats, the rebalance timeout, the initial delay, static
 * members, protocol selection, offsets from stale generations, DeleteGroups.
 */
import { describe, expect, it } from 'vitest'
import type { JoinGroupResponse } from '../../../src/broker/api.js'
import type { GroupCoordinator } from '../../../src/broker/group/group-coordinator.js'
import { coordinator, FakeOffsetsLog } from './harness.js'
import { commitRequest, joinRequest, peek } from './helpers.js'

const G = 'group'

/** A dynamic member's first join: MEMBER_ID_REQUIRED, then the join with the id (held). */
async function join(gc: GroupCoordinator, over: Parameters<typeof joinRequest>[1] = {}) {
  const first = await gc.joinGroup(joinRequest(G, over))
  expect(first.error).toBe('MEMBER_ID_REQUIRED')
  expect(first.memberId).toMatch(/^[a-z]+-[0-9a-f-]{36}$/)
  return gc.joinGroup(joinRequest(G, { ...over, memberId: first.memberId }))
}

function sync(
  gc: GroupCoordinator,
  j: JoinGroupResponse,
  assignments: Record<string, number> = {},
) {
  return gc.syncGroup({
    groupId: G,
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: null,
    assignments: Object.entries(assignments).map(([memberId, n]) => ({
      memberId,
      assignment: Uint8Array.from([n]),
    })),
  })
}

function heartbeat(gc: GroupCoordinator, j: { memberId: string; generationId: number }) {
  return gc.heartbeat({
    groupId: G,
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: null,
  })
}

async function stableAlone(gc: GroupCoordinator) {
  const j = await join(gc)
  expect(j).toMatchObject({ generationId: 1, protocolName: 'range', leader: j.memberId })
  expect(j.members).toHaveLength(1)
  const s = await sync(gc, j, { [j.memberId]: 7 })
  expect([...s.assignment]).toEqual([7])
  return j
}

describe('JoinGroup checks', () => {
  it('refuses bad group ids, session timeouts, unknown members and other protocols', async () => {
    const { gc } = await coordinator()
    expect((await gc.joinGroup(joinRequest(''))).error).toBe('INVALID_GROUP_ID')
    expect((await gc.joinGroup(joinRequest(G, { sessionTimeoutMs: 5999 }))).error).toBe(
      'INVALID_SESSION_TIMEOUT',
    )
    expect((await gc.joinGroup(joinRequest(G, { sessionTimeoutMs: 1_800_001 }))).error).toBe(
      'INVALID_SESSION_TIMEOUT',
    )
    expect((await gc.joinGroup(joinRequest(G, { memberId: 'nobody' }))).error).toBe(
      'UNKNOWN_MEMBER_ID',
    )
    expect((await gc.joinGroup(joinRequest(G, { protocolType: '' }))).error).toBe(
      'INCONSISTENT_GROUP_PROTOCOL',
    )
    await stableAlone(gc)
    expect((await gc.joinGroup(joinRequest(G, { protocolType: 'connect' }))).error).toBe(
      'INCONSISTENT_GROUP_PROTOCOL',
    )
    const other = [{ name: 'roundrobin', metadata: new Uint8Array(0) }]
    expect((await gc.joinGroup(joinRequest(G, { protocols: other }))).error).toBe(
      'INCONSISTENT_GROUP_PROTOCOL',
    )
    // A protocol list with a hole (fuzz seed 4242: a TypeError inside the vote) is malformed.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const holed = [, { name: 'range', metadata: new Uint8Array(0) }] as never
    expect(() => gc.joinGroup(joinRequest(G, { protocols: holed }))).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    )
    gc.shutdown()
  })

  it('answers NOT_COORDINATOR for partitions it does not lead, and COORDINATOR_LOAD_IN_PROGRESS while loading', async () => {
    const log = new FakeOffsetsLog()
    let open!: () => void
    log.gate = new Promise((r) => {
      open = r
    })
    const { gc } = await coordinator({}, log)
    expect((await gc.joinGroup(joinRequest(G))).error).toBe('COORDINATOR_LOAD_IN_PROGRESS')
    expect((await gc.offsets.fetch({ groupId: G, topics: null })).error).toBe(
      'COORDINATOR_LOAD_IN_PROGRESS',
    )
    expect((await sync(gc, { memberId: 'm', generationId: 1 } as JoinGroupResponse)).error).toBe(
      'REBALANCE_IN_PROGRESS',
    )
    open()
    await peek(Promise.resolve())
    expect((await gc.joinGroup(joinRequest(G))).error).toBe('MEMBER_ID_REQUIRED')
    await gc.onResignation(0)
    expect((await gc.joinGroup(joinRequest(G))).error).toBe('NOT_COORDINATOR')
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.error).toBe('NOT_COORDINATOR')
    gc.shutdown()
  })
})

describe('rebalances', () => {
  it('one member: join, sync, heartbeat; Stable with its assignment', async () => {
    const { gc, clock } = await coordinator()
    const j = await stableAlone(gc)
    expect(await heartbeat(gc, j)).toEqual({})
    const d = (await gc.describeGroups({ groups: [G] })).groups[0]!
    expect(d).toMatchObject({
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    })
    expect([...d.members[0]!.memberAssignment]).toEqual([7])
    gc.shutdown()
    expect(clock.pendingTimers).toBe(0)
  })

  it('a second member makes the first rejoin; only the leader gets the members', async () => {
    const { gc } = await coordinator()
    const a = await stableAlone(gc)
    const bJoin = join(gc, { clientId: 'b' })
    expect(await peek(bJoin)).toBe('pending')
    expect(await heartbeat(gc, a)).toEqual({ error: 'REBALANCE_IN_PROGRESS' })
    // A stale sync during the rebalance.
    expect((await sync(gc, a)).error).toBe('REBALANCE_IN_PROGRESS')
    const a2 = await gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    const b = await bJoin
    expect(a2).toMatchObject({ generationId: 2, leader: a.memberId })
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId])
    expect(b).toMatchObject({ generationId: 2, leader: a.memberId, members: [] })
    // The follower's sync waits for the leader's.
    const bSync = sync(gc, b)
    expect(await peek(bSync)).toBe('pending')
    expect(await heartbeat(gc, b)).toEqual({})
    const aSync = await sync(gc, a2, { [a.memberId]: 1, [b.memberId]: 2 })
    expect([...aSync.assignment]).toEqual([1])
    expect([...(await bSync).assignment]).toEqual([2])
    expect(await heartbeat(gc, a)).toEqual({ error: 'ILLEGAL_GENERATION' })
    expect(await heartbeat(gc, { memberId: 'x', generationId: 2 })).toEqual({
      error: 'UNKNOWN_MEMBER_ID',
    })
    gc.shutdown()
  })

  it('a member that leaves makes the others rebalance; the last one leaves the group Empty', async () => {
    const { gc } = await coordinator()
    const a = await stableAlone(gc)
    const bJoin = join(gc, { clientId: 'b' })
    const a2 = await gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    const b = await bJoin
    await Promise.all([sync(gc, a2), sync(gc, b)])
    const left = await gc.leaveGroup({
      groupId: G,
      members: [
        { memberId: b.memberId, groupInstanceId: null },
        { memberId: 'zz', groupInstanceId: null },
      ],
    })
    expect(left.members.map((m) => m.error)).toEqual([undefined, 'UNKNOWN_MEMBER_ID'])
    expect(await heartbeat(gc, a2)).toEqual({ error: 'REBALANCE_IN_PROGRESS' })
    const a3 = await gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    expect(a3).toMatchObject({ generationId: 3, leader: a.memberId })
    await gc.leaveGroup({ groupId: G, members: [{ memberId: a.memberId, groupInstanceId: null }] })
    const d = (await gc.describeGroups({ groups: [G] })).groups[0]!
    expect(d).toMatchObject({ groupState: 'Empty', members: [] })
    gc.shutdown()
  })

  it('a member that stops heartbeating is removed after its session timeout', async () => {
    const { gc, clock } = await coordinator()
    const a = await stableAlone(gc)
    await clock.advance(9_000)
    expect(await heartbeat(gc, a)).toEqual({})
    await clock.advance(9_999)
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Stable')
    await clock.advance(1)
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Empty')
    expect(await heartbeat(gc, a)).toEqual({ error: 'UNKNOWN_MEMBER_ID' })
    gc.shutdown()
  })

  it('a member that does not rejoin within the rebalance timeout is removed', async () => {
    const { gc, clock } = await coordinator()
    const a = await stableAlone(gc)
    const bJoin = join(gc, { clientId: 'b', rebalanceTimeoutMs: 20_000 })
    // a keeps heartbeating but never rejoins.
    for (let t = 0; t < 3; t++) {
      await clock.advance(5_000)
      expect(await heartbeat(gc, a)).toEqual({ error: 'REBALANCE_IN_PROGRESS' })
    }
    expect(await peek(bJoin)).toBe('pending')
    await clock.advance(60_000 - 15_000)
    const b = await bJoin
    expect(b).toMatchObject({ generationId: 2, leader: b.memberId })
    expect(b.members.map((m) => m.memberId)).toEqual([b.memberId])
    expect(await heartbeat(gc, a)).toEqual({ error: 'UNKNOWN_MEMBER_ID' })
    gc.shutdown()
  })

  it('members that heartbeat but never send SyncGroup are removed after the rebalance timeout (Kafka 2.8+ DelayedSync)', async () => {
    const { gc, clock } = await coordinator()
    const a = await stableAlone(gc)
    const bJoin = join(gc, { clientId: 'b', rebalanceTimeoutMs: 20_000 })
    const a2 = await gc.joinGroup(
      joinRequest(G, { memberId: a.memberId, rebalanceTimeoutMs: 20_000 }),
    )
    const b = await bJoin
    // The leader syncs; b only heartbeats (OK while the group completes its rebalance).
    const aSync = sync(gc, a2, { [a.memberId]: 1, [b.memberId]: 2 })
    expect([...(await aSync).assignment]).toEqual([1])
    for (let t = 0; t < 3; t++) {
      await clock.advance(5_000)
      expect(await heartbeat(gc, b)).toEqual({})
      expect(await heartbeat(gc, a2)).toEqual({})
    }
    await clock.advance(5_000)
    expect(await heartbeat(gc, b)).toEqual({ error: 'UNKNOWN_MEMBER_ID' })
    expect(await heartbeat(gc, a2)).toEqual({ error: 'REBALANCE_IN_PROGRESS' })
    const a3 = await gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    expect(a3.members.map((m) => m.memberId)).toEqual([a.memberId])
    gc.shutdown()
  })

  it('a generation whose members all synced is not disturbed when the rebalance timeout passes', async () => {
    const { gc, clock } = await coordinator()
    const a = await stableAlone(gc)
    for (let t = 0; t < 14; t++) {
      await clock.advance(5_000)
      expect(await heartbeat(gc, a)).toEqual({})
    }
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Stable')
    gc.shutdown()
  })

  it('a pending member id that never joins expires after the session timeout', async () => {
    const { gc, clock } = await coordinator()
    const a = await stableAlone(gc)
    const first = await gc.joinGroup(joinRequest(G, { clientId: 'b' }))
    expect(first.error).toBe('MEMBER_ID_REQUIRED')
    const a2 = gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    // a rejoined (leader forces a rebalance) but the pending id holds the join phase.
    expect(await peek(a2)).toBe('pending')
    await clock.advance(10_000)
    expect(await a2).toMatchObject({ generationId: 2, leader: a.memberId })
    expect((await a2).members).toHaveLength(1)
    gc.shutdown()
  })

  it('the first rebalance of a new group waits group.initial.rebalance.delay.ms, longer while members come', async () => {
    const { gc, clock } = await coordinator({ 'group.initial.rebalance.delay.ms': 3000 })
    const a = join(gc, { clientId: 'a' })
    await clock.advance(2000)
    const b = join(gc, { clientId: 'b' })
    await clock.advance(1000)
    // b came during the first delay: another delay.
    expect(await peek(a)).toBe('pending')
    const c = join(gc, { clientId: 'c' })
    await clock.advance(2999)
    expect(await peek(a)).toBe('pending')
    await clock.advance(2999)
    expect(await peek(a)).toBe('pending')
    await clock.advance(2)
    const [ja, jb, jc] = await Promise.all([a, b, c])
    expect(ja.generationId).toBe(1)
    expect(ja.members).toHaveLength(3)
    expect([jb.generationId, jc.generationId]).toEqual([1, 1])
    gc.shutdown()
    expect(clock.pendingTimers).toBe(0)
  })

  it('selects the protocol every member supports, by the members’ preferences', async () => {
    const { gc } = await coordinator()
    const rr = { name: 'roundrobin', metadata: Uint8Array.from([1]) }
    const range = { name: 'range', metadata: Uint8Array.from([2]) }
    const aJoin = join(gc, { protocols: [rr, range] })
    const bJoin = join(gc, { clientId: 'b', protocols: [range, rr] })
    const cJoin = join(gc, { clientId: 'c', protocols: [rr, range] })
    const [a] = await Promise.all([aJoin, bJoin, cJoin])
    expect(a!.protocolName).toBe('roundrobin')
    expect([...a!.members[1]!.metadata]).toEqual([1])
    gc.shutdown()
  })

  it('an aborted held join gives up: a new member leaves the rebalance', async () => {
    const { gc } = await coordinator()
    const a = await stableAlone(gc)
    const first = await gc.joinGroup(joinRequest(G, { clientId: 'b' }))
    const ctl = new AbortController()
    const bJoin = gc.joinGroup(joinRequest(G, { memberId: first.memberId, signal: ctl.signal }))
    const rejected = expect(bJoin).rejects.toMatchObject({ code: 'ABORTED' })
    ctl.abort()
    await rejected
    const a2 = await gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId])
    gc.shutdown()
  })

  it('group.max.size refuses members beyond it', async () => {
    const { gc } = await coordinator({ 'group.max.size': 1 })
    await stableAlone(gc)
    expect((await gc.joinGroup(joinRequest(G, { clientId: 'b' }))).error).toBe(
      'GROUP_MAX_SIZE_REACHED',
    )
    gc.shutdown()
  })
})

describe('static members', () => {
  it('join without MEMBER_ID_REQUIRED; a rejoin with the instance id replaces the member without a rebalance and fences the old id', async () => {
    const { gc } = await coordinator()
    const first = await gc.joinGroup(joinRequest(G, { groupInstanceId: 'i1' }))
    expect(first.error).toBeUndefined()
    expect(first.memberId).toMatch(/^i1-/)
    await gc.syncGroup({
      groupId: G,
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i1',
      assignments: [{ memberId: first.memberId, assignment: Uint8Array.from([5]) }],
    })
    const again = await gc.joinGroup(joinRequest(G, { groupInstanceId: 'i1' }))
    expect(again).toMatchObject({ generationId: 1, leader: first.memberId, members: [] })
    expect(again.memberId).not.toBe(first.memberId)
    const d = (await gc.describeGroups({ groups: [G] })).groups[0]!
    expect(d.groupState).toBe('Stable')
    expect(d.members.map((m) => m.memberId)).toEqual([again.memberId])
    expect([...d.members[0]!.memberAssignment]).toEqual([5])
    expect(
      await gc.heartbeat({
        groupId: G,
        generationId: 1,
        memberId: first.memberId,
        groupInstanceId: 'i1',
      }),
    ).toEqual({ error: 'FENCED_INSTANCE_ID' })
    expect(
      await gc.heartbeat({
        groupId: G,
        generationId: 1,
        memberId: again.memberId,
        groupInstanceId: 'i1',
      }),
    ).toEqual({})
    const s = await gc.syncGroup({
      groupId: G,
      generationId: 1,
      memberId: again.memberId,
      groupInstanceId: 'i1',
      assignments: [],
    })
    expect([...s.assignment]).toEqual([5])
    gc.shutdown()
  })

  it('a static member that leaves by instance id only is removed', async () => {
    const { gc } = await coordinator()
    await gc.joinGroup(joinRequest(G, { groupInstanceId: 'i1' }))
    const r = await gc.leaveGroup({
      groupId: G,
      members: [{ memberId: '', groupInstanceId: 'i1' }],
    })
    expect(r.members[0]!.error).toBeUndefined()
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Empty')
    gc.shutdown()
  })
})

describe('offsets', () => {
  it('commits from the current generation; stale generations, unknown members and rebalances are refused', async () => {
    const { gc } = await coordinator()
    expect(
      (await gc.offsets.commit(commitRequest(G, 1, 'm', 't', 5))).topics[0]!.partitions[0]!.error,
    ).toBe('ILLEGAL_GENERATION')
    const a = await stableAlone(gc)
    const ok = await gc.offsets.commit(commitRequest(G, a.generationId, a.memberId, 't', 5))
    expect(ok.topics[0]!.partitions[0]!.error).toBeUndefined()
    const err = async (gen: number, member: string, topic = 't') =>
      (await gc.offsets.commit(commitRequest(G, gen, member, topic, 9))).topics[0]!.partitions[0]!
        .error
    expect(await err(0, a.memberId)).toBe('ILLEGAL_GENERATION')
    expect(await err(a.generationId, 'other')).toBe('UNKNOWN_MEMBER_ID')
    expect(await err(-1, '')).toBe('UNKNOWN_MEMBER_ID')
    expect(await err(a.generationId, a.memberId, 'missing')).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    // CompletingRebalance: the member has the new generation but no assignment yet.
    const b = join(gc, { clientId: 'b' })
    const a2 = await gc.joinGroup(joinRequest(G, { memberId: a.memberId }))
    await b
    expect(await err(a2.generationId, a.memberId)).toBe('REBALANCE_IN_PROGRESS')
    expect(await err(a.generationId, a.memberId)).toBe('ILLEGAL_GENERATION')
    const f = await gc.offsets.fetch({ groupId: G, topics: [{ topic: 't', partitions: [0, 1] }] })
    expect(f.topics[0]!.partitions).toEqual([
      { partition: 0, offset: 5, leaderEpoch: -1, metadata: 'm' },
      { partition: 1, offset: -1, leaderEpoch: -1, metadata: '' },
    ])
    gc.shutdown()
  })

  it('a standalone consumer commits with generation -1 while the group is Empty; metadata size is checked', async () => {
    const { gc } = await coordinator({ 'offset.metadata.max.bytes': 3 })
    const r = await gc.offsets.commit({
      groupId: G,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        { topic: 'b', partitions: [{ partition: 2, offset: 7, leaderEpoch: 3, metadata: null }] },
        {
          topic: 'a',
          partitions: [{ partition: 0, offset: 1, leaderEpoch: -1, metadata: 'long' }],
        },
      ],
    })
    expect(r.topics.map((t) => t.partitions[0]!.error)).toEqual([
      undefined,
      'OFFSET_METADATA_TOO_LARGE',
    ])
    const f = await gc.offsets.fetch({ groupId: G, topics: null })
    expect(f).toEqual({
      topics: [
        { topic: 'b', partitions: [{ partition: 2, offset: 7, leaderEpoch: 3, metadata: '' }] },
      ],
    })
    expect(await gc.offsets.fetch({ groupId: 'other', topics: null })).toEqual({ topics: [] })
    gc.shutdown()
  })

  it('a failed append is the coordinator’s error', async () => {
    const log = new FakeOffsetsLog()
    const { gc } = await coordinator({}, log)
    log.failWith = 'NOT_LEADER_OR_FOLLOWER'
    const r = await gc.offsets.commit(commitRequest(G, -1, '', 't', 1))
    expect(r.topics[0]!.partitions[0]!.error).toBe('NOT_COORDINATOR')
    log.failWith = 'NOT_ENOUGH_REPLICAS'
    expect(
      (await gc.offsets.commit(commitRequest(G, -1, '', 't', 1))).topics[0]!.partitions[0]!.error,
    ).toBe('COORDINATOR_NOT_AVAILABLE')
    gc.shutdown()
  })
})

describe('DeleteGroups, ListGroups, loading', () => {
  it('deletes empty groups with their offsets; NON_EMPTY_GROUP and GROUP_ID_NOT_FOUND otherwise', async () => {
    const { gc } = await coordinator()
    await gc.offsets.commit(commitRequest('empty', -1, '', 't', 3))
    await stableAlone(gc)
    const r = await gc.deleteGroups({ groupsNames: ['empty', G, 'none'] })
    expect(r.results).toEqual([
      { groupId: 'empty' },
      { groupId: G, error: 'NON_EMPTY_GROUP' },
      { groupId: 'none', error: 'GROUP_ID_NOT_FOUND' },
    ])
    expect(await gc.offsets.fetch({ groupId: 'empty', topics: null })).toEqual({ topics: [] })
    const list = await gc.listGroups({ statesFilter: [] })
    expect(list.groups).toEqual([{ groupId: G, protocolType: 'consumer', groupState: 'Stable' }])
    expect((await gc.listGroups({ statesFilter: ['Empty'] })).groups).toEqual([])
    expect((await gc.describeGroups({ groups: ['none'] })).groups[0]).toMatchObject({
      groupState: 'Dead',
      members: [],
    })
    gc.shutdown()
  })

  it('a new coordinator loads groups and offsets from the log; tombstones delete them', async () => {
    const log = new FakeOffsetsLog()
    const first = await coordinator({}, log)
    const a = await stableAlone(first.gc)
    await first.gc.offsets.commit(commitRequest(G, a.generationId, a.memberId, 't', 10))
    await first.gc.offsets.commit(commitRequest(G, a.generationId, a.memberId, 't', 11))
    await first.gc.offsets.commit(commitRequest('gone', -1, '', 't', 1))
    await first.gc.deleteGroups({ groupsNames: ['gone'] })
    first.gc.shutdown()
    const second = await coordinator({}, log)
    const d = (await second.gc.describeGroups({ groups: [G] })).groups[0]!
    expect(d.groupState).toBe('Stable')
    expect(d.members.map((m) => m.memberId)).toEqual([a.memberId])
    expect([...d.members[0]!.memberAssignment]).toEqual([7])
    expect(await heartbeat(second.gc, a)).toEqual({})
    const f = await second.gc.offsets.fetch({ groupId: G, topics: null })
    expect(f.topics[0]!.partitions[0]!.offset).toBe(11)
    expect((await second.gc.listGroups({ statesFilter: [] })).groups.map((g) => g.groupId)).toEqual(
      [G],
    )
    // Its session runs from the load: no heartbeat, and it is gone.
    await second.clock.advance(10_000)
    expect((await second.gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Empty')
    second.gc.shutdown()
    expect(second.clock.pendingTimers).toBe(0)
  })
})

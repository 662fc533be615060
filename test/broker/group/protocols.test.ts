/**
 * The protocols a group accepts and selects stay those of its members on every path that
 * adds, removes, replaces or updates a member (whole simulation seeds 77, 162, 398, 526, 1002:
 * per-protocol counts drifted from the members, so a joining member got
 * INCONSISTENT_GROUP_PROTOCOL, or the vote found no candidate and threw an untyped Error).
 */
import { describe, expect, it } from 'vitest'
import type { JoinGroupProtocol } from '../../../src/broker/api.js'
import { GroupMetadata } from '../../../src/broker/group/group.js'
import { MemberMetadata } from '../../../src/broker/group/member.js'
import { isLogkeeperError } from '../../../src/common/errors.js'
import { coordinator, FakeOffsetsLog } from './harness.js'
import { joinAlone, joinRequest, META, peek } from './helpers.js'

const G = 'group'
const RR = { name: 'roundrobin', metadata: META }
const RANGE = { name: 'range', metadata: META }

function member(id: string, protocols: readonly JoinGroupProtocol[]): MemberMetadata {
  return new MemberMetadata(id, null, 'c', 'h', 60_000, 10_000, 'consumer', protocols)
}

describe('group protocols', () => {
  it('a group left with no member in a rebalance takes a member of any protocol', async () => {
    const { gc, clock } = await coordinator({ 'group.initial.rebalance.delay.ms': 3000 })
    const first = await gc.joinGroup(joinRequest(G))
    const a = gc.joinGroup(joinRequest(G, { memberId: first.memberId }))
    // a leaves during the initial delay: the group waits in PreparingRebalance, empty.
    await gc.leaveGroup({
      groupId: G,
      members: [{ memberId: first.memberId, groupInstanceId: null }],
    })
    expect((await a).error).toBe('UNKNOWN_MEMBER_ID')
    const id = await gc.joinGroup(joinRequest(G, { clientId: 'b', protocols: [RR] }))
    expect(id.error).toBe('MEMBER_ID_REQUIRED')
    const b = gc.joinGroup(joinRequest(G, { memberId: id.memberId, protocols: [RR] }))
    expect(await clock.runUntil(b)).toMatchObject({ generationId: 1, protocolName: 'roundrobin' })
    gc.shutdown()
  })

  it('a pending member joins after the last member left the stable group', async () => {
    const { gc } = await coordinator()
    const a = await joinAlone(gc, G)
    const b1 = await gc.joinGroup(joinRequest(G, { clientId: 'b' }))
    expect(b1.error).toBe('MEMBER_ID_REQUIRED')
    // The rebalance a's leaving starts waits for b's pending id, with no member left: b may
    // then join with any protocol.
    await gc.leaveGroup({ groupId: G, members: [{ memberId: a.memberId, groupInstanceId: null }] })
    const b = await gc.joinGroup(joinRequest(G, { memberId: b1.memberId, protocols: [RR] }))
    expect(b).toMatchObject({ generationId: 2, protocolName: 'roundrobin', leader: b.memberId })
    gc.shutdown()
  })

  it('a static member whose new id fails to store after it left answers the error and changes nothing else', async () => {
    const log = new FakeOffsetsLog()
    const { gc, clock } = await coordinator({}, log)
    const s = { groupInstanceId: 'i1' }
    const first = await gc.joinGroup(joinRequest(G, s))
    await gc.syncGroup({
      groupId: G,
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i1',
      assignments: [],
    })
    let open = () => {}
    log.produceGate = new Promise((r) => {
      open = r
    })
    log.failWith = 'NOT_ENOUGH_REPLICAS'
    const again = gc.joinGroup(joinRequest(G, s))
    expect(await peek(again)).toBe('pending')
    // The member leaves by its instance id while its new id is being stored.
    await gc.leaveGroup({ groupId: G, members: [{ memberId: '', groupInstanceId: 'i1' }] })
    // Leaving answered the held join; the failed store then finds the member gone.
    expect((await again).error).toBe('UNKNOWN_MEMBER_ID')
    log.produceGate = undefined
    open()
    await peek(Promise.resolve())
    log.failWith = undefined
    const d = (await gc.describeGroups({ groups: [G] })).groups[0]!
    expect(d).toMatchObject({ groupState: 'Empty', members: [] })
    // The group takes a member of another protocol: nothing counts the one that left.
    const b1 = await gc.joinGroup(joinRequest(G, { clientId: 'b', protocols: [RR] }))
    const b = await gc.joinGroup(joinRequest(G, { memberId: b1.memberId, protocols: [RR] }))
    // Generation 2 was the rebalance the leaving ended Empty.
    expect(b).toMatchObject({ generationId: 3, protocolName: 'roundrobin' })
    await clock.advance(0)
    gc.shutdown()
  })

  it('candidates follow the members through add, update and remove; a protocol listed twice counts once', () => {
    const g = new GroupMetadata(G, 'Empty', 0)
    g.add(member('a', [RR, RR, RANGE]), undefined)
    g.add(member('b', [RANGE, RR]), undefined)
    g.transitionTo('PreparingRebalance', 0)
    expect(g.candidateProtocols()).toEqual(new Set(['roundrobin', 'range']))
    expect(g.supportsProtocols('consumer', [RR])).toBe(true)
    g.updateMember(g.get('b'), [RANGE], undefined)
    expect(g.supportsProtocols('consumer', [RR])).toBe(false)
    expect(g.selectProtocol()).toBe('range')
    g.remove('b')
    expect(g.selectProtocol()).toBe('roundrobin')
    expect(g.supportsProtocols('other', [RR])).toBe(false)
  })

  it('members that share no protocol make a coded error, never a plain Error', () => {
    const g = new GroupMetadata(G, 'Empty', 0)
    g.add(member('a', [RR]), undefined)
    g.add(member('b', [RANGE]), undefined)
    let thrown: unknown
    try {
      g.selectProtocol()
    } catch (e) {
      thrown = e
    }
    expect(isLogkeeperError(thrown) && thrown.code).toBe('INCONSISTENT_GROUP_PROTOCOL')
    expect(() => g.get('nobody')).toThrow(expect.objectContaining({ code: 'UNKNOWN_MEMBER_ID' }))
  })
})

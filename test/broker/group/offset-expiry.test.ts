/**
 * Expiry of committed offsets (`offsets.retention.minutes`), with the cases of Kafka's
 * GroupMetadataManagerTest (testOffsetExpirationSemantics, testOffsetExpirationOfSimpleConsumer,
 * testOffsetExpirationOfActiveGroupSemantics): an Empty group's offsets expire a retention after
 * it became Empty, a standalone consumer's a retention after each commit, a Stable consumer
 * group's only for topics it no longer subscribes to; tombstones are written, and an Empty
 * group left without offsets is dropped.
 */
import { describe, expect, it } from 'vitest'
import type { JoinGroupResponse } from '../../../src/broker/api.js'
import type { GroupCoordinator } from '../../../src/broker/group/group-coordinator.js'
import { decodeKey } from '../../../src/broker/group/schemas.js'
import { encodeSubscription } from '../../../src/broker/protocol/consumer-protocol.js'
import { decodeRecordBatch } from '../../../src/log/record-batch.js'
import { coordinator, type FakeOffsetsLog } from './harness.js'
import { commitRequest, joinRequest } from './helpers.js'

const G = 'group'
const MINUTE = 60_000
/** One minute of retention, checked every 10 s. */
const CONFIG = {
  'offsets.retention.minutes': 1,
  'offsets.retention.check.interval.ms': 10_000,
}

async function committed(gc: GroupCoordinator): Promise<Record<string, number>> {
  const res = await gc.offsets.fetch({ groupId: G, topics: null })
  const out: Record<string, number> = {}
  for (const t of res.topics)
    for (const p of t.partitions) out[`${t.topic}-${p.partition}`] = p.offset
  return out
}

async function commit(
  gc: GroupCoordinator,
  topic: string,
  offset: number,
  member?: JoinGroupResponse,
) {
  const res = await gc.offsets.commit(
    commitRequest(G, member?.generationId ?? -1, member?.memberId ?? '', topic, offset),
  )
  expect(res.topics[0]!.partitions[0]!.error).toBeUndefined()
}

/** The keys the fake log holds tombstones for, as `offset:<topic>-<p>` / `group`. */
function tombstones(log: FakeOffsetsLog): string[] {
  const out: string[] = []
  for (const b of log.batches) {
    for (const r of decodeRecordBatch(b, { verifyCrc: false }).records) {
      if (r.value !== null || r.key === null) continue
      const k = decodeKey(Buffer.from(r.key))
      out.push(k.type === 'offset' ? `offset:${k.topic}-${k.partition}` : 'group')
    }
  }
  return out
}

/** Members live through the minutes these tests advance without heartbeats. */
const LONG_SESSION = { sessionTimeoutMs: 1_800_000 }

/** A member alone in the group, Stable, subscribed to `topics` (ConsumerProtocol bytes). */
async function stableMember(gc: GroupCoordinator, topics: string[]) {
  const metadata = encodeSubscription({ topics })
  const protocols = [{ name: 'range', metadata }]
  const first = await gc.joinGroup(joinRequest(G, { ...LONG_SESSION, protocols }))
  const j = await gc.joinGroup(
    joinRequest(G, { ...LONG_SESSION, protocols, memberId: first.memberId }),
  )
  await gc.syncGroup({
    groupId: G,
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: null,
    assignments: [],
  })
  return j
}

describe('offset expiry', () => {
  it("expires a standalone consumer's offsets a retention after each commit, then drops the group", async () => {
    const { gc, clock, log } = await coordinator(CONFIG)
    await commit(gc, 'a', 5)
    await clock.advance(30_000)
    await commit(gc, 'b', 7)
    await clock.advance(MINUTE - 30_000 - 1)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({ 'a-0': 5, 'b-0': 7 })
    await clock.advance(1)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({ 'b-0': 7 })
    expect(tombstones(log)).toEqual(['offset:a-0'])
    await clock.advance(30_000)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({})
    expect(tombstones(log)).toEqual(['offset:a-0', 'offset:b-0', 'group'])
    expect((await gc.listGroups({ statesFilter: [] })).groups).toEqual([])
    gc.shutdown()
  })

  it("expires an Empty group's offsets a retention after it became Empty, not after the commit", async () => {
    const { gc, clock, log } = await coordinator(CONFIG)
    const j = await stableMember(gc, ['a'])
    await commit(gc, 'a', 3, j)
    await clock.advance(2 * MINUTE)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({ 'a-0': 3 })
    await gc.leaveGroup({ groupId: G, members: [{ memberId: j.memberId, groupInstanceId: null }] })
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Empty')
    await clock.advance(MINUTE - 1)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({ 'a-0': 3 })
    await clock.advance(1)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({})
    expect(tombstones(log)).toEqual(['offset:a-0', 'group'])
    gc.shutdown()
  })

  it('expires in a Stable consumer group only the offsets of topics no member subscribes to', async () => {
    const { gc, clock } = await coordinator(CONFIG)
    const j = await stableMember(gc, ['a'])
    await commit(gc, 'a', 1, j)
    await commit(gc, 'b', 2, j)
    await clock.advance(MINUTE)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({ 'a-0': 1 })
    expect((await gc.describeGroups({ groups: [G] })).groups[0]!.groupState).toBe('Stable')
    gc.shutdown()
  })

  it('keeps the offsets of a group whose protocol is not the consumer protocol while it has members', async () => {
    const { gc, clock } = await coordinator(CONFIG)
    const protocols = [{ name: 'p', metadata: Uint8Array.from([9]) }]
    const first = await gc.joinGroup(
      joinRequest(G, { ...LONG_SESSION, protocolType: 'connect', protocols }),
    )
    const j = await gc.joinGroup(
      joinRequest(G, {
        ...LONG_SESSION,
        protocolType: 'connect',
        protocols,
        memberId: first.memberId,
      }),
    )
    await gc.syncGroup({
      groupId: G,
      generationId: 1,
      memberId: j.memberId,
      groupInstanceId: null,
      assignments: [],
    })
    await commit(gc, 'a', 4, j)
    await clock.advance(5 * MINUTE)
    await gc.expireOffsets()
    expect(await committed(gc)).toEqual({ 'a-0': 4 })
    gc.shutdown()
  })

  it('runs by itself every offsets.retention.check.interval.ms, and a reloaded coordinator sees the tombstones', async () => {
    const { gc, clock, log } = await coordinator(CONFIG)
    await commit(gc, 'a', 5)
    await clock.advance(MINUTE + 10_000)
    expect(await committed(gc)).toEqual({})
    gc.shutdown()
    const again = await coordinator(CONFIG, log)
    expect(await committed(again.gc)).toEqual({})
    expect((await again.gc.listGroups({ statesFilter: [] })).groups).toEqual([])
    again.gc.shutdown()
  })

  it('refuses a retention or check interval below 1', async () => {
    await expect(coordinator({ 'offsets.retention.minutes': 0 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    })
    await expect(coordinator({ 'offsets.retention.check.interval.ms': -5 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    })
  })
})

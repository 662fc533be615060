/**
 * A follower's append (`assignOffsets: false`): the leader's bytes are kept as they are, even
 * when the leader's store holds them, since no patch would change them; a patch that would is
 * made on a copy, so the leader's stored batch never changes.
 */
import { describe, expect, it } from 'vitest'
import { BATCH, readInt32, readInt64 } from '../../src/log/batch-header.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import { openLog } from './helpers.js'

function batch(n: number, valueBytes: number): Buffer {
  const value = 'x'.repeat(valueBytes)
  return encodeRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({ value, timestamp: 1_000 + i })),
  })
}

describe('follower append', () => {
  it('keeps a fetched batch without copying it, and both logs read the same bytes', async () => {
    const leader = await openLog()
    const follower = await openLog()
    leader.log.append(batch(10, 1000), { leaderEpoch: 3 })
    leader.log.append(batch(2, 10), { leaderEpoch: 3 })
    const large = (await leader.log.read(0, { maxBytes: 1 })).bytes
    const small = (await leader.log.read(10, { maxBytes: 1 })).bytes
    const before = [Buffer.from(large), Buffer.from(small)]
    follower.log.append(large, { assignOffsets: false })
    follower.log.append(small, { assignOffsets: false })
    const kept = (await follower.log.read(0, { maxBytes: 1 })).bytes
    // A whole kept batch is shared by both stores; a small one is copied into the follower's page.
    expect(kept.buffer).toBe(large.buffer)
    expect((await follower.log.read(10, { maxBytes: 1 })).bytes.equals(small)).toBe(true)
    expect(large.equals(before[0]!)).toBe(true)
    expect(small.equals(before[1]!)).toBe(true)
    expect(follower.log.logEndOffset).toBe(12)
  })

  it('copies a held batch before stamping another leader epoch, leaving the leader’s alone', async () => {
    const leader = await openLog()
    const follower = await openLog()
    leader.log.append(batch(10, 1000), { leaderEpoch: 3 })
    const read = (await leader.log.read(0)).bytes
    follower.log.append(read, { assignOffsets: false, leaderEpoch: 4 })
    expect(readInt32(read, BATCH.PARTITION_LEADER_EPOCH)).toBe(3)
    const kept = (await follower.log.read(0)).bytes
    expect(kept.buffer).not.toBe(read.buffer)
    expect(readInt32(kept, BATCH.PARTITION_LEADER_EPOCH)).toBe(4)
    expect(readInt64(kept, BATCH.BASE_OFFSET)).toBe(0)
  })

  it('keeps the leader’s LogAppendTime instead of stamping its own', async () => {
    const config = { 'message.timestamp.type': 'LogAppendTime' as const }
    const leader = await openLog(config)
    const follower = await openLog(config)
    const stamped = leader.clock.now() + 50_000
    await leader.clock.advance(50_000)
    await follower.clock.advance(90_000)
    const info = leader.log.append(batch(3, 10))
    expect(info.logAppendTimeMs).toBe(stamped)
    const read = (await leader.log.read(0)).bytes
    const followed = follower.log.append(read, { assignOffsets: false })
    expect(followed.logAppendTimeMs).toBe(-1)
    expect(followed.maxTimestamp).toBe(stamped)
    const kept = (await follower.log.read(0)).bytes
    expect(kept.equals(read)).toBe(true)
    expect(readInt64(kept, BATCH.MAX_TIMESTAMP)).toBe(stamped)
  })
})

describe('read with noCopy', () => {
  it('stops at the end of the first batch’s page instead of gathering pages into a copy', async () => {
    const leader = await openLog()
    for (let i = 0; i < 3; i++) leader.log.append(batch(10, 1000)) // each kept as its own page
    leader.log.append(batch(2, 10))
    leader.log.append(batch(2, 10)) // these two share a copy page
    const all = await leader.log.read(0)
    expect(all.nextOffset).toBe(34)
    const one = await leader.log.read(0, { noCopy: true })
    expect(one.nextOffset).toBe(10)
    expect(all.bytes.subarray(0, one.bytes.length).equals(one.bytes)).toBe(true)
    const follower = await openLog()
    follower.log.append(one.bytes, { assignOffsets: false })
    expect((await follower.log.read(0)).bytes.buffer).toBe(one.bytes.buffer)
    const tail = await leader.log.read(30, { noCopy: true })
    expect([tail.firstOffset, tail.nextOffset]).toEqual([30, 34])
    expect(tail.bytes.buffer).toBe((await leader.log.read(32, { noCopy: true })).bytes.buffer)
  })

  it('returns what a plain read returns when one page holds it all', async () => {
    const h = await openLog()
    for (let i = 0; i < 20; i++) h.log.append(batch(3, 20))
    for (const from of [0, 7, 30, 59]) {
      for (const maxBytes of [1, 500, 1 << 20]) {
        const plain = await h.log.read(from, { maxBytes })
        const view = await h.log.read(from, { maxBytes, noCopy: true })
        expect(view).toEqual(plain)
      }
    }
  })
})

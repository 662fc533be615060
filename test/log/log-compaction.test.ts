import { describe, expect, it } from 'vitest'
import { splitBatches } from '../../src/log/batch-header.js'
import type { PartitionLog } from '../../src/log/partition-log.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import { openLog } from './helpers.js'

const DAY_MS = 24 * 3600 * 1000

async function keyed(log: PartitionLog): Promise<[number, string | null, string | null][]> {
  const out: [number, string | null, string | null][] = []
  let next = log.logStartOffset
  while (next < log.logEndOffset) {
    const r = await log.read(next)
    if (r.bytes.length === 0) break
    for (const b of splitBatches(r.bytes)) {
      for (const rec of decodeRecordBatch(b).records) {
        if (Number(rec.offset) >= next)
          out.push([Number(rec.offset), rec.key?.toString() ?? null, rec.value?.toString() ?? null])
      }
    }
    next = r.nextOffset
  }
  return out
}

function put(log: PartitionLog, now: number, ...pairs: [string | null, string | null][]) {
  log.append(
    encodeRecordBatch({ records: pairs.map(([key, value]) => ({ key, value, timestamp: now })) }),
  )
}

describe('compaction', () => {
  it('keeps the latest record per key in closed segments, with their offsets', async () => {
    const { log, clock } = await openLog({ 'cleanup.policy': 'compact', 'segment.bytes': 200 })
    const now = clock.now()
    put(log, now, ['a', '1'], ['b', '1'])
    put(log, now, ['a', '2'], [null, 'x'])
    put(log, now, ['c', '1'], ['b', '2'])
    put(log, now, ['a', '3'])
    put(log, now, ['d', '1'])
    const active = log.segmentBaseOffsets.at(-1)!
    const before = await keyed(log)
    const r = await log.compact()
    expect(r.removedRecords).toBeGreaterThan(0)
    const after = await keyed(log)
    const closedKeys = after.filter(([o]) => o < active)
    // No key appears twice below the active segment, and every survivor is the latest one.
    const latest = new Map<string, number>()
    for (const [o, k] of before.filter(([o2]) => o2 < active)) if (k !== null) latest.set(k, o)
    for (const [o, k, v] of closedKeys) {
      if (k === null) expect(v).toBe('x')
      else expect(latest.get(k)).toBe(o)
    }
    expect(after.filter(([o]) => o >= active)).toEqual(before.filter(([o]) => o >= active))
    expect(after.map(([o]) => o)).toEqual([...after.map(([o]) => o)].sort((x, y) => x - y))
    expect(log.logEndOffset).toBe(8)
    // A second pass finds nothing more to do.
    expect((await log.compact()).removedRecords).toBe(0)
  })

  it('removes tombstones only after delete.retention.ms', async () => {
    const { log, clock } = await openLog({ 'cleanup.policy': 'compact', 'segment.bytes': 150 })
    const now = clock.now()
    put(log, now, ['a', '1'])
    put(log, now, ['a', null])
    put(log, now, ['z', '1'])
    put(log, now, ['z', '2'])
    await log.compact()
    expect((await keyed(log)).filter(([, k]) => k === 'a')).toEqual([[1, 'a', null]])
    await clock.advance(DAY_MS + 1)
    await log.compact()
    expect((await keyed(log)).filter(([, k]) => k === 'a')).toEqual([])
  })

  it('leaves segments younger than min.compaction.lag.ms, and delete-policy logs, alone', async () => {
    const { log, clock } = await openLog({
      'cleanup.policy': 'compact',
      'segment.bytes': 150,
      'min.compaction.lag.ms': 1000,
    })
    put(log, clock.now(), ['a', '1'])
    put(log, clock.now(), ['a', '2'])
    put(log, clock.now(), ['a', '3'])
    expect((await log.compact()).removedRecords).toBe(0)
    await clock.advance(1000)
    expect((await log.compact()).removedRecords).toBe(1)
    const plain = await openLog({ 'segment.bytes': 150 })
    put(plain.log, 0, ['a', '1'])
    put(plain.log, 0, ['a', '2'])
    put(plain.log, 0, ['a', '3'])
    expect(await plain.log.compact()).toMatchObject({ removedRecords: 0, compactedSegments: [] })
  })

  it('survives a reopen, with reads and timestamp lookups over the gaps', async () => {
    const h = await openLog({ 'cleanup.policy': 'compact', 'segment.bytes': 200 })
    const now = h.clock.now()
    for (let i = 0; i < 12; i++) put(h.log, now + i, [`k${i % 3}`, `${i}`])
    await h.log.compact()
    const after = await keyed(h.log)
    const log = await h.reopen()
    expect(await keyed(log)).toEqual(after)
    expect((await log.offsetForTimestamp(now))?.offset).toBe(after[0]![0])
    expect(log.append(encodeRecordBatch({ records: [{ key: 'k', value: 'v' }] })).baseOffset).toBe(
      12,
    )
  })
})

import { describe, expect, it } from 'vitest'
import { BATCH, readBatchHeader, verifyBatchCrc } from '../../src/log/batch-header.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import { batchOf, code, openLog, readAll, recordsIn, TP } from './helpers.js'

const DAY_MS = 24 * 3600 * 1000

function snapshot(log: PartitionLog) {
  return {
    start: log.logStartOffset,
    end: log.logEndOffset,
    hw: log.highWatermark,
    size: log.sizeBytes,
    segments: log.segmentBaseOffsets,
  }
}

describe('append and read', () => {
  it('appends, assigns offsets and reads back', async () => {
    const { log } = await openLog()
    const a = log.append(batchOf(['a', 'b', 'c']))
    const b = log.append(batchOf(['d']))
    expect([a.baseOffset, a.lastOffset, b.baseOffset, b.lastOffset]).toEqual([0, 2, 3, 3])
    expect(a).toMatchObject({
      recordCount: 3,
      logAppendTimeMs: -1,
      duplicate: false,
      maxTimestamp: 1000,
    })
    expect(log.logEndOffset).toBe(4)
    expect(log.highWatermark).toBe(4)
    expect(await readAll(log)).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ])
  })

  it('returns the batch holding a mid-batch offset, whole', async () => {
    const { log } = await openLog()
    log.append(batchOf(['a', 'b', 'c']))
    log.append(batchOf(['d']))
    const mid = await log.read(1)
    expect(mid.firstOffset).toBe(0)
    expect(mid.nextOffset).toBe(4)
    expect(recordsIn(mid.bytes).map(([o]) => o)).toEqual([0, 1, 2, 3])
  })

  it('returns at least one batch past maxBytes, and stops at maxOffset', async () => {
    const { log } = await openLog()
    for (let i = 0; i < 5; i++) log.append(batchOf([`v${i}`, `w${i}`]))
    const one = await log.read(0, { maxBytes: 1 })
    expect(recordsIn(one.bytes).map(([o]) => o)).toEqual([0, 1])
    const size = one.bytes.length
    const three = await log.read(0, { maxBytes: 3 * size + 1 })
    expect(three.nextOffset).toBe(6)
    const capped = await log.read(0, { maxOffset: 4 })
    expect(capped.nextOffset).toBe(4)
    expect((await log.read(4, { maxOffset: 4 })).bytes.length).toBe(0)
  })

  it('reads at the end as empty and outside the log as OFFSET_OUT_OF_RANGE', async () => {
    const { log } = await openLog()
    expect((await log.read(0)).bytes.length).toBe(0)
    log.append(batchOf(['a']))
    const end = await log.read(1)
    expect(end).toMatchObject({ firstOffset: -1, nextOffset: 1, logEndOffset: 1 })
    await expect(log.read(2)).rejects.toThrow(code('OFFSET_OUT_OF_RANGE'))
    await log.deleteRecordsBefore(1)
    await expect(log.read(0)).rejects.toThrow(code('OFFSET_OUT_OF_RANGE'))
  })

  it('patches base offset and leader epoch outside the CRC', async () => {
    const { log } = await openLog()
    log.append(batchOf(['a', 'b']))
    const bytes = batchOf(['c'])
    log.append(bytes, { leaderEpoch: 7 })
    const stored = (await log.read(2)).bytes
    const h = readBatchHeader(stored)
    expect(h).toMatchObject({ baseOffset: 2, partitionLeaderEpoch: 7 })
    expect(verifyBatchCrc(stored)).toBe(true)
  })

  it('stamps LogAppendTime with the clock and a fresh CRC', async () => {
    const { log, clock } = await openLog({ 'message.timestamp.type': 'LogAppendTime' })
    const info = log.append(batchOf(['a', 'b'], { timestamp: 5 }))
    expect(info.logAppendTimeMs).toBe(clock.now())
    const batch = decodeRecordBatch((await log.read(0)).bytes)
    expect(batch.timestampType).toBe('LogAppendTime')
    expect(batch.records.map((r) => r.timestamp)).toEqual([clock.now(), clock.now()])
  })

  it('keeps a follower batch at its own offsets (gaps allowed), never below the end', async () => {
    const { log } = await openLog()
    log.append(encodeRecordBatch({ baseOffset: 10, records: [{ value: 'x' }] }), {
      assignOffsets: false,
    })
    expect(log.logEndOffset).toBe(11)
    const before = snapshot(log)
    expect(() =>
      log.append(encodeRecordBatch({ baseOffset: 5, records: [{ value: 'y' }] }), {
        assignOffsets: false,
      }),
    ).toThrow(code('INVALID_RECORD'))
    expect(snapshot(log)).toEqual(before)
  })
})

describe('bad input changes nothing', () => {
  it('rejects bad batches with coded errors', async () => {
    const { log } = await openLog({ 'max.message.bytes': 200 })
    log.append(batchOf(['a']))
    const before = snapshot(log)
    const flipped = batchOf(['b'])
    flipped[65]! ^= 1
    const cases: [unknown, string][] = [
      ['abc', 'INVALID_ARGUMENT'],
      [null, 'INVALID_ARGUMENT'],
      [[1, 2, 3], 'INVALID_ARGUMENT'],
      [Buffer.alloc(10), 'CORRUPT_MESSAGE'],
      [Buffer.alloc(100, 0xff), 'CORRUPT_MESSAGE'],
      [flipped, 'CORRUPT_MESSAGE'],
      [Buffer.concat([batchOf(['x']), batchOf(['y'])]), 'CORRUPT_MESSAGE'],
      [batchOf(['z'.repeat(300)]), 'MESSAGE_TOO_LARGE'],
    ]
    for (const [bytes, c] of cases) {
      expect(() => log.append(bytes as Uint8Array)).toThrow(code(c))
      expect(snapshot(log)).toEqual(before)
    }
    expect(() => log.append(batchOf(['x']), { leaderEpoch: 1.5 })).toThrow(code('INVALID_ARGUMENT'))
    expect(snapshot(log)).toEqual(before)
    expect(await readAll(log)).toEqual([[0, 'a']])
  })

  it('rejects bad offsets and options', async () => {
    const { log } = await openLog()
    log.append(batchOf(['a', 'b']))
    const before = snapshot(log)
    for (const bad of [-1, 1.5, 'x', null, Number.NaN, {}]) {
      await expect(log.read(bad as number)).rejects.toThrow(code('INVALID_ARGUMENT'))
      await expect(log.truncateTo(bad as number)).rejects.toThrow(code('INVALID_ARGUMENT'))
      await expect(log.deleteRecordsBefore(bad as number)).rejects.toThrow(code('INVALID_ARGUMENT'))
    }
    await expect(log.read(0, { maxBytes: 0 })).rejects.toThrow(code('INVALID_ARGUMENT'))
    await expect(log.offsetForTimestamp(-3)).rejects.toThrow(code('INVALID_ARGUMENT'))
    await expect(log.deleteRecordsBefore(3)).rejects.toThrow(code('OFFSET_OUT_OF_RANGE'))
    expect(() => log.setHighWatermark(1)).toThrow(code('INVALID_ARGUMENT'))
    expect(() => log.setConfig({ 'segment.bytes': -5 })).toThrow(code('INVALID_CONFIG'))
    expect(snapshot(log)).toEqual(before)
    expect(log.config['segment.bytes']).toBe(1024 ** 3)
  })

  it('refuses bad open options', async () => {
    const { store, clock } = await openLog()
    await expect(
      PartitionLog.open({ topicPartition: { topic: 'a/b', partition: 0 }, store, clock }),
    ).rejects.toThrow(code('INVALID_TOPIC_EXCEPTION'))
    await expect(
      PartitionLog.open({ topicPartition: { topic: 'a', partition: -1 }, store, clock }),
    ).rejects.toThrow(code('INVALID_ARGUMENT'))
    await expect(
      PartitionLog.open({
        topicPartition: TP,
        store,
        clock,
        config: { 'retention.ms': 'x' as never },
      }),
    ).rejects.toThrow(code('INVALID_CONFIG'))
  })
})

describe('close', () => {
  it('is idempotent and makes every later call CLOSED', async () => {
    const { log } = await openLog()
    log.append(batchOf(['a']))
    await log.close()
    await log.close()
    expect(log.closed).toBe(true)
    expect(() => log.append(batchOf(['b']))).toThrow(code('CLOSED'))
    await expect(log.read(0)).rejects.toThrow(code('CLOSED'))
    await expect(log.truncateTo(0)).rejects.toThrow(code('CLOSED'))
    await expect(log.enforceRetention()).rejects.toThrow(code('CLOSED'))
    await expect(log.compact()).rejects.toThrow(code('CLOSED'))
    await expect(log.flush()).rejects.toThrow(code('CLOSED'))
    await expect(log.offsetForTimestamp(0)).rejects.toThrow(code('CLOSED'))
  })

  it('reopens with the same records', async () => {
    const h = await openLog({ 'segment.bytes': 200 })
    for (let i = 0; i < 10; i++) h.log.append(batchOf([`v${i}`]))
    const before = await readAll(h.log)
    const segments = h.log.segmentBaseOffsets
    const log = await h.reopen()
    expect(log.segmentBaseOffsets).toEqual(segments)
    expect(log.logEndOffset).toBe(10)
    expect(log.recovery).toEqual({
      truncatedBytes: 0,
      recoveredBatches: 10 - segments[segments.length - 1]!,
      clean: false,
    })
    expect(await readAll(log)).toEqual(before)
    expect(log.append(batchOf(['next'])).baseOffset).toBe(10)
  })
})

describe('segments', () => {
  it('rolls before the append that would pass segment.bytes', async () => {
    const { log } = await openLog({ 'segment.bytes': 250 })
    const size = batchOf(['x'.repeat(20)]).length
    for (let i = 0; i < 6; i++) log.append(batchOf(['x'.repeat(20)]))
    const perSegment = Math.floor(250 / size)
    expect(log.segmentBaseOffsets).toEqual([0, perSegment, 2 * perSegment].filter((o) => o < 6))
  })

  it('rolls after segment.ms on the clock', async () => {
    const { log, clock } = await openLog({ 'segment.ms': 1000 })
    log.append(batchOf(['a']))
    await clock.advance(999)
    log.append(batchOf(['b']))
    expect(log.segmentBaseOffsets).toEqual([0])
    await clock.advance(1)
    log.append(batchOf(['c']))
    expect(log.segmentBaseOffsets).toEqual([0, 2])
  })
})

describe('high watermark', () => {
  it('follows the end by default and is set by the caller when replicated', async () => {
    const { log } = await openLog({}, { replicated: true })
    log.append(batchOf(['a', 'b', 'c']))
    expect(log.highWatermark).toBe(0)
    log.setHighWatermark(2)
    expect(log.highWatermark).toBe(2)
    expect(() => log.setHighWatermark(4)).toThrow(code('OFFSET_OUT_OF_RANGE'))
    await expect(log.deleteRecordsBefore(3)).rejects.toThrow(code('OFFSET_OUT_OF_RANGE'))
    expect((await log.read(0, { maxOffset: log.highWatermark })).nextOffset).toBe(3)
    await log.truncateTo(0)
    expect(log.highWatermark).toBe(0)
  })
})

describe('offsetForTimestamp', () => {
  it('finds the earliest offset at or after a timestamp, across segments and a reopen', async () => {
    const h = await openLog({ 'segment.bytes': 300, 'index.interval.bytes': 0 })
    const times = [100, 300, 200, 500, 400, 700, 600]
    for (const [i, t] of times.entries()) {
      h.log.append(
        encodeRecordBatch({
          records: [
            { value: `a${i}`, timestamp: t },
            { value: `b${i}`, timestamp: t + 10 },
          ],
        }),
      )
    }
    expect(h.log.segmentBaseOffsets.length).toBeGreaterThan(2)
    const check = async (log: PartitionLog) => {
      expect(await log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 100 })
      expect(await log.offsetForTimestamp(105)).toEqual({ offset: 1, timestamp: 110 })
      expect(await log.offsetForTimestamp(250)).toEqual({ offset: 2, timestamp: 300 })
      expect(await log.offsetForTimestamp(450)).toEqual({ offset: 6, timestamp: 500 })
      expect(await log.offsetForTimestamp(615)).toEqual({ offset: 10, timestamp: 700 })
      expect(await log.offsetForTimestamp(711)).toBeNull()
      expect(await log.offsetForTimestamp(-1)).toEqual({ offset: 14, timestamp: -1 })
      expect(await log.offsetForTimestamp(-2)).toEqual({ offset: 0, timestamp: -1 })
    }
    await check(h.log)
    await check(await h.reopen())
    await h.log.deleteRecordsBefore(3)
    expect(await h.log.offsetForTimestamp(0)).toEqual({ offset: 3, timestamp: 310 })
  })
})

describe('truncateTo', () => {
  it('cuts at a batch boundary, or drops the whole batch holding the offset', async () => {
    const { log } = await openLog({ 'segment.bytes': 250 })
    for (let i = 0; i < 8; i++) log.append(batchOf([`a${i}`, `b${i}`]))
    expect(await log.truncateTo(20)).toBe(16)
    expect(await log.truncateTo(10)).toBe(10)
    expect(log.logEndOffset).toBe(10)
    expect(await log.truncateTo(7)).toBe(6)
    expect((await readAll(log)).map(([o]) => o)).toEqual([0, 1, 2, 3, 4, 5])
    expect(log.append(batchOf(['c'])).baseOffset).toBe(6)
    expect(await readAll(log)).toHaveLength(7)
  })

  it('refuses offsets below the log start', async () => {
    const { log } = await openLog()
    for (let i = 0; i < 4; i++) log.append(batchOf([`a${i}`]))
    await log.deleteRecordsBefore(2)
    const before = snapshot(log)
    await expect(log.truncateTo(1)).rejects.toThrow(code('OFFSET_OUT_OF_RANGE'))
    expect(snapshot(log)).toEqual(before)
  })

  it('survives a reopen after truncation across segments', async () => {
    const h = await openLog({ 'segment.bytes': 200 })
    for (let i = 0; i < 12; i++) h.log.append(batchOf([`a${i}`]))
    await h.log.truncateTo(3)
    const log = await h.reopen()
    expect(log.logEndOffset).toBe(3)
    expect(log.recovery.truncatedBytes).toBe(0)
    expect((await readAll(log)).map(([, v]) => v)).toEqual(['a0', 'a1', 'a2'])
  })
})

describe('retention', () => {
  it('deletes closed segments older than retention.ms, never the active one', async () => {
    const { log, clock } = await openLog({ 'segment.bytes': 200, 'retention.ms': 10 * DAY_MS })
    for (let i = 0; i < 6; i++) log.append(batchOf([`a${i}`], { timestamp: clock.now() }))
    await clock.advance(5 * DAY_MS)
    for (let i = 6; i < 9; i++) log.append(batchOf([`a${i}`], { timestamp: clock.now() }))
    const segments = log.segmentBaseOffsets
    expect((await log.enforceRetention()).deletedSegments).toEqual([])
    await clock.advance(5 * DAY_MS + 1)
    const oldOnes = segments.filter(
      (base) => base < 6 && segments[segments.indexOf(base) + 1]! <= 6,
    )
    const r = await log.enforceRetention()
    expect(r.deletedSegments).toEqual(oldOnes)
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets[0])
    await clock.advance(100 * DAY_MS)
    await log.enforceRetention()
    expect(log.segmentBaseOffsets).toEqual([segments[segments.length - 1]])
  })

  it('deletes oldest segments while the rest stays at least retention.bytes', async () => {
    const { log } = await openLog({
      'segment.bytes': 200,
      'retention.bytes': 400,
      'retention.ms': -1,
    })
    for (let i = 0; i < 12; i++) log.append(batchOf([`a${i}`.padEnd(30, '.')]))
    const size = batchOf(['a0'.padEnd(30, '.')]).length
    const perSegment = Math.floor(200 / size)
    const segmentBytes = perSegment * size
    expect(log.sizeBytes).toBe(12 * size)
    const r = await log.enforceRetention()
    expect(log.sizeBytes).toBeGreaterThanOrEqual(400)
    expect(log.sizeBytes - segmentBytes).toBeLessThan(400)
    expect(r.deletedBytes).toBe(12 * size - log.sizeBytes)
  })

  it('does nothing by time or size when cleanup.policy is compact', async () => {
    const { log, clock } = await openLog({
      'segment.bytes': 200,
      'cleanup.policy': 'compact',
      'retention.bytes': 1,
    })
    for (let i = 0; i < 8; i++) log.append(batchOf([`a${i}`], { keys: ['k'] }))
    await clock.advance(30 * DAY_MS)
    expect((await log.enforceRetention()).deletedSegments).toEqual([])
  })

  it('keeps segments that may hold offsets at or past the high watermark', async () => {
    const { log } = await openLog(
      { 'segment.bytes': 200, 'retention.bytes': 0 },
      { replicated: true },
    )
    for (let i = 0; i < 8; i++) log.append(batchOf([`a${i}`]))
    expect((await log.enforceRetention()).deletedSegments).toEqual([])
    const segments = log.segmentBaseOffsets
    log.setHighWatermark(6)
    expect((await log.enforceRetention()).deletedSegments).toEqual(
      segments.filter((_, i) => segments[i + 1]! <= 6),
    )
    log.setHighWatermark(log.logEndOffset)
    await log.enforceRetention()
    expect(log.segmentBaseOffsets).toEqual(segments.slice(-1))
  })

  it('deleteRecordsBefore drops whole segments below the new start', async () => {
    const { log } = await openLog({ 'segment.bytes': 200 })
    for (let i = 0; i < 8; i++) log.append(batchOf([`a${i}`]))
    const second = log.segmentBaseOffsets[1]!
    expect(await log.deleteRecordsBefore(second + 1)).toBe(second + 1)
    expect(log.segmentBaseOffsets[0]).toBe(second)
    expect((await readAll(log))[0]).toEqual([second + 1, `a${second + 1}`])
    expect(await log.deleteRecordsBefore(1)).toBe(second + 1)
  })
})

describe('stored bytes', () => {
  it('leaves the batch bytes exactly as appended apart from offset and epoch', async () => {
    const { log } = await openLog()
    const bytes = batchOf(['a', 'b'])
    const copy = Buffer.from(bytes)
    log.append(bytes)
    const stored = (await log.read(0)).bytes
    expect(Buffer.compare(stored.subarray(BATCH.MAGIC), copy.subarray(BATCH.MAGIC))).toBe(0)
  })
})

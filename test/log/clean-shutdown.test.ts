/**
 * The open after a clean close: the log trusts the close's description of its active segment
 * and producers when the segment is exactly as described, and reads nothing; otherwise (no
 * description, or a segment that changed since) it recovers as after a crash. Either way the
 * reopened log is the same log.
 */
import { describe, expect, it } from 'vitest'
import type { PartitionLog } from '../../src/log/partition-log.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import type { CleanShutdown } from '../../src/storage/checkpoints.js'
import { batchOf, code, type Harness, openLog, readAll } from './helpers.js'

function idempotent(seq: number, n = 2, epoch = 0) {
  return encodeRecordBatch({
    producerId: 7,
    producerEpoch: epoch,
    baseSequence: seq,
    records: Array.from({ length: n }, (_, i) => ({ value: `s${seq + i}`, timestamp: 500 + seq })),
  })
}

/** Close the log and reopen it with what its close left (or with `clean`, when given). */
async function reopenClean(h: Harness, clean?: CleanShutdown): Promise<PartitionLog> {
  await h.log.close()
  return h.reopen({ cleanShutdown: clean ?? h.log.cleanShutdown })
}

/** A log over several segments, written with timestamps and an idempotent producer. */
async function writtenLog(): Promise<Harness> {
  const h = await openLog({ 'segment.bytes': 400, 'index.interval.bytes': 0 })
  for (let i = 0; i < 12; i++) {
    h.log.append(batchOf([`v${i}`, `w${i}`], { timestamp: 100 * (i + 1) }))
  }
  h.log.append(idempotent(0))
  h.log.append(idempotent(2))
  return h
}

describe('the open after a clean close', () => {
  it('is described only once the close has completed', async () => {
    const h = await writtenLog()
    expect(h.log.cleanShutdown).toBeUndefined()
    await h.log.close()
    expect(h.log.cleanShutdown).toMatchObject({
      activeBaseOffset: h.log.segmentBaseOffsets.at(-1),
      logEndOffset: 28,
      producers: [{ producerId: 7, epoch: 0 }],
    })
  })

  it('trusts the description, reads nothing, and is the same log', async () => {
    const h = await writtenLog()
    const records = await readAll(h.log)
    const segments = h.log.segmentBaseOffsets
    const lookups = async (log: PartitionLog) => [
      await log.offsetForTimestamp(0),
      await log.offsetForTimestamp(650),
      await log.offsetForTimestamp(1203),
      (await log.read(17, { maxBytes: 1 })).firstOffset,
    ]
    const before = await lookups(h.log)
    const log = await reopenClean(h)
    expect(log.recovery).toEqual({ truncatedBytes: 0, recoveredBatches: 0, clean: true })
    expect(log.segmentBaseOffsets).toEqual(segments)
    expect(log.logEndOffset).toBe(28)
    expect(await readAll(log)).toEqual(records)
    expect(await lookups(log)).toEqual(before)
    // It goes on as it was: offsets continue, segments roll, a recovery agrees.
    for (let i = 0; i < 6; i++) log.append(batchOf([`x${i}`], { timestamp: 2_000 + i }))
    expect(log.logEndOffset).toBe(34)
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(segments.length)
    const all = await readAll(log)
    await log.close()
    const recovered = await h.reopen()
    expect(recovered.recovery.clean).toBe(false)
    expect(await readAll(recovered)).toEqual(all)
    expect(await recovered.offsetForTimestamp(2_003)).toEqual({ offset: 31, timestamp: 2_003 })
  })

  it('checks the CRC of batches from before the close when they are read', async () => {
    const h = await writtenLog()
    const log = await reopenClean(h)
    const last = log.logEndOffset - 1
    const stored = await log.read(last, { maxBytes: 1, noCopy: true })
    stored.bytes[stored.bytes.length - 1] = (stored.bytes.at(-1) as number) ^ 0x01
    await expect(log.read(last, { maxBytes: 1 })).rejects.toThrow(code('CORRUPT_MESSAGE'))
    log.append(batchOf(['new']))
    expect(await readAll(log, last + 1)).toEqual([[last + 1, 'new']])
  })

  it('keeps the producers: a retried batch is a duplicate, a gap is refused', async () => {
    const h = await writtenLog()
    const log = await reopenClean(h)
    expect(log.recovery.clean).toBe(true)
    expect(log.append(idempotent(2))).toMatchObject({ duplicate: true, baseOffset: 26 })
    expect(() => log.append(idempotent(9))).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(log.append(idempotent(4)).baseOffset).toBe(28)
  })

  it('recovers as after a crash when the active segment is not as described', async () => {
    const h = await writtenLog()
    await h.log.close()
    const stale = h.log.cleanShutdown as CleanShutdown
    const log = await h.reopen()
    log.append(batchOf(['after']))
    const all = await readAll(log)
    const reopened = await reopenClean(h, stale)
    expect(reopened.recovery.clean).toBe(false)
    expect(reopened.logEndOffset).toBe(29)
    expect(await readAll(reopened)).toEqual(all)
    expect(reopened.append(idempotent(2))).toMatchObject({ duplicate: true })
  })
})

import { describe, expect, it } from 'vitest'
import { lastSequence, ProducerStateTable } from '../../src/log/producer-state.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import { code, openLog, readAll } from './helpers.js'

const INT32_MAX = 0x7fff_ffff

function idempotent(producerId: number, epoch: number, seq: number, n = 1) {
  return encodeRecordBatch({
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
    records: Array.from({ length: n }, (_, i) => ({ value: `p${producerId}e${epoch}s${seq + i}` })),
  })
}

describe('ProducerStateTable', () => {
  it('wraps sequences after 2^31-1', () => {
    expect(lastSequence(INT32_MAX, 0)).toBe(INT32_MAX)
    expect(lastSequence(INT32_MAX, 1)).toBe(0)
    expect(lastSequence(INT32_MAX - 1, 3)).toBe(1)
  })

  it('applies Kafka rules: duplicates, gaps, stale and new epochs', () => {
    const t = new ProducerStateTable()
    expect(t.check(1, 0, 17, 19)).toBeUndefined() // unknown producer: any sequence
    t.update(1, 0, { firstSeq: 17, lastSeq: 19, baseOffset: 100, lastOffset: 102 })
    expect(t.check(1, 0, 17, 19)).toMatchObject({ baseOffset: 100, lastOffset: 102 })
    expect(t.check(1, 0, 20, 20)).toBeUndefined()
    expect(() => t.check(1, 0, 21, 21)).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(() => t.check(1, 0, 18, 19)).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(() => t.check(1, -1, 20, 20)).toThrow(code('INVALID_PRODUCER_EPOCH'))
    expect(() => t.check(1, 1, 5, 5)).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(t.check(1, 1, 0, 3)).toBeUndefined()
  })

  it('remembers the last five batches only, and wraps', () => {
    const t = new ProducerStateTable()
    for (let i = 0; i < 7; i++)
      t.update(2, 0, { firstSeq: i, lastSeq: i, baseOffset: i, lastOffset: i })
    expect(t.get(2)!.batches.map((b) => b.firstSeq)).toEqual([2, 3, 4, 5, 6])
    expect(() => t.check(2, 0, 1, 1)).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(t.check(2, 0, 2, 2)).toMatchObject({ baseOffset: 2 })
    t.update(3, 0, { firstSeq: INT32_MAX - 1, lastSeq: INT32_MAX, baseOffset: 0, lastOffset: 1 })
    expect(t.check(3, 0, 0, 4)).toBeUndefined()
  })

  it('forgets batches past a truncation, and producers left with none', () => {
    const t = new ProducerStateTable()
    t.update(1, 0, { firstSeq: 0, lastSeq: 0, baseOffset: 0, lastOffset: 0 })
    t.update(1, 1, { firstSeq: 0, lastSeq: 1, baseOffset: 5, lastOffset: 6 })
    t.update(2, 0, { firstSeq: 0, lastSeq: 0, baseOffset: 7, lastOffset: 7 })
    t.truncateFrom(5)
    expect(t.get(2)).toBeUndefined()
    expect(t.get(1)).toBeUndefined() // epoch 1 reset its batches; none below 5 is left
  })
})

describe('idempotent appends', () => {
  it('returns the original offsets for a duplicate and writes nothing', async () => {
    const { log } = await openLog()
    const first = log.append(idempotent(7, 0, 0, 3))
    log.append(idempotent(7, 0, 3, 2))
    const end = log.logEndOffset
    const dup = log.append(idempotent(7, 0, 0, 3))
    expect(dup).toMatchObject({ duplicate: true, baseOffset: first.baseOffset, lastOffset: 2 })
    expect(log.logEndOffset).toBe(end)
    expect(() => log.append(idempotent(7, 0, 9))).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(log.logEndOffset).toBe(end)
    expect(log.producerState(7)?.batches.map((b) => b.firstSeq)).toEqual([0, 3])
  })

  it('fences a stale epoch and requires sequence 0 for a new one', async () => {
    const { log } = await openLog()
    log.append(idempotent(7, 2, 0))
    expect(() => log.append(idempotent(7, 1, 1))).toThrow(code('INVALID_PRODUCER_EPOCH'))
    expect(() => log.append(idempotent(7, 3, 1))).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    log.append(idempotent(7, 3, 0))
    expect(log.producerState(7)?.epoch).toBe(3)
  })

  it('rebuilds the producer table on reopen', async () => {
    const h = await openLog({ 'segment.bytes': 200 })
    for (let s = 0; s < 6; s++) h.log.append(idempotent(9, 0, s))
    const log = await h.reopen()
    expect(log.append(idempotent(9, 0, 5)).duplicate).toBe(true)
    expect(() => log.append(idempotent(9, 0, 7))).toThrow(code('OUT_OF_ORDER_SEQUENCE_NUMBER'))
    expect(log.append(idempotent(9, 0, 6)).baseOffset).toBe(6)
  })

  it('can be switched off', async () => {
    const { log } = await openLog({}, { checkProducerState: false })
    log.append(idempotent(7, 0, 0))
    expect(log.append(idempotent(7, 0, 0)).duplicate).toBe(false)
    expect(await readAll(log)).toHaveLength(2)
  })
})

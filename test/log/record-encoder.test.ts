/** The checked-records encoder writes the very bytes `encodeRecordBatch` writes. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import { type CheckedRecord, encodeCheckedBatch } from '../../src/log/record-encoder.js'

const bytes = fc.option(
  fc
    .oneof(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ minLength: 100, maxLength: 20_000 }))
    .map((a) => Buffer.from(a)),
)
const record: fc.Arbitrary<CheckedRecord> = fc.record({
  key: bytes,
  value: bytes,
  headers: fc.option(
    fc.array(fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 70 }), value: bytes }), {
      maxLength: 3,
    }),
    { nil: undefined },
  ),
  timestamp: fc.oneof(fc.constant(1_735_689_600_000), fc.integer({ min: -1, max: 2 ** 45 })),
})
const identity = fc.oneof(
  fc.constant({ producerId: -1, producerEpoch: -1, baseSequence: -1 }),
  fc.record({
    producerId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    producerEpoch: fc.integer({ min: 0, max: 0x7fff }),
    baseSequence: fc.integer({ min: 0, max: 0x7fff_ffff }),
  }),
)

describe('encodeCheckedBatch', () => {
  it('writes the bytes of encodeRecordBatch', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 150 }), identity, (records, id) => {
        const fast = encodeCheckedBatch(records, id)
        const slow = encodeRecordBatch({ records, ...id })
        expect(fast.equals(slow)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('round-trips through the decoder', () => {
    const records = [
      { key: null, value: Buffer.from('v'), headers: undefined, timestamp: 5 },
      { key: Buffer.from('k'), value: null, headers: [{ key: 'h', value: null }], timestamp: 3 },
    ]
    const decoded = decodeRecordBatch(
      encodeCheckedBatch(records, { producerId: 7, producerEpoch: 1, baseSequence: 9 }),
    )
    expect(decoded.maxTimestamp).toBe(5)
    expect(decoded.producerId).toBe(7)
    expect(decoded.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString()])).toEqual([
      [0n, undefined, 'v'],
      [1n, 'k', undefined],
    ])
  })

  it('refuses an empty batch and timestamps 2^53 ms apart', () => {
    const id = { producerId: -1, producerEpoch: -1, baseSequence: -1 }
    expect(() => encodeCheckedBatch([], id)).toThrow(/at least one record/)
    const far = [
      { key: null, value: null, headers: undefined, timestamp: -1 },
      { key: null, value: null, headers: undefined, timestamp: Number.MAX_SAFE_INTEGER },
    ]
    expect(() => encodeCheckedBatch(far, id)).toThrow(/2\^53/)
  })
})

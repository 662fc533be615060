import { gunzipSync, gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  checkBatch,
  readBatchHeader,
  splitBatches,
  verifyBatchCrc,
  writeBatchCrc,
} from '../../src/log/batch-header.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import type { BatchCodecs } from '../../src/log/record-types.js'

const code = (c: string) => expect.objectContaining({ code: c })

// Hand-built: baseOffset 0, leader epoch 0, one record key "key" value "value", header h=v,
// timestamp 1700000000000 (0x18bcfe56800). CRC 0x83794a1d computed independently (bitwise
// CRC-32C over bytes 21..end).
const KEY_VALUE_HEADER = [
  '0000000000000000', // baseOffset
  '00000044', // length 68
  '00000000', // partitionLeaderEpoch
  '02', // magic
  '83794a1d', // crc
  '0000', // attributes
  '00000000', // lastOffsetDelta
  '0000018bcfe56800', // baseTimestamp
  '0000018bcfe56800', // maxTimestamp
  'ffffffffffffffff', // producerId -1
  'ffff', // producerEpoch -1
  'ffffffff', // baseSequence -1
  '00000001', // count
  '24', // record length 18
  '00', // attributes
  '00', // timestampDelta
  '00', // offsetDelta
  '06', // key length 3
  '6b6579', // "key"
  '0a', // value length 5
  '76616c7565', // "value"
  '02', // 1 header
  '02', // header key length 1
  '68', // "h"
  '02', // header value length 1
  '76', // "v"
].join('')

// Written by a Kafka 0.11 broker (kafka-python / aiokafka test fixtures): three batches, the
// second with two records whose values are empty and whose timestamps differ by 168 ms.
const KAFKA_BATCHES = [
  '00000000000000000000003b00000001020318a2700000000000000000015dff7b063c0000015dff7b063cffffffffffffffffffffffffffff0000000112000000010631323300',
  '0000000000000001000000400000000202c85cbd230000000000010000015dff7cdd6c0000015dff7cde14ffffffffffffffffffffffffffff000000020c0000000100000e00d00202010000',
  '00000000000000030000003b00000002022e0b85b70000000000000000015dff7ce79d0000015dff7ce79dffffffffffffffffffffffffffff0000000112000000010631323300',
]

// kafkajs fixture src/protocol/recordBatch/fixtures/v0_recordbatch.json: gzip, LogAppendTime.
const KAFKAJS_GZIP = Buffer.from([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 113, 0, 0, 0, 0, 2, 228, 195, 36, 165, 0, 9, 0, 0, 0, 0, 0, 0, 1,
  115, 237, 245, 255, 167, 0, 0, 1, 115, 237, 245, 255, 201, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 31, 139, 8, 0, 0, 0, 0, 0, 0, 19, 11, 99, 96, 96, 224, 202, 78, 173,
  212, 53, 112, 40, 75, 204, 41, 77, 213, 53, 208, 53, 50, 48, 50, 208, 53, 176, 208, 53, 52, 9, 49,
  52, 183, 50, 52, 182, 50, 176, 208, 51, 179, 48, 138, 98, 0, 0, 181, 227, 241, 167, 44, 0, 0, 0,
])

const gzip: BatchCodecs = {
  compress: (_codec, data) => gzipSync(data),
  decompress: (_codec, data) => gunzipSync(data),
}

describe('encodeRecordBatch', () => {
  it('writes the hand-built key/value/header batch byte for byte', () => {
    const bytes = encodeRecordBatch({
      partitionLeaderEpoch: 0,
      records: [{ key: 'key', value: 'value', headers: { h: 'v' }, timestamp: 1700000000000 }],
    })
    expect(bytes.toString('hex')).toBe(KEY_VALUE_HEADER)
  })

  it('re-encodes the Kafka broker batches byte for byte', () => {
    const [first, second] = KAFKA_BATCHES.map((h) => decodeRecordBatch(Buffer.from(h, 'hex')))
    const again = encodeRecordBatch({
      baseOffset: 1n,
      partitionLeaderEpoch: 2,
      records: second!.records.map((r) => ({ value: r.value, timestamp: r.timestamp })),
    })
    expect(again.toString('hex')).toBe(KAFKA_BATCHES[1])
    expect(first!.records[0]!.value!.toString()).toBe('123')
  })

  it('rejects keys and values that are not bytes', () => {
    for (const bad of [1, true, {}, [1], () => 1, 2n]) {
      expect(() => encodeRecordBatch({ records: [{ value: bad as never }] })).toThrow(
        code('INVALID_ARGUMENT'),
      )
      expect(() => encodeRecordBatch({ records: [{ key: bad as never }] })).toThrow(
        code('INVALID_ARGUMENT'),
      )
      expect(() => encodeRecordBatch({ records: [{ headers: { a: bad as never } }] })).toThrow(
        code('INVALID_ARGUMENT'),
      )
    }
  })

  it('rejects bad options', () => {
    expect(() => encodeRecordBatch({ records: [] })).toThrow(code('INVALID_ARGUMENT'))
    expect(() => encodeRecordBatch(null as never)).toThrow(code('INVALID_ARGUMENT'))
    expect(() => encodeRecordBatch({ records: 'x' as never })).toThrow(code('INVALID_ARGUMENT'))
    expect(() => encodeRecordBatch({ records: [{}], baseOffset: -1 })).toThrow(
      code('INVALID_ARGUMENT'),
    )
    expect(() => encodeRecordBatch({ records: [{ timestamp: 1.5 }] })).toThrow(
      code('INVALID_ARGUMENT'),
    )
    expect(() => encodeRecordBatch({ records: [{ offsetDelta: 2 }, { offsetDelta: 2 }] })).toThrow(
      code('INVALID_ARGUMENT'),
    )
    expect(() => encodeRecordBatch({ records: [{}], compression: 'gzip' })).toThrow(
      code('UNSUPPORTED_FOR_MESSAGE_FORMAT'),
    )
    expect(() => encodeRecordBatch({ records: [{}], compression: 'brotli' as never })).toThrow(
      code('INVALID_ARGUMENT'),
    )
  })

  it('keeps explicit offset deltas and lastOffsetDelta (compacted batches)', () => {
    const bytes = encodeRecordBatch({
      baseOffset: 10,
      lastOffsetDelta: 9,
      records: [
        { key: 'a', offsetDelta: 2, timestamp: 5 },
        { key: 'b', offsetDelta: 7, timestamp: 3 },
      ],
    })
    const batch = decodeRecordBatch(bytes)
    expect(batch.records.map((r) => r.offset)).toEqual([12n, 17n])
    expect(batch.lastOffset).toBe(19n)
    expect(batch.maxTimestamp).toBe(5)
    expect(batch.records.map((r) => r.timestamp)).toEqual([5, 3])
  })

  it('rejects timestamps whose delta to the first is not a safe integer', () => {
    expect(() =>
      encodeRecordBatch({ records: [{ timestamp: -(2 ** 52) }, { timestamp: 2 ** 52 }] }),
    ).toThrow(code('INVALID_ARGUMENT'))
  })

  it('allows an empty batch when lastOffsetDelta is given', () => {
    const batch = decodeRecordBatch(encodeRecordBatch({ records: [], lastOffsetDelta: 4 }))
    expect(batch.records).toEqual([])
    expect(batch.recordCount).toBe(0)
    expect(batch.lastOffsetDelta).toBe(4)
  })
})

describe('decodeRecordBatch', () => {
  it('decodes the hand-built batch', () => {
    const batch = decodeRecordBatch(Buffer.from(KEY_VALUE_HEADER, 'hex'))
    expect(batch.crc).toBe(0x83794a1d)
    expect(batch.baseOffset).toBe(0n)
    expect(batch.producerId).toBe(-1)
    const [r] = batch.records
    expect(r!.key!.toString()).toBe('key')
    expect(r!.value!.toString()).toBe('value')
    expect(r!.headers.h!.toString()).toBe('v')
    expect(r!.headerList.map((h) => [h.key, h.value?.toString()])).toEqual([['h', 'v']])
    expect(r!.timestamp).toBe(1700000000000)
    expect(r!.offset).toBe(0n)
  })

  it('decodes batches written by a Kafka broker', () => {
    const records = KAFKA_BATCHES.flatMap((h) => decodeRecordBatch(Buffer.from(h, 'hex')).records)
    expect(records.map((r) => [r.offset, r.timestamp, r.key, r.value?.toString()])).toEqual([
      [0n, 1503229838908, null, '123'],
      [1n, 1503229959532, null, ''],
      [2n, 1503229959700, null, ''],
      [3n, 1503229962141, null, '123'],
    ])
    const second = readBatchHeader(Buffer.from(KAFKA_BATCHES[1]!, 'hex'))
    expect(second).toMatchObject({ baseOffset: 1, lastOffset: 2, partitionLeaderEpoch: 2 })
    expect(second.crc).toBe(0xc85cbd23)
  })

  it('reports a flipped bit as CORRUPT_MESSAGE', () => {
    const bytes = Buffer.from(KEY_VALUE_HEADER, 'hex')
    for (const pos of [21, 30, 61, 70, bytes.length - 1]) {
      const copy = Buffer.from(bytes)
      copy[pos]! ^= 0x10
      expect(verifyBatchCrc(copy)).toBe(false)
      expect(() => decodeRecordBatch(copy)).toThrow(code('CORRUPT_MESSAGE'))
      expect(() => checkBatch(copy)).toThrow(code('CORRUPT_MESSAGE'))
    }
    // Base offset and leader epoch are outside the CRC.
    const patched = Buffer.from(bytes)
    patched[7] = 9
    patched[15] = 3
    expect(verifyBatchCrc(patched)).toBe(true)
  })

  it('rejects garbage and truncation as CORRUPT_MESSAGE, old formats as unsupported', () => {
    const bytes = Buffer.from(KEY_VALUE_HEADER, 'hex')
    expect(() => decodeRecordBatch(bytes.subarray(0, 40))).toThrow(code('CORRUPT_MESSAGE'))
    expect(() => decodeRecordBatch(bytes.subarray(0, bytes.length - 1))).toThrow(
      code('CORRUPT_MESSAGE'),
    )
    expect(() => decodeRecordBatch(Buffer.alloc(100, 0xff))).toThrow(code('CORRUPT_MESSAGE'))
    const v1 = Buffer.from(bytes)
    v1[16] = 1
    expect(() => decodeRecordBatch(v1)).toThrow(code('UNSUPPORTED_FOR_MESSAGE_FORMAT'))
    expect(() => decodeRecordBatch('abc' as never)).toThrow(code('INVALID_ARGUMENT'))
  })

  it('rejects a record whose length disagrees with its fields, even with a valid CRC', () => {
    const bytes = encodeRecordBatch({ records: [{ key: 'k', value: 'v' }] })
    bytes[61] = 0x12 // record length 9 instead of 10
    const fixed = Buffer.from(bytes)
    // Re-stamp the CRC so only the structural check can catch it.
    writeBatchCrc(fixed, 0, fixed.length)
    expect(verifyBatchCrc(fixed)).toBe(true)
    expect(() => decodeRecordBatch(fixed)).toThrow(code('CORRUPT_MESSAGE'))
  })

  it('decodes the kafkajs gzip fixture through a codecs hook, refuses it without', () => {
    expect(verifyBatchCrc(KAFKAJS_GZIP)).toBe(true)
    expect(() => decodeRecordBatch(KAFKAJS_GZIP)).toThrow(code('UNSUPPORTED_FOR_MESSAGE_FORMAT'))
    const batch = decodeRecordBatch(KAFKAJS_GZIP, { codecs: gzip })
    expect(batch.compression).toBe('gzip')
    expect(batch.timestampType).toBe('LogAppendTime')
    expect(batch.records).toHaveLength(1)
    expect(batch.records[0]!.key!.toString()).toBe('key-0')
    expect(batch.records[0]!.timestamp).toBe(batch.maxTimestamp)
  })

  it('keeps repeated header keys in headerList and a __proto__ header as data', () => {
    const bytes = encodeRecordBatch({
      records: [
        {
          headers: [
            { key: 'a', value: '1' },
            { key: 'a', value: '2' },
            { key: '__proto__', value: null },
          ],
        },
      ],
    })
    const [r] = decodeRecordBatch(bytes).records
    expect(r!.headerList.map((h) => h.value?.toString() ?? null)).toEqual(['1', '2', null])
    expect(r!.headers.a!.toString()).toBe('2')
    expect(Object.hasOwn(r!.headers, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(r!.headers)).toBe(Object.prototype)
  })

  it('splits concatenated batches and tolerates a cut-off tail when asked', () => {
    const all = Buffer.concat(KAFKA_BATCHES.map((h) => Buffer.from(h, 'hex')))
    expect(splitBatches(all).map((b) => b.length)).toEqual([71, 76, 71])
    const cut = all.subarray(0, all.length - 5)
    expect(() => splitBatches(cut)).toThrow(code('CORRUPT_MESSAGE'))
    expect(splitBatches(cut, true)).toHaveLength(2)
  })
})

const bytesArb = fc.oneof(
  fc.constant(null),
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 20 }).map((s) => Buffer.from(s)),
)
const recordArb = fc.record({
  key: bytesArb,
  value: bytesArb,
  timestamp: fc.maxSafeInteger(),
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: bytesArb }), {
    maxLength: 3,
  }),
})

describe('codec properties', () => {
  it('round-trips records, nulls, headers and any safe timestamps', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 2 ** 40 }),
        fc.boolean(),
        (records, baseOffset, compressed) => {
          // Deltas must stay within the safe range: keep every timestamp near the first.
          const first = records[0]!.timestamp
          const clamp = (t: number) => Math.max(-(2 ** 51), Math.min(2 ** 51, t))
          const input = records.map((r, i) => ({
            ...r,
            timestamp: i === 0 ? clamp(first) : clamp(r.timestamp),
          }))
          const bytes = encodeRecordBatch({
            baseOffset,
            records: input,
            producerId: 7,
            producerEpoch: 3,
            baseSequence: 11,
            ...(compressed ? { compression: 'gzip' as const, codecs: gzip } : {}),
          })
          const batch = decodeRecordBatch(bytes, { codecs: gzip })
          expect(batch.baseOffset).toBe(BigInt(baseOffset))
          expect(batch.producerId).toBe(7)
          expect(batch.baseSequence).toBe(11)
          expect(batch.recordCount).toBe(input.length)
          expect(batch.maxTimestamp).toBe(Math.max(...input.map((r) => r.timestamp)))
          batch.records.forEach((r, i) => {
            const want = input[i]!
            expect(r.offset).toBe(BigInt(baseOffset + i))
            expect(r.timestamp).toBe(want.timestamp)
            expect(r.key).toEqual(want.key)
            expect(r.value).toEqual(want.value)
            expect(r.headerList).toEqual(want.headers)
          })
        },
      ),
      { numRuns: 200 },
    )
  })
})

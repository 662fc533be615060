import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ByteCursor,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from '../../src/log/varint.js'

// Zigzag vectors as published in the Kafka clients' own tests (aiokafka test_default_records).
const VECTORS: [string, number][] = [
  ['00', 0],
  ['01', -1],
  ['02', 1],
  ['7e', 63],
  ['7f', -64],
  ['8001', 64],
  ['8101', -65],
  ['fe7f', 8191],
  ['ff7f', -8192],
  ['808001', 8192],
  ['818001', -8193],
  ['feff7f', 1048575],
  ['ffff7f', -1048576],
  ['80808001', 1048576],
  ['81808001', -1048577],
  ['feffff7f', 134217727],
  ['ffffff7f', -134217728],
  ['8080808001', 134217728],
  ['8180808001', -134217729],
  ['feffffff7f', 17179869183],
  ['ffffffff7f', -17179869184],
  ['808080808001', 17179869184],
  ['818080808001', -17179869185],
  ['feffffffff7f', 2199023255551],
  ['ffffffffff7f', -2199023255552],
  ['80808080808001', 2199023255552],
  ['81808080808001', -2199023255553],
  ['feffffffffff7f', 281474976710655],
  ['ffffffffffff7f', -281474976710656],
  ['8080808080808001', 281474976710656],
  ['8180808080808001', -281474976710657],
]

function encodeLong(n: number): string {
  const buf = new Uint8Array(10)
  const end = writeVarlong(buf, 0, n)
  expect(end).toBe(sizeOfVarlong(n))
  return Buffer.from(buf.subarray(0, end)).toString('hex')
}

describe('varlong', () => {
  it.each(VECTORS)('encodes and decodes %s as %d', (hex, n) => {
    expect(encodeLong(n)).toBe(hex)
    const c = new ByteCursor(Buffer.from(hex, 'hex'))
    expect(readVarlong(c)).toBe(n)
    expect(c.pos).toBe(hex.length / 2)
  })

  it('rejects values beyond the safe-integer range as CORRUPT_MESSAGE', () => {
    const c = new ByteCursor(Buffer.from('feffffffffffffff7f', 'hex')) // 36028797018963967
    expect(() => readVarlong(c)).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE' }))
  })

  it('rejects a truncated varlong', () => {
    expect(() => readVarlong(new ByteCursor(Buffer.from('8080', 'hex')))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    )
  })

  it('round-trips every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const buf = new Uint8Array(10)
        const end = writeVarlong(buf, 0, n)
        const c = new ByteCursor(buf, 0, end)
        expect(readVarlong(c)).toBe(n)
        expect(c.pos).toBe(end)
      }),
    )
  })
})

describe('varint', () => {
  it.each(VECTORS.filter(([, n]) => n >= -0x8000_0000 && n <= 0x7fff_ffff))(
    'encodes %s as %d',
    (hex, n) => {
      const buf = new Uint8Array(5)
      const end = writeVarint(buf, 0, n)
      expect(Buffer.from(buf.subarray(0, end)).toString('hex')).toBe(hex)
      expect(sizeOfVarint(n)).toBe(end)
      expect(readVarint(new ByteCursor(buf))).toBe(n)
    },
  )

  it('round-trips int32 extremes', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const buf = new Uint8Array(5)
        const end = writeVarint(buf, 0, n)
        expect(readVarint(new ByteCursor(buf, 0, end))).toBe(n)
      }),
    )
  })

  it('rejects a varint longer than 32 bits', () => {
    expect(() => readVarint(new ByteCursor(Buffer.from('ffffffff7f', 'hex')))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    )
  })
})

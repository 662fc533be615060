import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { murmur2, toPositive } from '../../src/producer/murmur2.js'

// Kafka's own vectors: clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java
// (testMurmur2), and those the Akka/Pekko projects took from Kafka's implementation.
const KAFKA_VECTORS: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
  ['1', -1993445489],
  ['12', 126087238],
  ['123', -267702483],
  ['1234', -1614185708],
  ['12345', -1188365604],
]

describe('murmur2', () => {
  it.each(KAFKA_VECTORS)('murmur2(%j) is Kafka’s %d', (key, hash) => {
    expect(murmur2(Buffer.from(key))).toBe(hash)
  })

  it('hashes a Uint8Array view like the bytes it shows', () => {
    const backing = Buffer.from('xxfoobarxx')
    expect(murmur2(backing.subarray(2, 8))).toBe(-790332482)
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107)
  })

  it('toPositive masks the sign bit as Kafka does', () => {
    expect(toPositive(-1)).toBe(0x7fffffff)
    expect(toPositive(-2147483648)).toBe(0)
    expect(toPositive(5)).toBe(5)
    // "21" with 3 partitions: toPositive(-973932308) % 3
    expect(toPositive(-973932308) % 3).toBe(1173551340 % 3)
  })

  it('always returns an int32, deterministic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const h = murmur2(bytes)
        expect(h).toBe(h | 0)
        expect(murmur2(Uint8Array.from(bytes))).toBe(h)
        expect(toPositive(h)).toBeGreaterThanOrEqual(0)
      }),
    )
  })
})

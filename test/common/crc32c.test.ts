import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32c } from '../../src/common/crc32c.js'

// Test vectors of RFC 3720 (iSCSI), appendix B.4, and the classic check value.
describe('crc32c', () => {
  it('matches the check value for "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283)
  })

  it('matches RFC 3720 B.4 vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa)
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43)
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e)
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c)
  })

  it('is 0 for no bytes', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0)
  })

  it('agrees with a bitwise reference, over ranges and in pieces', () => {
    const reference = (bytes: Uint8Array): number => {
      let c = 0xffffffff
      for (const b of bytes) {
        c ^= b
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
      }
      return ~c >>> 0
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cut) => {
        const whole = crc32c(bytes)
        expect(whole).toBe(reference(bytes))
        const at = bytes.length === 0 ? 0 : cut % bytes.length
        expect(crc32c(bytes, at, bytes.length, crc32c(bytes, 0, at))).toBe(whole)
      }),
    )
  })

  it('takes the word path for long inputs at every alignment', () => {
    const reference = (bytes: Uint8Array): number => {
      let c = 0xffffffff
      for (const b of bytes) {
        c ^= b
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
      }
      return ~c >>> 0
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 256, maxLength: 2000 }),
        fc.nat(7),
        fc.nat(40),
        (bytes, shift, trim) => {
          // A view at an odd byte offset of a larger buffer, and a range inside it.
          const backing = new Uint8Array(bytes.length + 8)
          backing.set(bytes, shift)
          const view = backing.subarray(shift, shift + bytes.length)
          expect(crc32c(view)).toBe(reference(bytes))
          const end = bytes.length - trim
          expect(crc32c(view, trim, end)).toBe(reference(bytes.subarray(trim, end)))
        },
      ),
      { numRuns: 200 },
    )
  })
})

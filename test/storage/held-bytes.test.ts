import { describe, expect, it } from 'vitest'
import { holdBytes, holdMemory, isHeld } from '../../src/storage/held-bytes.js'

describe('held bytes', () => {
  it('marks the whole ArrayBuffer: every view of it is held, other memory is not', () => {
    const whole = Buffer.allocUnsafeSlow(64)
    const other = Buffer.allocUnsafeSlow(64)
    expect(isHeld(whole)).toBe(false)
    holdBytes(whole.subarray(8, 16))
    expect(isHeld(whole)).toBe(true)
    expect(isHeld(new Uint8Array(whole.buffer, 32, 4))).toBe(true)
    expect(isHeld(other)).toBe(false)
    holdBytes(whole) // marking twice is harmless
    expect(isHeld(whole)).toBe(true)
  })

  it('leaves no trace other code can see on the ArrayBuffer', () => {
    const bytes = new Uint8Array(16)
    holdMemory(bytes.buffer)
    expect(isHeld(bytes)).toBe(true)
    expect(Reflect.ownKeys(bytes.buffer)).toEqual([])
    expect(Object.keys(bytes.buffer)).toEqual([])
    expect(bytes.buffer.byteLength).toBe(16)
  })

  it('marks a frozen ArrayBuffer too', () => {
    const bytes = new Uint8Array(8)
    Object.freeze(bytes.buffer)
    holdBytes(bytes)
    expect(isHeld(bytes)).toBe(true)
  })
})

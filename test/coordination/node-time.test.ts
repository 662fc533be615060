/** The compact form of node times must give back every time exactly. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadTime, storeTime } from '../../src/coordination/node-time.js'

describe('node times', () => {
  it('round-trips every time exactly, small differences as small integers', () => {
    const now = 1_795_000_000_000
    for (const t of [
      0,
      now,
      now + 1,
      now - 86_400_000 * 30,
      0.5,
      now + 0.25,
      1e-9,
      -5,
      2 ** 53 - 1,
    ]) {
      expect(loadTime(storeTime(t)), String(t)).toBe(t)
    }
    expect(typeof storeTime(now + 1000)).toBe('number')
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (t) => {
        expect(
          Object.is(loadTime(storeTime(t)), t) || (t === 0 && loadTime(storeTime(t)) === 0),
        ).toBe(true)
      }),
    )
  })
})

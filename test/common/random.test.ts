import { describe, expect, it } from 'vitest'
import { createRandom } from '../../src/common/random.js'

describe('Random', () => {
  it('replays the same sequence from the same seed', () => {
    const a = createRandom(42)
    const b = createRandom(42)
    const xs = Array.from({ length: 100 }, () => a.next())
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs)
    expect(new Set(xs).size).toBe(100)
  })

  it('differs between seeds and between forks', () => {
    expect(createRandom(1).next()).not.toBe(createRandom(2).next())
    const r = createRandom(7)
    expect(r.fork('a').next()).not.toBe(r.fork('b').next())
    expect(createRandom(7).fork('a').next()).toBe(createRandom(7).fork('a').next())
  })

  it('keeps int() in range and roughly uniform', () => {
    const r = createRandom(3)
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 40_000; i++) counts[r.int(4)]! += 1
    for (const c of counts) expect(c).toBeGreaterThan(9_000)
    expect(() => r.int(0)).toThrow(RangeError)
  })

  it('shuffles without losing elements and makes v4 uuids', () => {
    const r = createRandom(5)
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5])
    expect(r.uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(r.bytes(7)).toHaveLength(7)
  })

  it('draws a seed when given none and reports it', () => {
    const r = createRandom()
    expect(createRandom(r.seed).next()).toBe(r.next())
  })
})

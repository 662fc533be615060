/** The tree's data store: every live value reads back intact whatever was freed and reused. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataStore, NULL_DATA } from '../../src/coordination/data-store.js'

describe('DataStore', () => {
  it('keeps null, empty, small and big values; reads are copies', () => {
    const store = new DataStore()
    const big = 'b'.repeat(70_000)
    const values = [null, '', 'x', '\u00ff\u0000a', 'y'.repeat(100), big]
    const handles = values.map((v) => store.put(v))
    expect(handles[0]).toBe(NULL_DATA)
    values.forEach((v, i) => {
      const h = handles[i] as number
      const len = v === null ? 0 : v.length
      expect(store.latin1(h, len)).toBe(v)
      expect(store.buffer(h, len)?.toString('latin1') ?? null).toBe(v)
    })
    const copy = store.buffer(handles[4] as number, 100)
    copy?.fill(0)
    expect(store.latin1(handles[4] as number, 100)).toBe('y'.repeat(100))
  })

  it('agrees with a map of values over random puts and frees', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.string({ maxLength: 40 }).map((s) => Buffer.from(s).toString('latin1')),
      fc.integer({ min: 0, max: 20_000 }).map((n) => String.fromCharCode(97 + (n % 26)).repeat(n)),
    )
    const step = fc.oneof(
      value.map((v) => ({ put: v })),
      fc.nat().map((i) => ({ free: i })),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const store = new DataStore()
        const live: Array<{ h: number; v: string | null }> = []
        for (const s of steps) {
          if ('put' in s) live.push({ h: store.put(s.put), v: s.put })
          else if (live.length > 0) {
            const [gone] = live.splice(s.free % live.length, 1)
            if (gone) store.free(gone.h, gone.v === null ? 0 : gone.v.length)
          }
          for (const { h, v } of live) expect(store.latin1(h, v === null ? 0 : v.length)).toBe(v)
        }
      }),
      { numRuns: 200 },
    )
  })
})

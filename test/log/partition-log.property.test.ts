/**
 * Random sequences of append / read / truncate / delete-records / retention / compaction-free
 * reopen against a model (a list of batches of values), over the MemoryLogStore, with small
 * segments and a small index interval so rolls, index lookups and multi-segment reads happen.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { batchOf, openLog, readAll, recordsIn } from './helpers.js'

interface ModelBatch {
  base: number
  values: string[]
}

class Model {
  batches: ModelBatch[] = []
  logStart = 0
  get end(): number {
    const last = this.batches[this.batches.length - 1]
    return last === undefined ? 0 : last.base + last.values.length
  }
  append(values: string[]): number {
    const base = this.end
    this.batches.push({ base, values })
    return base
  }
  truncate(offset: number): void {
    if (offset >= this.end) return
    const i = this.batches.findIndex((b) => b.base + b.values.length - 1 >= offset)
    this.batches.length = i
    // An empty model keeps its end at the cut batch's base; remember it with an empty batch.
    if (i === 0 || this.end < this.logStart) this.logStart = Math.min(this.logStart, this.end)
  }
  visible(): [number, string][] {
    return this.batches
      .flatMap((b) => b.values.map((v, i) => [b.base + i, v] as [number, string]))
      .filter(([o]) => o >= this.logStart)
  }
}

const op = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      n: fc.integer({ min: 1, max: 6 }),
      size: fc.integer({ min: 0, max: 40 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('deleteRecords' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('retention' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('reopen' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const) }), weight: 1 },
)

describe('PartitionLog against a model', () => {
  it('agrees with the model after every operation', async () => {
    let counter = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(500, 1500),
        fc.constantFrom(0, 60, 100),
        async (ops, segmentBytes, indexIntervalBytes) => {
          const model = new Model()
          const h = await openLog({
            'segment.bytes': segmentBytes,
            'index.interval.bytes': indexIntervalBytes,
            'retention.bytes': 2 * segmentBytes,
          })
          const pick = (at: number, lo: number, hi: number) =>
            lo + Math.floor(at * (hi - lo + 1 - 1e-9))
          for (const o of ops) {
            const log = h.log
            if (o.kind === 'append') {
              const values = Array.from({ length: o.n }, () => `v${counter++}`.padEnd(o.size, '.'))
              const info = log.append(batchOf(values, { timestamp: h.clock.now() }))
              expect(info.baseOffset).toBe(model.append(values))
            } else if (o.kind === 'read') {
              const from = pick(o.at, log.logStartOffset, log.logEndOffset)
              const r = await log.read(from, { maxBytes: 150 })
              const got = recordsIn(r.bytes)
              if (from === log.logEndOffset) expect(got).toEqual([])
              else {
                expect(got[0]![0]).toBeLessThanOrEqual(from)
                const want = model
                  .visible()
                  .filter(([o2]) => o2 >= from)
                  .slice(0, got.filter(([o2]) => o2 >= from).length)
                expect(got.filter(([o2]) => o2 >= from)).toEqual(want)
                expect(r.nextOffset).toBeGreaterThan(from)
              }
            } else if (o.kind === 'truncate') {
              const to = pick(o.at, log.logStartOffset, log.logEndOffset)
              await log.truncateTo(to)
              model.truncate(to)
            } else if (o.kind === 'deleteRecords') {
              const to = pick(o.at, log.logStartOffset, log.highWatermark)
              await log.deleteRecordsBefore(to)
              model.logStart = Math.max(model.logStart, to)
            } else if (o.kind === 'retention') {
              const before = log.logStartOffset
              await log.enforceRetention()
              expect(log.logStartOffset).toBeGreaterThanOrEqual(before)
              expect(log.sizeBytes).toBeGreaterThanOrEqual(0)
              model.logStart = Math.max(model.logStart, log.logStartOffset)
            } else if (o.kind === 'advance') {
              await h.clock.advance(2 * 24 * 3600 * 1000)
            } else {
              await h.reopen({ logStartOffset: model.logStart })
              expect(h.log.recovery.truncatedBytes).toBe(0)
            }
            expect(h.log.logEndOffset).toBe(model.end)
            expect(h.log.logStartOffset).toBe(model.logStart)
            expect(await readAll(h.log)).toEqual(model.visible())
          }
          await h.log.close()
        },
      ),
      { numRuns: 80 },
    )
  })
})

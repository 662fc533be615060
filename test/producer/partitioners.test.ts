import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRandom } from '../../src/common/random.js'
import type { Message } from '../../src/producer/message.js'
import {
  createPartitioner,
  partitionForKey,
  type TopicView,
} from '../../src/producer/partitioners.js'
import { FakeCluster } from './fake-broker.js'

const msg: Message = { value: 'v' }
const view = (n: number, available?: number[]): TopicView => ({
  partitionCount: n,
  availablePartitions: available ?? Array.from({ length: n }, (_, i) => i),
})

describe('partitioners', () => {
  it('default: a keyed record goes to toPositive(murmur2(key)) % n (Kafka’s vectors)', () => {
    const p = createPartitioner('default', createRandom(1))
    // UtilsTest.testMurmur2 hashes, masked and reduced as DefaultPartitioner / BuiltInPartitioner do.
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['abc', 479470107],
    ]
    for (const [key, hash] of cases) {
      for (const n of [1, 3, 7, 12, 100]) {
        expect(p.partition('t', Buffer.from(key), msg, view(n))).toBe((hash & 0x7fffffff) % n)
      }
    }
  })

  it('property: every partitioner stays in range; keyed default is stable', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.uint8Array({ maxLength: 32 }),
        fc.constantFrom('default', 'round-robin', 'sticky') as fc.Arbitrary<
          'default' | 'round-robin' | 'sticky'
        >,
        fc.integer(),
        (n, key, name, seed) => {
          const p = createPartitioner(name, createRandom(seed))
          const k = Buffer.from(key)
          for (let i = 0; i < 5; i++) {
            const a = p.partition('t', k, msg, view(n))
            expect(a).toBeGreaterThanOrEqual(0)
            expect(a).toBeLessThan(n)
            p.onNewBatch('t', a, view(n))
            const b = p.partition('t', null, msg, view(n))
            expect(b >= 0 && b < n).toBe(true)
          }
          const d = createPartitioner('default', createRandom(seed))
          expect(d.partition('t', k, msg, view(n))).toBe(partitionForKey(k, n))
          expect(d.partition('t', k, msg, view(n))).toBe(d.partition('u', k, msg, view(n)))
        },
      ),
    )
  })

  it('property: sticky switches only after a batch, and only to available partitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 16 }), fc.integer(), (n, seed) => {
        const available = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1)
        const v = view(n, available)
        for (const name of ['default', 'sticky'] as const) {
          const p = createPartitioner(name, createRandom(seed))
          let current = p.partition('t', name === 'sticky' ? Buffer.from('k') : null, msg, v)
          for (let batch = 0; batch < 10; batch++) {
            expect(available).toContain(current)
            for (let i = 0; i < 5; i++) expect(p.partition('t', null, msg, v)).toBe(current)
            p.onNewBatch('t', current, v)
            const next = p.partition('t', null, msg, v)
            if (available.length > 1) expect(next).not.toBe(current)
            current = next
          }
        }
      }),
    )
  })

  it('sticky with no available partition picks any partition; with one, that one', () => {
    const p = createPartitioner('default', createRandom(3))
    expect(p.partition('c', null, msg, view(1, []))).toBe(0)
    const q = createPartitioner('default', createRandom(3))
    for (let i = 0; i < 20; i++) {
      const part = q.partition('b', null, msg, view(2, [1]))
      expect(part).toBe(1)
      q.onNewBatch('b', part, view(2, [1]))
    }
  })

  it('property: round-robin spreads evenly over the available partitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), (n, rounds) => {
        const p = createPartitioner('round-robin', createRandom(1))
        const counts = new Array<number>(n).fill(0)
        for (let i = 0; i < n * rounds; i++) {
          const part = p.partition('t', Buffer.from('same key'), msg, view(n))
          counts[part] = (counts[part] as number) + 1
        }
        expect(counts.every((c) => c === rounds)).toBe(true)
      }),
    )
  })

  it('a custom partitioner gets kafkajs’s arguments', () => {
    const seen: unknown[] = []
    const p = createPartitioner((args) => {
      seen.push(args)
      return 1
    }, createRandom(1))
    expect(p.partition('t', null, msg, view(3, [0, 1]))).toBe(1)
    expect(seen).toEqual([
      { topic: 't', partitionCount: 3, message: msg, availablePartitions: [0, 1] },
    ])
  })

  it('end to end: keyless sends stick to one partition per batch, then move', async () => {
    const c = await FakeCluster.create({ topics: { t: 4 } })
    const p = c.producer({}, 11)
    const parts: number[] = []
    for (let i = 0; i < 6; i++) {
      const meta = await p.send({ topic: 't', messages: [{ value: 'a' }, { value: 'b' }] })
      expect(meta.length).toBe(1)
      parts.push(meta[0]?.partition as number)
    }
    for (let i = 1; i < parts.length; i++) expect(parts[i]).not.toBe(parts[i - 1])
    await p.disconnect()
  })
})

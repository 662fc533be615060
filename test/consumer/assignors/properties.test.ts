// Properties of every assignor, over random groups: validity, balance, stickiness, the
// cooperative two-phase move, determinism.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rangeAssignor } from '../../../src/consumer/assignors/range.js'
import { roundRobinAssignor } from '../../../src/consumer/assignors/round-robin.js'
import { cooperativeStickyAssignor } from '../../../src/consumer/assignors/sticky/cooperative-sticky.js'
import { stickyAssignor } from '../../../src/consumer/assignors/sticky/sticky.js'
import type {
  GroupAssignment,
  MemberSubscription,
  PartitionAssignor,
} from '../../../src/consumer/assignors/types.js'
import { isFullyBalanced, keys } from './helpers.js'
import {
  build,
  cooperativeKind,
  revokes,
  type StickyKind,
  settleAndVerify,
  stickyKind,
} from './sticky-kinds.js'

const TOPICS = ['t0', 't1', 't2', 't3', 't4']
const ALL = [rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor]
const KINDS: StickyKind[] = [stickyKind(stickyAssignor), cooperativeKind(cooperativeStickyAssignor)]

interface Group {
  counts: Map<string, number>
  subs: Map<string, MemberSubscription>
}

const countsArb = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: TOPICS.length, maxLength: TOPICS.length })
  .map((ns) => new Map(TOPICS.map((t, i) => [t, ns[i]!])))
const memberIdsArb = fc.uniqueArray(fc.stringMatching(/^[a-e]{1,3}$/), {
  minLength: 1,
  maxLength: 8,
})
const topicsArb = fc.subarray([...TOPICS, 'missing'], { minLength: 0 })

/** A group whose members subscribe to random topics (some static members). */
const groupArb: fc.Arbitrary<Group> = fc.tuple(countsArb, memberIdsArb).chain(([counts, ids]) =>
  fc
    .tuple(
      ...ids.map(() => fc.tuple(topicsArb, fc.option(fc.constantFrom('i1', 'i2', 'i3', 'i4')))),
    )
    .map((specs) => {
      const used = new Set<string>()
      const subs = new Map<string, MemberSubscription>()
      ids.forEach((id, i) => {
        const [topics, instance] = specs[i]!
        const groupInstanceId = instance !== null && !used.has(instance) ? instance : null
        if (groupInstanceId) used.add(groupInstanceId)
        subs.set(id, { topics, groupInstanceId })
      })
      return { counts, subs }
    }),
)

/** A group whose members all subscribe to the same topics. */
const equalGroupArb: fc.Arbitrary<Group> = fc
  .tuple(countsArb, memberIdsArb, fc.subarray(TOPICS, { minLength: 1 }))
  .map(([counts, ids, topics]) => ({
    counts,
    subs: new Map(ids.map((id) => [id, { topics }])),
  }))

/** The partitions of topics somebody subscribes to. */
function subscribedPartitions(g: Group): string[] {
  const subscribed = new Set([...g.subs.values()].flatMap((s) => s.topics))
  return [...g.counts]
    .filter(([t]) => subscribed.has(t))
    .flatMap(([t, n]) => Array.from({ length: n }, (_, p) => `${t}-${p}`))
    .sort()
}

/** Every subscribed partition owned by exactly one member subscribed to its topic. */
function checkValidity(g: Group, a: GroupAssignment, complete = true): void {
  expect([...a.keys()].sort()).toEqual([...g.subs.keys()].sort())
  const owned: string[] = []
  for (const [member, list] of a) {
    for (const p of list) {
      expect(g.subs.get(member)!.topics).toContain(p.topic)
      owned.push(`${p.topic}-${p.partition}`)
    }
  }
  expect(new Set(owned).size).toBe(owned.length)
  if (complete) expect(owned.sort()).toEqual(subscribedPartitions(g))
  else for (const k of owned) expect(subscribedPartitions(g)).toContain(k)
}

describe.each(ALL.map((a) => [a.name, a] as [string, PartitionAssignor]))(
  '%s properties',
  (_, assignor) => {
    it('assigns every subscribed partition to exactly one subscribed member, and nothing else', () => {
      fc.assert(fc.property(groupArb, (g) => checkValidity(g, assignor.assign(g.counts, g.subs))))
    })

    it('is deterministic: the same input gives the same output', () => {
      fc.assert(
        fc.property(groupArb, (g) => {
          expect(assignor.assign(g.counts, g.subs)).toEqual(
            assignor.assign(new Map(g.counts), new Map(g.subs)),
          )
        }),
      )
    })

    it('balances members with equal subscriptions within one', () => {
      fc.assert(
        fc.property(equalGroupArb, (g) => {
          const a = assignor.assign(g.counts, g.subs)
          if (assignor.name === 'range') {
            for (const topic of TOPICS) {
              const per = [...a.values()].map((l) => l.filter((p) => p.topic === topic).length)
              expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1)
            }
          } else expect(isFullyBalanced(a)).toBe(true)
        }),
      )
    })
  },
)

describe.each([rangeAssignor, roundRobinAssignor].map((a) => [a.name, a] as const))(
  '%s member order',
  (_, assignor) => {
    it('does not depend on the order members come in (it sorts them)', () => {
      fc.assert(
        fc.property(groupArb, fc.nat(), (g, rot) => {
          const entries = [...g.subs]
          const k = rot % entries.length
          const rotated = new Map([...entries.slice(k), ...entries.slice(0, k)])
          const a = assignor.assign(g.counts, g.subs)
          const b = assignor.assign(g.counts, rotated)
          for (const m of g.subs.keys()) expect(b.get(m)).toEqual(a.get(m))
        }),
      )
    })
  },
)

describe('range properties', () => {
  it('balances each topic within one among its subscribers, whatever the subscriptions', () => {
    fc.assert(
      fc.property(groupArb, (g) => {
        const a = rangeAssignor.assign(g.counts, g.subs)
        for (const topic of TOPICS) {
          const per = [...g.subs]
            .filter(([, s]) => s.topics.includes(topic))
            .map(([m]) => a.get(m)!.filter((p) => p.topic === topic).length)
          if (per.length) expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1)
        }
      }),
    )
  })
})

describe.each(KINDS.map((k) => [k.assignor.name, k] as [string, StickyKind]))(
  '%s stickiness',
  (_, kind) => {
    const { assignor } = kind
    /** The assignment of `g`, settled (follow-up rebalances for the cooperative assignor). */
    const settled = (g: Group): GroupAssignment => {
      const a = assignor.assign(g.counts, g.subs)
      settleAndVerify(kind, g.counts, g.subs, a)
      return a
    }
    const withOwned = (g: Group, a: GroupAssignment, generation: number) => {
      for (const [m, s] of g.subs) g.subs.set(m, kind.v2([...s.topics], a.get(m)!, generation))
    }

    it('is valid and balanced as Kafka’s verifyValidityAndBalance checks, and sticky, after random changes', () => {
      fc.assert(
        fc.property(
          groupArb,
          fc.array(fc.tuple(fc.boolean(), topicsArb), { maxLength: 8 }),
          (g, changes) => {
            const a = settled(g)
            checkValidity(g, a)
            withOwned(g, a, 1)
            const ids = [...g.subs.keys()]
            changes.forEach(([leave, topics], i) => {
              const id = ids[i % ids.length]!
              if (leave && g.subs.size > 1) g.subs.delete(id)
              else g.subs.set(id, kind.v2(topics, [...(g.subs.get(id)?.ownedPartitions ?? [])], 1))
            })
            expect(build(kind, g.counts, g.subs).sticky).toBe(true)
            const next = assignor.assign(g.counts, g.subs)
            // cooperative: nothing is assigned in the round it is revoked (revokes() checks it)
            if (kind.cooperative) revokes(g.subs, next)
            checkValidity(g, next, !kind.cooperative)
            settleAndVerify(kind, g.counts, g.subs, next)
            checkValidity(g, next)
          },
        ),
        { numRuns: 200 },
      )
    })

    it('with equal subscriptions, survivors keep all they had when a member leaves', () => {
      fc.assert(
        fc.property(equalGroupArb, fc.nat(), (g, pick) => {
          fc.pre(g.subs.size >= 2)
          const before = settled(g)
          withOwned(g, before, 1)
          g.subs.delete([...g.subs.keys()][pick % g.subs.size]!)
          const after = assignor.assign(g.counts, g.subs)
          if (kind.cooperative) expect(revokes(g.subs, after)).toBe(false)
          for (const m of g.subs.keys()) {
            expect(keys(after.get(m))).toEqual(expect.arrayContaining(keys(before.get(m))))
          }
          expect(isFullyBalanced(after)).toBe(true)
        }),
      )
    })

    it('with equal subscriptions, a joining member only takes partitions: the others keep a subset', () => {
      fc.assert(
        fc.property(equalGroupArb, (g) => {
          const before = settled(g)
          withOwned(g, before, 1)
          const topics = [...g.subs.values()][0]!.topics as string[]
          g.subs.set('zz-new', kind.v2(topics, [], 1))
          const after = assignor.assign(g.counts, g.subs)
          for (const [m, list] of before) {
            expect(keys(list)).toEqual(expect.arrayContaining(keys(after.get(m))))
          }
          if (kind.cooperative) {
            // what the newcomer gets this round was nobody's; the rest comes in the follow-up
            const owned = new Set([...before.values()].flatMap(keys))
            for (const k of keys(after.get('zz-new'))) expect(owned.has(k)).toBe(false)
            settleAndVerify(kind, g.counts, g.subs, after)
          }
          expect(isFullyBalanced(after)).toBe(true)
        }),
      )
    })

    it('gives a partition claimed in two generations to the newer claim', () => {
      fc.assert(
        fc.property(equalGroupArb, fc.integer({ min: 1, max: 5 }), (g, older) => {
          fc.pre(g.subs.size >= 2)
          const before = settled(g)
          const [a, b] = [...g.subs.keys()]
          const stolen = before.get(a!)!
          fc.pre(stolen.length > 0)
          withOwned(g, before, older + 1)
          // b claims a's partitions too, from an older generation
          const bSub = g.subs.get(b!)!
          g.subs.set(
            b!,
            kind.v2([...bSub.topics], [...(bSub.ownedPartitions ?? []), ...stolen], older),
          )
          const after = assignor.assign(g.counts, g.subs)
          expect(keys(after.get(a!))).toEqual(expect.arrayContaining(keys(stolen)))
        }),
      )
    })
  },
)

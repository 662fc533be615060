/**
 * Kafka's AbstractStickyAssignorTest, ported: the cases both sticky assignors pass, run by
 * sticky.test.ts and cooperative-sticky.test.ts with each assignor's way of building a
 * subscription (as Kafka's subclasses do). Cases run without racks.
 */

import { describe, expect, it } from 'vitest'
import type { GroupAssignment, MemberSubscription } from '../../../src/consumer/assignors/types.js'
import {
  canonical,
  counts,
  isFullyBalanced,
  keys,
  parse,
  sub,
  verifyValidityAndBalance,
} from './helpers.js'
import { build, GENERATION, type StickyKind, seeded, settleAndVerify } from './sticky-kinds.js'

const transfers = (b: ReturnType<typeof build>) =>
  b.transferring === null
    ? null
    : Object.fromEntries(
        [...b.transferring.values()].map((t) => [
          `${t.partition.topic}-${t.partition.partition}`,
          t.to,
        ]),
      )

/** Register the shared cases for one sticky assignor. */
export function describeStickySuite(kind: StickyKind): void {
  const { assignor } = kind
  const assign = (c: Map<string, number>, s: Map<string, MemberSubscription>) =>
    assignor.assign(c, s)

  describe('AbstractStickyAssignorTest', () => {
    it('testMemberData', () => {
      const owned = parse('topic1-0, topic2-1')
      for (const s of [
        kind.v0(['topic'], owned, GENERATION),
        kind.v1(['topic'], owned, GENERATION),
        kind.v2(['topic'], owned, GENERATION),
      ]) {
        if (s === null) continue
        const data = kind.memberData(s)
        expect(keys(data.partitions)).toEqual(keys(owned))
        expect(data.generation).toBe(GENERATION)
      }
    })

    it('testOneConsumerNoTopic / testOneConsumerNonexistentTopic', () => {
      for (const topics of [[], ['topic']]) {
        const s = new Map([['consumer', sub(topics)]])
        const c = topics.length ? counts({ topic: 0 }) : counts({})
        const a = assign(c, s)
        expect([...a.keys()]).toEqual(['consumer'])
        expect(a.get('consumer')).toEqual([])
        expect(transfers(build(kind, c, s))).toEqual({})
      }
    })

    it('testOneConsumerOneTopic', () => {
      const a = assign(counts({ topic: 3 }), new Map([['consumer', sub(['topic'])]]))
      expect(keys(a.get('consumer'))).toEqual(['topic-0', 'topic-1', 'topic-2'])
    })

    it('testOnlyAssignsPartitionsFromSubscribedTopics', () => {
      const s = new Map([
        ['consumer', kind.v2(['topic'], parse('topic-0, topic-1, other-0, other-1'), GENERATION)],
      ])
      const c = counts({ topic: 2 })
      const a = assign(c, s)
      expect(keys(a.get('consumer'))).toEqual(['topic-0', 'topic-1'])
      expect(transfers(build(kind, c, s))).toEqual({})
    })

    it('testOneConsumerMultipleTopics', () => {
      const a = assign(
        counts({ topic1: 1, topic2: 2 }),
        new Map([['consumer', sub(['topic1', 'topic2'])]]),
      )
      expect(keys(a.get('consumer'))).toEqual(['topic1-0', 'topic2-0', 'topic2-1'])
    })

    it('testTwoConsumersOneTopicOnePartition / testTwoConsumersOneTopicTwoPartitions', () => {
      const s = new Map([
        ['consumer1', sub(['topic'])],
        ['consumer2', sub(['topic'])],
      ])
      const one = assign(counts({ topic: 1 }), s)
      verifyValidityAndBalance(s, one)
      expect(isFullyBalanced(one)).toBe(true)
      const two = assign(counts({ topic: 2 }), s)
      expect(keys(two.get('consumer1'))).toEqual(['topic-0'])
      expect(keys(two.get('consumer2'))).toEqual(['topic-1'])
    })

    it('testMultipleConsumersMixedTopicSubscriptions', () => {
      const c = counts({ topic1: 3, topic2: 2 })
      const s = new Map([
        ['consumer1', sub(['topic1'])],
        ['consumer2', sub(['topic1', 'topic2'])],
        ['consumer3', sub(['topic1'])],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic1-2'])
      expect(keys(a.get('consumer2'))).toEqual(['topic2-0', 'topic2-1'])
      expect(keys(a.get('consumer3'))).toEqual(['topic1-1'])
      expect(build(kind, c, s).transferring).toBeNull()
      verifyValidityAndBalance(s, a)
    })

    it('testTwoConsumersTwoTopicsSixPartitions', () => {
      const s = new Map([
        ['consumer1', sub(['topic1', 'topic2'])],
        ['consumer2', sub(['topic1', 'topic2'])],
      ])
      const a = assign(counts({ topic1: 3, topic2: 3 }), s)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic1-2', 'topic2-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-0', 'topic2-2'])
    })

    it('testConsumerOwningMinQuotaExpectedMaxQuota', () => {
      const t = ['topic1', 'topic2']
      const c = counts({ topic1: 2, topic2: 3 })
      const s = new Map([
        ['consumer1', kind.v2(t, parse('topic1-0, topic2-1'), GENERATION)],
        ['consumer2', kind.v2(t, parse('topic1-1, topic2-2'), GENERATION)],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic2-0', 'topic2-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-2'])
      expect(transfers(build(kind, c, s))).toEqual({})
    })

    it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers', () => {
      const t = ['topic1', 'topic2']
      const c = counts({ topic1: 2, topic2: 2 })
      const s = new Map([
        ['consumer1', kind.v2(t, parse('topic1-0, topic2-0'), GENERATION)],
        ['consumer2', kind.v2(t, parse('topic1-1, topic2-1'), GENERATION)],
        ['consumer3', kind.v2(t, [], GENERATION)],
      ])
      // which of consumer1 and consumer2 keeps two depends on Java's HashMap order: consumer2
      expect(transfers(build(kind, c, s))).toEqual({ 'topic2-0': 'consumer3' })
      const a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-1'])
      expect(keys(a.get('consumer3'))).toEqual(['topic2-0'])
    })

    it('testAllConsumersAreUnderMinQuota', () => {
      const t = ['topic1', 'topic2']
      const c = counts({ topic1: 2, topic2: 3 })
      const s = new Map([
        ['consumer1', kind.v2(t, parse('topic1-0'), GENERATION)],
        ['consumer2', kind.v2(t, parse('topic1-1'), GENERATION)],
        ['consumer3', kind.v2(t, [], GENERATION)],
      ])
      expect(transfers(build(kind, c, s))).toEqual({})
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic2-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-2'])
      expect(keys(a.get('consumer3'))).toEqual(['topic2-0'])
    })

    it('testAddRemoveConsumerOneTopic', () => {
      const c = counts({ topic: 3 })
      const s = new Map([['consumer1', sub(['topic'])]])
      let a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(['topic-0', 'topic-1', 'topic-2'])
      s.set('consumer1', kind.v2(['topic'], a.get('consumer1')!, GENERATION))
      s.set('consumer2', kind.v2(['topic'], [], GENERATION))
      expect(transfers(build(kind, c, s))).toEqual({ 'topic-2': 'consumer2' })
      a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      expect(keys(a.get('consumer1'))).toEqual(['topic-0', 'topic-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic-2'])
      s.delete('consumer1')
      s.set('consumer2', kind.v2(['topic'], a.get('consumer2')!, GENERATION))
      expect(transfers(build(kind, c, s))).toEqual({})
      a = assign(c, s)
      expect(keys(a.get('consumer2'))).toEqual(['topic-0', 'topic-1', 'topic-2'])
    })

    it('testTopicBalanceAfterReassignment', () => {
      const t = ['topic1', 'topic2']
      const c = counts({ topic1: 12, topic2: 12 })
      const s = new Map([['consumer1', sub(t)]])
      const perTopic = (a: GroupAssignment, n: number) => {
        for (const list of a.values()) {
          for (const topic of t) expect(list.filter((p) => p.topic === topic)).toHaveLength(n)
        }
      }
      let a = assign(c, s)
      perTopic(a, 12)
      s.set('consumer1', kind.v2(t, a.get('consumer1')!, GENERATION))
      s.set('consumer2', kind.v2(t, [], GENERATION))
      a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      perTopic(a, 6)
      for (const m of ['consumer1', 'consumer2']) s.set(m, kind.v2(t, a.get(m)!, GENERATION))
      for (const m of ['consumer3', 'consumer4']) s.set(m, kind.v2(t, [], GENERATION))
      a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      perTopic(a, 3)
      s.delete('consumer1')
      s.delete('consumer2')
      for (const m of ['consumer3', 'consumer4']) s.set(m, kind.v2(t, a.get(m)!, GENERATION))
      a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      perTopic(a, 6)
    })

    it('testAddRemoveTwoConsumersTwoTopics', () => {
      const t = ['topic1', 'topic2']
      const c = counts({ topic1: 3, topic2: 4 })
      const s = new Map([
        ['consumer1', sub(t)],
        ['consumer2', sub(t)],
      ])
      let a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(
        keys(parse('topic1-0, topic1-2, topic2-1, topic2-3')),
      )
      expect(keys(a.get('consumer2'))).toEqual(keys(parse('topic1-1, topic2-0, topic2-2')))
      for (const m of ['consumer1', 'consumer2']) s.set(m, kind.v2(t, a.get(m)!, GENERATION))
      for (const m of ['consumer3', 'consumer4']) s.set(m, kind.v2(t, [], GENERATION))
      expect(transfers(build(kind, c, s))).toEqual({
        'topic1-2': 'consumer3',
        'topic2-3': 'consumer3',
        'topic2-2': 'consumer4',
      })
      a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      expect(keys(a.get('consumer1'))).toEqual(keys(parse('topic1-0, topic2-1')))
      expect(keys(a.get('consumer2'))).toEqual(keys(parse('topic2-0, topic1-1')))
      expect(keys(a.get('consumer3'))).toEqual(keys(parse('topic1-2, topic2-3')))
      expect(keys(a.get('consumer4'))).toEqual(keys(parse('topic2-2')))
      s.delete('consumer1')
      s.delete('consumer2')
      for (const m of ['consumer3', 'consumer4']) s.set(m, kind.v2(t, a.get(m)!, GENERATION))
      a = assign(c, s)
      expect(keys(a.get('consumer3'))).toEqual(
        keys(parse('topic1-2, topic2-3, topic1-0, topic2-1')),
      )
      expect(keys(a.get('consumer4'))).toEqual(keys(parse('topic2-2, topic1-1, topic2-0')))
    })

    it('testPoorRoundRobinAssignmentScenario', () => {
      const c = counts({ topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 })
      const all = ['topic1', 'topic2', 'topic3', 'topic4', 'topic5']
      const odd = ['topic1', 'topic3', 'topic5']
      const s = new Map([
        ['consumer1', sub(all)],
        ['consumer2', sub(odd)],
        ['consumer3', sub(odd)],
        ['consumer4', sub(all)],
      ])
      verifyValidityAndBalance(s, assign(c, s))
    })

    it('testAddRemoveTopicTwoConsumers', () => {
      const c = counts({ topic: 3 })
      const s = new Map([
        ['consumer1', sub(['topic'])],
        ['consumer2', sub(['topic'])],
      ])
      const a1 = assign(c, s)
      expect(isFullyBalanced(a1)).toBe(true)
      c.set('topic2', 3)
      for (const m of ['consumer1', 'consumer2'])
        s.set(m, kind.v2(['topic', 'topic2'], a1.get(m)!, GENERATION))
      expect(transfers(build(kind, c, s))).toEqual({})
      const a2 = assign(c, s)
      for (const m of ['consumer1', 'consumer2']) {
        expect(a2.get(m)).toHaveLength(3)
        expect(keys(a2.get(m))).toEqual(expect.arrayContaining(keys(a1.get(m))))
      }
      c.delete('topic')
      for (const m of ['consumer1', 'consumer2'])
        s.set(m, kind.v2(['topic2'], a2.get(m)!, GENERATION))
      const a3 = assign(c, s)
      settleAndVerify(kind, c, s, a3)
      expect(isFullyBalanced(a3)).toBe(true)
      for (const m of ['consumer1', 'consumer2']) {
        expect(keys(a2.get(m))).toEqual(expect.arrayContaining(keys(a3.get(m))))
      }
    })

    it('testReassignmentAfterOneConsumerLeaves', () => {
      const c = new Map<string, number>()
      for (let i = 1; i < 20; i++) c.set(canonical('t', i, 20), i)
      const s = new Map<string, MemberSubscription>()
      for (let i = 1; i < 20; i++) {
        const topics = Array.from({ length: i }, (_, j) => canonical('t', j + 1, 20))
        s.set(canonical('c', i, 20), sub(topics))
      }
      let a = assign(c, s)
      verifyValidityAndBalance(s, a)
      for (let i = 1; i < 20; i++) {
        const m = canonical('c', i, 20)
        s.set(m, kind.v2([...s.get(m)!.topics], a.get(m)!, GENERATION))
      }
      s.delete('c10')
      const b = build(kind, c, s)
      expect(b.sticky).toBe(true)
      a = assign(c, s)
      settleAndVerify(kind, c, s, a)
    })

    it('testReassignmentAfterOneConsumerAdded', () => {
      const c = counts({ topic: 20 })
      const s = new Map<string, MemberSubscription>()
      for (let i = 1; i < 10; i++) s.set(canonical('c', i, 10), sub(['topic']))
      verifyValidityAndBalance(s, assign(c, s))
      s.set(canonical('c', 10, 10), sub(['topic']))
      expect(transfers(build(kind, c, s))).toEqual({})
      verifyValidityAndBalance(s, assign(c, s))
    })

    it('testSameSubscriptions', () => {
      const c = new Map<string, number>()
      for (let i = 1; i < 15; i++) c.set(canonical('t', i, 15), i)
      const topics = [...c.keys()]
      const s = new Map<string, MemberSubscription>()
      for (let i = 1; i < 9; i++) s.set(canonical('c', i, 9), sub(topics))
      let a = assign(c, s)
      verifyValidityAndBalance(s, a)
      for (let i = 1; i < 9; i++) {
        const m = canonical('c', i, 9)
        s.set(m, kind.v2(topics, a.get(m)!, GENERATION))
      }
      s.delete(canonical('c', 5, 9))
      expect(transfers(build(kind, c, s))).toEqual({})
      a = assign(c, s)
      verifyValidityAndBalance(s, a)
    })

    it('testLargeAssignmentWithMultipleConsumersLeavingAndRandomSubscription (small, seeded)', () => {
      for (const seed of [1, 2, 3]) {
        const rand = seeded(seed)
        const topicCount = 20
        const consumerCount = 60
        const c = new Map<string, number>()
        for (let i = 0; i < topicCount; i++) c.set(canonical('t', i, topicCount), rand(10) + 1)
        const s = new Map<string, MemberSubscription>()
        for (let i = 0; i < consumerCount; i++) {
          const topics: string[] = []
          for (let j = 0; j < rand(20); j++)
            topics.push(canonical('t', rand(topicCount), topicCount))
          s.set(canonical('c', i, consumerCount), sub(topics))
        }
        let a = assign(c, s)
        verifyValidityAndBalance(s, a)
        for (let i = 1; i < consumerCount; i++) {
          const m = canonical('c', i, consumerCount)
          s.set(m, kind.v2([...s.get(m)!.topics], a.get(m)!, GENERATION))
        }
        for (let i = 0; i < 15; i++) s.delete(canonical('c', rand(consumerCount), consumerCount))
        expect(build(kind, c, s).sticky).toBe(true)
        a = assign(c, s)
        settleAndVerify(kind, c, s, a)
      }
    })

    it('testNewSubscription', () => {
      const c = new Map<string, number>()
      for (let i = 1; i < 5; i++) c.set(canonical('t', i, 5), 1)
      const s = new Map<string, MemberSubscription>()
      for (let i = 0; i < 3; i++) {
        const topics: string[] = []
        for (let j = i; j <= 3 * i - 2; j++) topics.push(canonical('t', j, 5))
        s.set(canonical('c', i, 3), sub(topics))
      }
      verifyValidityAndBalance(s, assign(c, s))
      s.set('c0', sub([...s.get('c0')!.topics, canonical('t', 1, 5)]))
      expect(build(kind, c, s).sticky).toBe(true)
      verifyValidityAndBalance(s, assign(c, s))
    })

    it('testMoveExistingAssignments', () => {
      const c = counts({ topic1: 1, topic2: 1, topic3: 1, topic4: 1, topic5: 1, topic6: 1 })
      const s = new Map([
        ['consumer1', kind.v2(['topic1', 'topic2'], parse('topic1-0'), GENERATION)],
        [
          'consumer2',
          kind.v2(
            ['topic1', 'topic2', 'topic3', 'topic4'],
            parse('topic2-0, topic3-0'),
            GENERATION,
          ),
        ],
        [
          'consumer3',
          kind.v2(
            ['topic2', 'topic3', 'topic4', 'topic5', 'topic6'],
            parse('topic4-0, topic5-0, topic6-0'),
            GENERATION,
          ),
        ],
      ])
      expect(build(kind, c, s).transferring).toBeNull()
      settleAndVerify(kind, c, s, assign(c, s))
    })

    it('testStickiness', () => {
      const c = counts({ topic1: 3 })
      const s = new Map<string, MemberSubscription>()
      for (let i = 1; i <= 4; i++) s.set(`consumer${i}`, sub(['topic1']))
      let a = assign(c, s)
      verifyValidityAndBalance(s, a)
      const had = new Map<string, string>()
      for (const [m, list] of a) {
        expect(list.length).toBeLessThanOrEqual(1)
        if (list.length === 1) had.set(m, keys(list)[0]!)
      }
      s.delete('consumer1')
      for (const m of ['consumer2', 'consumer3', 'consumer4'])
        s.set(m, kind.v2(['topic1'], a.get(m)!, GENERATION))
      expect(transfers(build(kind, c, s))).toEqual({})
      a = assign(c, s)
      verifyValidityAndBalance(s, a)
      for (const [m, list] of a) {
        expect(list).toHaveLength(1)
        if (had.has(m)) expect(keys(list)).toEqual([had.get(m)])
      }
    })

    it('testAssignmentUpdatedForDeletedTopic', () => {
      const c = counts({ topic1: 1, topic3: 100 })
      const s = new Map([['consumer', sub(['topic1', 'topic2', 'topic3'])]])
      const a = assign(c, s)
      expect(a.get('consumer')).toHaveLength(101)
      expect([...a.keys()]).toEqual(['consumer'])
    })

    it('testNoExceptionThrownWhenOnlySubscribedTopicDeleted', () => {
      const s = new Map([['consumer', sub(['topic'])]])
      const a = assign(counts({ topic: 3 }), s)
      s.set('consumer', kind.v2(['topic'], a.get('consumer')!, GENERATION))
      const after = assign(counts({}), s)
      expect([...after.keys()]).toEqual(['consumer'])
      expect(after.get('consumer')).toEqual([])
    })

    it('testReassignmentWithRandomSubscriptionsAndChanges (20 seeded rounds)', () => {
      const rand = seeded(42)
      const sublist = (list: string[]) => {
        const out = [...list]
        const remove = rand(list.length)
        for (let i = 1; i <= remove; i++) out.splice(rand(out.length), 1)
        return out.sort()
      }
      for (let round = 1; round <= 20; round++) {
        const numTopics = 10 + rand(10)
        const topics: string[] = []
        const c = new Map<string, number>()
        for (let i = 0; i < numTopics; i++) {
          topics.push(canonical('t', i, 20))
          c.set(canonical('t', i, 20), i + 1)
        }
        const numConsumers = 20 + rand(20)
        let s = new Map<string, MemberSubscription>()
        for (let i = 0; i < numConsumers; i++) s.set(canonical('c', i, 40), sub(sublist(topics)))
        const a = assign(c, s)
        verifyValidityAndBalance(s, a)
        s = new Map()
        for (let i = 0; i < numConsumers; i++) {
          const m = canonical('c', i, 40)
          s.set(m, kind.v2(sublist(topics), a.get(m)!, GENERATION))
        }
        expect(build(kind, c, s).sticky).toBe(true)
        settleAndVerify(kind, c, s, assign(c, s))
      }
    })

    it('testAllConsumersReachExpectedQuotaAndAreConsideredFilled', () => {
      const c = counts({ topic: 4 })
      const s = new Map([
        ['consumer1', kind.v2(['topic'], parse('topic-0, topic-1'), GENERATION)],
        ['consumer2', kind.v2(['topic'], parse('topic-2'), GENERATION)],
        ['consumer3', kind.v2(['topic'], [], GENERATION)],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(['topic-0', 'topic-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic-2'])
      expect(keys(a.get('consumer3'))).toEqual(['topic-3'])
      expect(transfers(build(kind, c, s))).toEqual({})
    })

    it.each([
      ['testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration', 9],
      ['testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration', -1],
    ])('%s', (_, otherGeneration) => {
      const t = ['topic', 'topic2']
      const c = counts({ topic: 3, topic2: 3 })
      const owned = parse('topic-0, topic-2, topic2-1')
      const s = new Map([
        ['consumer1', kind.v2(t, owned, 10)],
        ['consumer2', kind.v2(t, owned, otherGeneration)],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(keys(owned))
      expect(keys(a.get('consumer2'))).toEqual(keys(parse('topic-1, topic2-0, topic2-2')))
      expect(transfers(build(kind, c, s))).toEqual({})
    })

    it('testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration', () => {
      const c = counts({ topic: 3 })
      const s = new Map([
        ['consumer1', kind.v2(['topic'], parse('topic-0, topic-1'), GENERATION)],
        ['consumer2', kind.v2(['topic'], parse('topic-0, topic-2'), GENERATION)],
        ['consumer3', kind.v2(['topic'], [], GENERATION)],
      ])
      expect(transfers(build(kind, c, s))).toEqual({ 'topic-0': 'consumer3' })
      const a = assign(c, s)
      settleAndVerify(kind, c, s, a)
      expect(keys(a.get('consumer1'))).toEqual(['topic-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic-2'])
      expect(keys(a.get('consumer3'))).toEqual(['topic-0'])
    })

    it('testEnsurePartitionsAssignedToHighestGeneration', () => {
      const t = ['topic', 'topic2', 'topic3']
      const c = counts({ topic: 3, topic2: 3, topic3: 3 })
      const s = new Map([
        ['consumer1', kind.v2(t, parse('topic-0, topic2-0, topic3-0'), 10)],
        ['consumer2', kind.v2(t, parse('topic-1, topic2-1, topic3-1'), 9)],
        ['consumer3', kind.v2(t, parse('topic2-1, topic3-0, topic3-2'), 8)],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(keys(parse('topic-0, topic2-0, topic3-0')))
      expect(keys(a.get('consumer2'))).toEqual(keys(parse('topic-1, topic2-1, topic3-1')))
      expect(keys(a.get('consumer3'))).toEqual(keys(parse('topic-2, topic2-2, topic3-2')))
      expect(transfers(build(kind, c, s))).toEqual({})
    })

    it('testNoReassignmentOnCurrentMembers', () => {
      const t = ['topic', 'topic2', 'topic3', 'topic1']
      const c = counts({ topic: 3, topic1: 3, topic2: 3, topic3: 3 })
      const s = new Map([
        ['consumer1', kind.v2(t, [], -1)],
        ['consumer2', kind.v2(t, parse('topic-0, topic2-0, topic1-0'), 9)],
        ['consumer3', kind.v2(t, parse('topic3-2, topic2-2, topic1-1'), 8)],
        ['consumer4', kind.v2(t, parse('topic3-1, topic-1, topic-2'), 7)],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(keys(parse('topic1-2, topic2-1, topic3-0')))
      expect(transfers(build(kind, c, s))).toEqual({})
      verifyValidityAndBalance(s, a)
    })

    it('testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration', () => {
      const t = ['topic', 'topic2']
      const c = counts({ topic: 3, topic2: 3 })
      const s = new Map([
        ['consumer1', kind.v2(t, parse('topic-0, topic2-1, topic-1'), 10)],
        ['consumer2', kind.v2(t, parse('topic-0, topic2-1, topic2-2'), 8)],
      ])
      const a = assign(c, s)
      expect(keys(a.get('consumer1'))).toEqual(keys(parse('topic-0, topic2-1, topic-1')))
      expect(keys(a.get('consumer2'))).toEqual(keys(parse('topic-2, topic2-2, topic2-0')))
      expect(transfers(build(kind, c, s))).toEqual({})
    })

    it('testSubscriptionNotEqualAndAssignSamePartitionWith3Generation', () => {
      const c = counts({ topic: 6, topic1: 1 })
      for (const [g1, g2, g3] of [
        [1, 2, 3],
        [1, 3, 2],
        [2, 1, 3],
        [2, 3, 1],
        [3, 1, 2],
        [3, 2, 1],
      ]) {
        const s = new Map([
          ['consumer1', kind.v2(['topic'], parse('topic-0, topic-2'), g1!)],
          ['consumer2', kind.v2(['topic'], parse('topic-1, topic-2, topic-3'), g2!)],
          ['consumer3', kind.v2(['topic'], parse('topic-2, topic-4, topic-5'), g3!)],
          ['consumer4', kind.v2(['topic1'], parse('topic1-0'), 2)],
        ])
        const a = assign(c, s)
        const all = [...a.values()].flatMap(keys)
        expect(new Set(all).size).toBe(all.length)
        for (const list of a.values()) {
          expect(list.length).toBeGreaterThanOrEqual(1)
          expect(list.length).toBeLessThanOrEqual(2)
        }
      }
    })
  })
}

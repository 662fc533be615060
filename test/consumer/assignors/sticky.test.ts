// Kafka's StickyAssignorTest and, through sticky-suite.ts, AbstractStickyAssignorTest.

import { describe, expect, it } from 'vitest'
import {
  decodeStickyUserData,
  encodeStickyUserData,
  stickyMemberData,
} from '../../../src/consumer/assignors/sticky/member-data.js'
import { stickyAssignor } from '../../../src/consumer/assignors/sticky/sticky.js'
import type { MemberSubscription } from '../../../src/consumer/assignors/types.js'
import {
  counts,
  isFullyBalanced,
  keys,
  parse,
  sub,
  tp,
  verifyValidityAndBalance,
} from './helpers.js'
import { GENERATION, stickyKind } from './sticky-kinds.js'
import { describeStickySuite } from './sticky-suite.js'

const kind = stickyKind(stickyAssignor)

describe('sticky assignor', () => {
  it('has Kafka’s name and protocols', () => {
    expect(stickyAssignor.name).toBe('sticky')
    expect(stickyAssignor.supportedProtocols).toEqual(['eager'])
  })

  describeStickySuite(kind)

  describe('StickyAssignorTest', () => {
    it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration (equal and unequal)', () => {
      for (const [n, c1] of [
        [3, ['topic-1']],
        [4, ['topic-1', 'topic-3']],
      ] as const) {
        const s = new Map([
          ['consumer1', kind.v2(['topic'], parse('topic-0, topic-1'), GENERATION)],
          ['consumer2', kind.v2(['topic'], parse('topic-0, topic-2'), GENERATION)],
          ['consumer3', kind.v2(['topic'], [], GENERATION)],
        ])
        const a = stickyAssignor.assign(counts({ topic: n }), s)
        expect(keys(a.get('consumer1'))).toEqual(c1)
        expect(keys(a.get('consumer2'))).toEqual(['topic-2'])
        expect(keys(a.get('consumer3'))).toEqual(['topic-0'])
        verifyValidityAndBalance(s, a)
        expect(isFullyBalanced(a)).toBe(true)
      }
    })

    it.each([true, false])(
      'testAssignmentWithMultipleGenerations1 (equal subscriptions: %s)',
      (equal) => {
        const all = ['topic', 'topic2']
        const t2 = equal ? all : ['topic']
        const c = counts({ topic: 6, topic2: 6 })
        const s = new Map<string, MemberSubscription>([
          ['consumer1', sub(all)],
          ['consumer2', sub(t2)],
          ['consumer3', sub(all)],
        ])
        const r1 = stickyAssignor.assign(c, s)
        for (const l of r1.values()) expect(l).toHaveLength(4)
        verifyValidityAndBalance(s, r1)
        s.set('consumer1', kind.v2(all, r1.get('consumer1')!, GENERATION))
        s.set('consumer2', kind.v2(t2, r1.get('consumer2')!, GENERATION))
        s.delete('consumer3')
        const r2 = stickyAssignor.assign(c, s)
        expect(r2.get('consumer1')).toHaveLength(6)
        expect(r2.get('consumer2')).toHaveLength(6)
        if (equal)
          expect(keys(r2.get('consumer1'))).toEqual(
            expect.arrayContaining(keys(r1.get('consumer1'))),
          )
        expect(keys(r2.get('consumer2'))).toEqual(expect.arrayContaining(keys(r1.get('consumer2'))))
        verifyValidityAndBalance(s, r2)
        s.delete('consumer1')
        s.set('consumer2', kind.v2(t2, r2.get('consumer2')!, 2))
        s.set('consumer3', kind.v2(all, r1.get('consumer3')!, 1))
        const r3 = stickyAssignor.assign(c, s)
        expect(r3.get('consumer2')).toHaveLength(6)
        expect(r3.get('consumer3')).toHaveLength(6)
        verifyValidityAndBalance(s, r3)
      },
    )

    it.each([true, false])(
      'testAssignmentWithMultipleGenerations2 (equal subscriptions: %s)',
      (equal) => {
        const all = ['topic', 'topic2', 'topic3']
        const t1 = equal ? all : ['topic']
        const t3 = equal ? all : ['topic', 'topic2']
        const c = counts({ topic: 4, topic2: 4, topic3: 4 })
        const s = new Map<string, MemberSubscription>([
          ['consumer1', sub(t1)],
          ['consumer2', sub(all)],
          ['consumer3', sub(t3)],
        ])
        const r1 = stickyAssignor.assign(c, s)
        for (const l of r1.values()) expect(l).toHaveLength(4)
        s.delete('consumer1')
        s.set('consumer2', kind.v2(all, r1.get('consumer2')!, 1))
        s.delete('consumer3')
        const r2 = stickyAssignor.assign(c, s)
        expect(r2.get('consumer2')).toHaveLength(12)
        s.set('consumer1', kind.v2(t1, r1.get('consumer1')!, 1))
        s.set('consumer2', kind.v2(all, r2.get('consumer2')!, 2))
        s.set('consumer3', kind.v2(t3, r1.get('consumer3')!, 1))
        const r3 = stickyAssignor.assign(c, s)
        for (const l of r3.values()) expect(l).toHaveLength(4)
        verifyValidityAndBalance(s, r3)
      },
    )

    it.each([true, false])(
      'testAssignmentWithConflictingPreviousGenerations (equal: %s)',
      (equal) => {
        const all = ['topic', 'topic2', 'topic3']
        const t1 = equal ? all : ['topic']
        const t2 = equal ? all : ['topic', 'topic2']
        const c = counts({ topic: 4, topic2: 4, topic3: 4 })
        const c1 = equal
          ? parse('topic-0, topic-1, topic-2, topic2-2, topic2-3, topic3-0')
          : parse('topic-0, topic-1, topic-2, topic-3')
        const c2 = parse('topic-0, topic-1, topic2-0, topic2-1, topic2-2, topic2-3')
        const c3 = parse('topic-2, topic-3, topic3-0, topic3-1, topic3-2, topic3-3')
        const s = new Map([
          ['consumer1', kind.v2(t1, c1, 1)],
          ['consumer2', kind.v2(t2, c2, 2)],
          ['consumer3', kind.v2(all, c3, 2)],
        ])
        const a = stickyAssignor.assign(c, s)
        for (const l of a.values()) expect(l).toHaveLength(4)
        expect(keys(c2)).toEqual(expect.arrayContaining(keys(a.get('consumer2'))))
        expect(keys(c3)).toEqual(expect.arrayContaining(keys(a.get('consumer3'))))
        verifyValidityAndBalance(s, a)
      },
    )

    it('testSchemaBackwardCompatibility: StickyAssignorUserDataV0 (no generation) still counts', () => {
      const c = counts({ topic: 3 })
      const bytes = Buffer.from(
        '00000001' + '0005' + Buffer.from('topic').toString('hex') + '00000001' + '00000001',
        'hex',
      )
      expect(decodeStickyUserData(bytes)).toEqual({
        partitions: [tp('topic', 1)],
        generation: undefined,
      })
      const s = new Map<string, MemberSubscription>([
        ['consumer1', kind.v2(['topic'], parse('topic-0, topic-2'), 1)],
        ['consumer2', { topics: ['topic'], userData: bytes }],
        ['consumer3', sub(['topic'])],
      ])
      const a = stickyAssignor.assign(c, s)
      for (const l of a.values()) expect(l).toHaveLength(1)
      expect(['topic-0', 'topic-2']).toEqual(expect.arrayContaining(keys(a.get('consumer1'))))
      expect(keys(a.get('consumer2'))).toEqual(['topic-1'])
    })

    it('testMemberDataWithInconsistentData / testMemberDataWillHonorUserData: user data wins', () => {
      const userData = stickyAssignor.subscriptionUserData({
        assignment: [tp('topic', 1)],
        generationId: GENERATION,
      })
      const data = stickyMemberData({
        topics: ['topic'],
        userData,
        ownedPartitions: [tp('topic', 0)],
      })
      expect(data).toEqual({ partitions: [tp('topic', 1)], generation: GENERATION })
      const owned = parse('topic1-0, topic2-1')
      const honored = stickyMemberData({
        topics: ['topic'],
        userData: encodeStickyUserData(owned, GENERATION - 1),
        ownedPartitions: [],
        generationId: GENERATION,
      })
      expect(honored).toEqual({ partitions: owned, generation: GENERATION - 1 })
    })

    it('testAssignorWithOldVersionSubscriptions', () => {
      const s = new Map([
        ['consumer1', kind.v0(['topic1'], parse('topic1-0'), GENERATION)!],
        ['consumer2', kind.v1(['topic1'], parse('topic1-1'), GENERATION)],
        ['consumer3', kind.v2(['topic1'], [], GENERATION)],
      ])
      const a = stickyAssignor.assign(counts({ topic1: 3 }), s)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1'])
      expect(keys(a.get('consumer3'))).toEqual(['topic1-2'])
    })
  })

  describe('user data', () => {
    it('is StickyAssignorUserDataV1 in Kafka’s bytes, topics in Java HashMap order', () => {
      expect(stickyAssignor.subscriptionUserData({ assignment: null, generationId: -1 })).toBeNull()
      // groupPartitionsByTopic puts topic2 (bucket 1) after topic1 (bucket 0), and "topic"
      // (bucket 9) after both, whatever the order of the assignment
      const bytes = stickyAssignor.subscriptionUserData({
        assignment: parse('topic-0, topic2-1, topic1-0, topic2-0'),
        generationId: 7,
      })!
      const s16 = (s: string) =>
        s.length.toString(16).padStart(4, '0') + Buffer.from(s).toString('hex')
      expect(bytes.toString('hex')).toBe(
        '00000003' +
          s16('topic1') +
          '00000001' +
          '00000000' +
          s16('topic2') +
          '00000002' +
          '00000001' +
          '00000000' +
          s16('topic') +
          '00000001' +
          '00000000' +
          '00000007',
      )
      expect(decodeStickyUserData(bytes)).toEqual({
        partitions: parse('topic1-0, topic2-1, topic2-0, topic-0'),
        generation: 7,
      })
    })

    it('ignores user data that neither schema reads (no partitions, generation -1)', () => {
      expect(decodeStickyUserData(Buffer.from([0, 0, 0, 5]))).toEqual({
        partitions: [],
        generation: -1,
      })
      expect(stickyMemberData({ topics: [], userData: Buffer.alloc(0) })).toEqual({
        partitions: [],
        generation: undefined,
      })
    })
  })

  describe('where logkeeper deliberately differs from Kafka', () => {
    const v2 = kind.v2

    it('never hands a partition back to an older-generation owner no longer subscribed to its topic', () => {
      // Kafka's general builder moves b-x back to its generation-0 owner m2, which now
      // subscribes to c only: an assignment its own validity check rejects.
      const c = counts({ b: 3, c: 2 })
      const s = new Map([
        ['m0', v2(['c'], parse('c-0, c-1'), 0)],
        ['m1', v2(['b'], [], 0)],
        ['m2', v2(['c'], parse('b-0, b-1, b-2'), 0)],
        ['m3', v2(['b'], [], 1)],
      ])
      const a = stickyAssignor.assign(c, s)
      verifyValidityAndBalance(s, a)
      expect(isFullyBalanced(a)).toBe(true)
    })

    it('does not fail when an older-generation owner now subscribes to nothing', () => {
      // Kafka's general builder looks m2 up among the members that can still change and
      // throws a NullPointerException.
      const c = counts({ a: 6, b: 1, c: 6 })
      const s = new Map([
        ['m0', v2(['a'], [], 0)],
        ['m1', v2(['a', 'b', 'c'], [], 0)],
        ['m2', v2([], parse('c-0, c-1, c-2, c-3, c-4, c-5'), 0)],
        ['m3', v2(['b'], [], 0)],
        ['m4', v2(['a', 'c'], [], 1)],
      ])
      const a = stickyAssignor.assign(c, s)
      verifyValidityAndBalance(s, a)
      expect(a.get('m2')).toEqual([])
    })

    it('treats an empty subscription as a subscription (Kafka skips it when it comes first)', () => {
      // Kafka compares subscriptions with the first non-empty one, so with the empty one first
      // in its HashMap order it takes the constrained path and gives e partitions of t.
      const s = new Map([
        ['e', sub([])],
        ['x', sub(['t'])],
        ['y', sub(['t'])],
      ])
      const a = stickyAssignor.assign(counts({ t: 3 }), s)
      expect(a.get('e')).toEqual([])
      verifyValidityAndBalance(s, a)
    })

    it('ignores claims of partitions that do not exist', () => {
      const s = new Map([
        ['m1', v2(['t'], parse('t-7, t-0'), 1)],
        ['m2', v2(['t'], [], 1)],
      ])
      const a = stickyAssignor.assign(counts({ t: 2 }), s)
      expect(keys(a.get('m1'))).toEqual(['t-0'])
      expect(keys(a.get('m2'))).toEqual(['t-1'])
    })
  })
})

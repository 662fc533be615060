// Kafka's CooperativeStickyAssignorTest and, through sticky-suite.ts, AbstractStickyAssignorTest
// (with the cooperative test's check that no partition is revoked and assigned in one round,
// and follow-up rebalances until none is revoked).

import { describe, expect, it } from 'vitest'
import { cooperativeStickyAssignor } from '../../../src/consumer/assignors/sticky/cooperative-sticky.js'
import { cooperativeMemberData } from '../../../src/consumer/assignors/sticky/member-data.js'
import { counts, keys, parse, tp } from './helpers.js'
import { cooperativeKind, GENERATION, settleAndVerify } from './sticky-kinds.js'
import { describeStickySuite } from './sticky-suite.js'

const kind = cooperativeKind(cooperativeStickyAssignor)
const assignor = cooperativeStickyAssignor

describe('cooperative-sticky assignor', () => {
  it('has Kafka’s name and protocols', () => {
    expect(assignor.name).toBe('cooperative-sticky')
    expect(assignor.supportedProtocols).toEqual(['cooperative', 'eager'])
  })

  describeStickySuite(kind)

  describe('CooperativeStickyAssignorTest', () => {
    it('testEncodeAndDecodeGeneration', () => {
      const before = assignor.subscriptionUserData({ assignment: null, generationId: -1 })!
      expect(before.toString('hex')).toBe('ffffffff')
      expect(cooperativeMemberData({ topics: ['topic'], userData: before }).generation).toBe(-1)
      const after = assignor.subscriptionUserData({ assignment: [], generationId: 10 })!
      expect(after.toString('hex')).toBe('0000000a')
      expect(cooperativeMemberData({ topics: ['topic'], userData: after }).generation).toBe(10)
    })

    it('testDecodeGeneration: no user data, no generation; unreadable user data, -1', () => {
      expect(cooperativeMemberData({ topics: ['topic'] }).generation).toBeUndefined()
      expect(
        cooperativeMemberData({ topics: ['topic'], userData: Buffer.from([1]) }).generation,
      ).toBe(-1)
    })

    it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration (equal and unequal)', () => {
      for (const [n, c1] of [
        [3, ['topic-1']],
        [4, ['topic-1', 'topic-3']],
      ] as const) {
        const c = counts({ topic: n })
        const s = new Map([
          ['consumer1', kind.v2(['topic'], parse('topic-0, topic-1'), GENERATION)],
          ['consumer2', kind.v2(['topic'], parse('topic-0, topic-2'), GENERATION)],
          ['consumer3', kind.v2(['topic'], [], GENERATION)],
        ])
        const a = assignor.assign(c, s)
        expect(keys(a.get('consumer1'))).toEqual(c1)
        expect(keys(a.get('consumer2'))).toEqual(['topic-2'])
        // topic-0 counts as owned: nobody gets it until both claimants have revoked it
        expect(a.get('consumer3')).toEqual([])
        settleAndVerify(kind, c, s, a)
      }
    })

    it('testMemberDataWithInconsistentData: owned partitions from the subscription, generation from user data', () => {
      const userData = assignor.subscriptionUserData({
        assignment: [tp('topic', 1)],
        generationId: GENERATION,
      })
      const data = cooperativeMemberData({
        topics: ['topic'],
        userData,
        ownedPartitions: [tp('topic', 0)],
      })
      expect(data).toEqual({ partitions: [tp('topic', 0)], generation: GENERATION })
    })

    it('testMemberDataWithEmptyPartitionsAndEqualGeneration / ...AndHigherGeneration', () => {
      for (const userGeneration of [GENERATION, GENERATION - 1]) {
        const data = cooperativeMemberData({
          topics: ['topic'],
          userData: assignor.subscriptionUserData({
            assignment: parse('topic1-0'),
            generationId: userGeneration,
          }),
          ownedPartitions: [],
          generationId: GENERATION,
        })
        expect(data).toEqual({ partitions: [], generation: GENERATION })
      }
    })

    it('testAssignorWithOldVersionSubscriptions', () => {
      const s = new Map([
        ['consumer1', kind.v1(['topic1'], parse('topic1-0'), GENERATION)],
        ['consumer2', kind.v1(['topic1'], parse('topic1-1'), GENERATION)],
        ['consumer3', kind.v2(['topic1'], [], GENERATION)],
      ])
      const a = assignor.assign(counts({ topic1: 3 }), s)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1'])
      expect(keys(a.get('consumer3'))).toEqual(['topic1-2'])
    })

    it('moves a partition in two rebalances: revoked first, assigned in the follow-up', () => {
      const c = counts({ topic: 4 })
      const s = new Map([
        ['consumer1', kind.v2(['topic'], parse('topic-0, topic-1, topic-2, topic-3'), GENERATION)],
        ['consumer2', kind.v2(['topic'], [], GENERATION)],
      ])
      const first = assignor.assign(c, s)
      expect(keys(first.get('consumer1'))).toEqual(['topic-0', 'topic-1'])
      expect(first.get('consumer2')).toEqual([])
      s.set('consumer1', kind.v2(['topic'], first.get('consumer1')!, GENERATION + 1))
      s.set('consumer2', kind.v2(['topic'], [], GENERATION + 1))
      const second = assignor.assign(c, s)
      expect(keys(second.get('consumer1'))).toEqual(['topic-0', 'topic-1'])
      expect(keys(second.get('consumer2'))).toEqual(['topic-2', 'topic-3'])
    })
  })
})

// Cases from Kafka's RangeAssignorTest (clients/src/test/java/org/apache/kafka/clients/consumer),
// run without racks (rack-aware range needs replica racks, which the assignor is not given).

import { describe, expect, it } from 'vitest'
import { rangeAssignor } from '../../../src/consumer/assignors/range.js'
import type { MemberSubscription } from '../../../src/consumer/assignors/types.js'
import { counts, keys, parse, sub } from './helpers.js'

const assign = (c: Record<string, number>, s: [string, MemberSubscription][]) =>
  rangeAssignor.assign(counts(c), new Map(s))

describe('range assignor (Kafka RangeAssignorTest)', () => {
  it('has Kafka’s name and protocols', () => {
    expect(rangeAssignor.name).toBe('range')
    expect(rangeAssignor.supportedProtocols).toEqual(['eager'])
    expect(rangeAssignor.subscriptionUserData({ assignment: null, generationId: -1 })).toBeNull()
  })

  it('testOneConsumerNoTopic', () => {
    const a = assign({}, [['consumer1', sub([])]])
    expect([...a.keys()]).toEqual(['consumer1'])
    expect(a.get('consumer1')).toEqual([])
  })

  it('testOneConsumerNonexistentTopic', () => {
    const a = assign({}, [['consumer1', sub(['topic1'])]])
    expect(a.get('consumer1')).toEqual([])
  })

  it('testOneConsumerOneTopic', () => {
    const a = assign({ topic1: 3 }, [['consumer1', sub(['topic1'])]])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic1-1', 'topic1-2'])
  })

  it('testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    const a = assign({ topic1: 3, other: 3 }, [['consumer1', sub(['topic1'])]])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic1-1', 'topic1-2'])
  })

  it('testOneConsumerMultipleTopics', () => {
    const a = assign({ topic1: 1, topic2: 2 }, [['consumer1', sub(['topic1', 'topic2'])]])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic2-0', 'topic2-1'])
  })

  it('testTwoConsumersOneTopicOnePartition', () => {
    const a = assign({ topic1: 1 }, [
      ['consumer1', sub(['topic1'])],
      ['consumer2', sub(['topic1'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0'])
    expect(a.get('consumer2')).toEqual([])
  })

  it('testTwoConsumersOneTopicTwoPartitions', () => {
    const a = assign({ topic1: 2 }, [
      ['consumer1', sub(['topic1'])],
      ['consumer2', sub(['topic1'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0'])
    expect(keys(a.get('consumer2'))).toEqual(['topic1-1'])
  })

  it('testMultipleConsumersMixedTopics', () => {
    const a = assign({ topic1: 3, topic2: 2 }, [
      ['consumer1', sub(['topic1'])],
      ['consumer2', sub(['topic1', 'topic2'])],
      ['consumer3', sub(['topic1'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0'])
    expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-0', 'topic2-1'])
    expect(keys(a.get('consumer3'))).toEqual(['topic1-2'])
  })

  it('testTwoConsumersTwoTopicsSixPartitions', () => {
    const a = assign({ topic1: 3, topic2: 3 }, [
      ['consumer1', sub(['topic1', 'topic2'])],
      ['consumer2', sub(['topic1', 'topic2'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'])
    expect(keys(a.get('consumer2'))).toEqual(['topic1-2', 'topic2-2'])
  })

  it('testTwoStaticConsumersTwoTopicsSixPartitions (instance ids order, not member ids)', () => {
    const a = assign({ topic1: 3, topic2: 3 }, [
      ['consumer-b', sub(['topic1', 'topic2'], { groupInstanceId: 'instance1' })],
      ['consumer-a', sub(['topic1', 'topic2'], { groupInstanceId: 'instance2' })],
    ])
    expect(keys(a.get('consumer-b'))).toEqual(['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'])
    expect(keys(a.get('consumer-a'))).toEqual(['topic1-2', 'topic2-2'])
  })

  it('testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions', () => {
    const a = assign({ topic1: 3, topic2: 3 }, [
      ['consumer-b', sub(['topic1', 'topic2'], { groupInstanceId: 'instance1' })],
      ['consumer-a', sub(['topic1', 'topic2'])],
    ])
    expect(keys(a.get('consumer-b'))).toEqual(['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'])
    expect(keys(a.get('consumer-a'))).toEqual(['topic1-2', 'topic2-2'])
  })

  it('testStaticMemberRangeAssignmentPersistent', () => {
    const topics = ['topic1', 'topic2']
    const members = new Map<string, MemberSubscription>([
      ['consumer1', sub(topics, { groupInstanceId: 'instance1' })],
      ['consumer2', sub(topics, { groupInstanceId: 'instance2' })],
      ['consumer3', sub(topics, { groupInstanceId: 'instance3' })],
      ['consumer4', sub(topics)],
    ])
    const c = counts({ topic1: 5, topic2: 4 })
    const expected = {
      consumer1: ['topic1-0', 'topic1-1', 'topic2-0'],
      consumer2: ['topic1-2', 'topic2-1'],
      consumer3: ['topic1-3', 'topic2-2'],
    }
    let a = rangeAssignor.assign(c, members)
    for (const [m, list] of Object.entries(expected)) expect(keys(a.get(m))).toEqual(list)
    expect(keys(a.get('consumer4'))).toEqual(['topic1-4', 'topic2-3'])
    members.delete('consumer4')
    members.set('consumer5', sub(topics))
    a = rangeAssignor.assign(c, members)
    for (const [m, list] of Object.entries(expected)) expect(keys(a.get(m))).toEqual(list)
    expect(keys(a.get('consumer5'))).toEqual(['topic1-4', 'topic2-3'])
  })

  it('testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges', () => {
    const topics = ['topic1', 'topic2']
    const c = counts({ topic1: 5, topic2: 5 })
    const byInstance = (members: Map<string, MemberSubscription>) => {
      const a = rangeAssignor.assign(c, members)
      return Object.fromEntries(
        [...members].map(([id, s]) => [s.groupInstanceId!, keys(a.get(id))] as const),
      )
    }
    const members = new Map<string, MemberSubscription>([
      ['consumer1', sub(topics, { groupInstanceId: 'instance1' })],
      ['consumer2', sub(topics, { groupInstanceId: 'instance2' })],
      ['consumer3', sub(topics, { groupInstanceId: 'instance3' })],
    ])
    const first = byInstance(members)
    expect(first).toEqual({
      instance1: ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      instance2: ['topic1-2', 'topic1-3', 'topic2-2', 'topic2-3'],
      instance3: ['topic1-4', 'topic2-4'],
    })
    members.set('consumer4', members.get('consumer3')!)
    members.delete('consumer3')
    members.set('consumer5', members.get('consumer2')!)
    members.delete('consumer2')
    expect(byInstance(members)).toEqual(first)
  })

  it('testCoPartitionedAssignmentWithSameSubscription (the non-rack-aware assignment)', () => {
    const topics = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']
    const a = assign({ t1: 6, t2: 6, t3: 2, t4: 2, t5: 4, t6: 4 }, [
      ['consumer1', sub(topics)],
      ['consumer2', sub(topics)],
      ['consumer3', sub(topics)],
    ])
    const expected = [
      't1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1',
      't1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2',
      't1-4, t1-5, t2-4, t2-5, t5-3, t6-3',
    ]
    expected.forEach((list, i) => {
      expect(keys(a.get(`consumer${i + 1}`))).toEqual(keys(parse(list)))
    })
  })

  it('returns every member’s list sorted by topic then partition', () => {
    const a = assign({ b: 2, a: 2 }, [['m', sub(['b', 'a'])]])
    expect(a.get('m')).toEqual(parse('a-0, a-1, b-0, b-1'))
  })

  it('rejects malformed input with INVALID_ARGUMENT', () => {
    expect(() => assign({ t: -1 }, [['m', sub(['t'])]])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() => assign({ t: 1.5 }, [['m', sub(['t'])]])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() =>
      rangeAssignor.assign(counts({}), new Map([['m', { topics: 'x' } as never]])),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })
})

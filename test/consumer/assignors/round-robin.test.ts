// Cases from Kafka's RoundRobinAssignorTest (clients/src/test/java/org/apache/kafka/clients/consumer).

import { describe, expect, it } from 'vitest'
import { roundRobinAssignor } from '../../../src/consumer/assignors/round-robin.js'
import type { MemberSubscription } from '../../../src/consumer/assignors/types.js'
import { counts, keys, sub } from './helpers.js'

const assign = (c: Record<string, number>, s: [string, MemberSubscription][]) =>
  roundRobinAssignor.assign(counts(c), new Map(s))

describe('round-robin assignor (Kafka RoundRobinAssignorTest)', () => {
  it('has Kafka’s name and protocols', () => {
    expect(roundRobinAssignor.name).toBe('roundrobin')
    expect(roundRobinAssignor.supportedProtocols).toEqual(['eager'])
  })

  it('testOneConsumerNoTopic', () => {
    expect(assign({}, [['consumer', sub([])]]).get('consumer')).toEqual([])
  })

  it('testOneConsumerNonexistentTopic', () => {
    expect(assign({}, [['consumer', sub(['topic'])]]).get('consumer')).toEqual([])
  })

  it('testOneConsumerOneTopic', () => {
    const a = assign({ topic: 3 }, [['consumer', sub(['topic'])]])
    expect(keys(a.get('consumer'))).toEqual(['topic-0', 'topic-1', 'topic-2'])
  })

  it('testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    const a = assign({ topic: 3, other: 3 }, [['consumer', sub(['topic'])]])
    expect(keys(a.get('consumer'))).toEqual(['topic-0', 'topic-1', 'topic-2'])
  })

  it('testOneConsumerMultipleTopics', () => {
    const a = assign({ topic1: 1, topic2: 2 }, [['consumer', sub(['topic1', 'topic2'])]])
    expect(keys(a.get('consumer'))).toEqual(['topic1-0', 'topic2-0', 'topic2-1'])
  })

  it('testTwoConsumersOneTopicOnePartition', () => {
    const a = assign({ topic: 1 }, [
      ['consumer1', sub(['topic'])],
      ['consumer2', sub(['topic'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic-0'])
    expect(a.get('consumer2')).toEqual([])
  })

  it('testTwoConsumersOneTopicTwoPartitions', () => {
    const a = assign({ topic: 2 }, [
      ['consumer1', sub(['topic'])],
      ['consumer2', sub(['topic'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic-0'])
    expect(keys(a.get('consumer2'))).toEqual(['topic-1'])
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

  it('testTwoDynamicConsumersTwoTopicsSixPartitions', () => {
    const a = assign({ topic1: 3, topic2: 3 }, [
      ['consumer1', sub(['topic1', 'topic2'])],
      ['consumer2', sub(['topic1', 'topic2'])],
    ])
    expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic1-2', 'topic2-1'])
    expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-0', 'topic2-2'])
  })

  it('testTwoStaticConsumersTwoTopicsSixPartitions', () => {
    const a = assign({ topic1: 3, topic2: 3 }, [
      ['consumer-b', sub(['topic1', 'topic2'], { groupInstanceId: 'instance1' })],
      ['consumer-a', sub(['topic1', 'topic2'], { groupInstanceId: 'instance2' })],
    ])
    expect(keys(a.get('consumer-b'))).toEqual(['topic1-0', 'topic1-2', 'topic2-1'])
    expect(keys(a.get('consumer-a'))).toEqual(['topic1-1', 'topic2-0', 'topic2-2'])
  })

  it('testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions', () => {
    const a = assign({ topic1: 3, topic2: 3 }, [
      ['consumer-b', sub(['topic1', 'topic2'], { groupInstanceId: 'instance1' })],
      ['consumer-a', sub(['topic1', 'topic2'])],
    ])
    expect(keys(a.get('consumer-b'))).toEqual(['topic1-0', 'topic1-2', 'topic2-1'])
    expect(keys(a.get('consumer-a'))).toEqual(['topic1-1', 'topic2-0', 'topic2-2'])
  })

  it('testStaticMemberRoundRobinAssignmentPersistent', () => {
    const topics = ['topic1', 'topic2']
    const members = new Map<string, MemberSubscription>([
      ['consumer1', sub(topics, { groupInstanceId: 'instance1' })],
      ['consumer2', sub(topics, { groupInstanceId: 'instance2' })],
      ['consumer3', sub(topics, { groupInstanceId: 'instance3' })],
      ['consumer4', sub(topics)],
    ])
    const c = counts({ topic1: 3, topic2: 3 })
    const check = (dynamic: string) => {
      const a = roundRobinAssignor.assign(c, members)
      expect(keys(a.get('consumer1'))).toEqual(['topic1-0', 'topic2-1'])
      expect(keys(a.get('consumer2'))).toEqual(['topic1-1', 'topic2-2'])
      expect(keys(a.get('consumer3'))).toEqual(['topic1-2'])
      expect(keys(a.get(dynamic))).toEqual(['topic2-0'])
    }
    check('consumer4')
    members.delete('consumer4')
    members.set('consumer5', sub(topics))
    check('consumer5')
  })

  it('testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges', () => {
    const topics = ['topic1', 'topic2']
    const c = counts({ topic1: 5, topic2: 5 })
    const byInstance = (members: Map<string, MemberSubscription>) => {
      const a = roundRobinAssignor.assign(c, members)
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
      instance1: ['topic1-0', 'topic1-3', 'topic2-1', 'topic2-4'],
      instance2: ['topic1-1', 'topic1-4', 'topic2-2'],
      instance3: ['topic1-2', 'topic2-0', 'topic2-3'],
    })
    members.set('consumer4', members.get('consumer3')!)
    members.delete('consumer3')
    members.set('consumer5', members.get('consumer2')!)
    members.delete('consumer2')
    expect(byInstance(members)).toEqual(first)
  })
})

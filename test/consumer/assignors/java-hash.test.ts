// Java's String.hashCode, Kafka's TopicPartition.hashCode and HashMap iteration order.

import { describe, expect, it } from 'vitest'
import {
  JavaHashSet,
  javaHashOrder,
  javaStringHash,
  topicPartitionHash,
  tpKey,
} from '../../../src/consumer/assignors/java-hash.js'
import { tp } from './helpers.js'

describe('Java hashing', () => {
  it('String.hashCode as the JVM computes it', () => {
    expect(javaStringHash('')).toBe(0)
    expect(javaStringHash('hello')).toBe(99162322)
    expect(javaStringHash('Aa')).toBe(javaStringHash('BB'))
    expect(javaStringHash('consumer1')).toBe(-421004549)
    // UTF-16 code units, int32 overflow
    expect(javaStringHash('\u{1F600}')).toBe(0xd83d * 31 + 0xde00)
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648)
  })

  it('TopicPartition.hashCode is 31 * (31 + partition) + topic.hashCode()', () => {
    expect(topicPartitionHash(tp('topic', 0))).toBe((961 + javaStringHash('topic')) | 0)
    expect(topicPartitionHash(tp('t', 5))).toBe(31 * 36 + 116)
  })

  it('HashMap order: by spread-hash bucket, then insertion', () => {
    expect(javaHashOrder(['consumer1', 'consumer2', 'consumer3'])).toEqual([
      'consumer3',
      'consumer2',
      'consumer1',
    ])
    expect(javaHashOrder(['topic', 'topic2', 'topic1'])).toEqual(['topic1', 'topic2', 'topic'])
    // "Aa" and "BB" share a bucket: insertion order decides
    expect(javaHashOrder(['BB', 'Aa'])).toEqual(['BB', 'Aa'])
    expect(javaHashOrder(['Aa', 'BB'])).toEqual(['Aa', 'BB'])
  })

  it('HashMap order after growth: 13 keys double the table to 32 buckets', () => {
    const keys = Array.from({ length: 13 }, (_, i) => String.fromCharCode(97 + i * 3))
    const order = javaHashOrder(keys)
    const bucket = (k: string) => {
      const h = javaStringHash(k)
      return (h ^ (h >>> 16)) & 31
    }
    expect(order.map(bucket)).toEqual([...order.map(bucket)].sort((a, b) => a - b))
    expect(new Set(order)).toEqual(new Set(keys))
  })

  it('a set keeps bucket order through deletes and re-adds', () => {
    const set = new JavaHashSet(tpKey, topicPartitionHash)
    for (let p = 0; p < 20; p++) set.add(tp('t', p))
    expect(set.size).toBe(20)
    expect(set.add(tp('t', 3))).toBe(false)
    const first = set.first()!
    expect(set.delete(first)).toBe(true)
    expect(set.has(first)).toBe(false)
    expect(set.first()).not.toEqual(first)
    set.add(first)
    expect([...set]).toHaveLength(20)
  })
})

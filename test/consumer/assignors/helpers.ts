/** Shared helpers of the assignor tests: partitions, subscriptions, Kafka's test checks. */

import { expect } from 'vitest'
import type {
  GroupAssignment,
  MemberSubscription,
  TopicPartition,
} from '../../../src/consumer/assignors/types.js'

/** A partition. */
export const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition })

/** `t-p` keys of partitions, sorted: a set in a form `toEqual` compares well. */
export function keys(partitions: readonly TopicPartition[] | undefined): string[] {
  return (partitions ?? []).map((p) => `${p.topic}-${p.partition}`).sort()
}

/** Partitions from `'t1-0, t1-1'` (Kafka's rack tests write assignments this way). */
export function parse(list: string): TopicPartition[] {
  if (list.trim() === '') return []
  return list.split(',').map((s) => {
    const t = s.trim()
    const dash = t.lastIndexOf('-')
    return tp(t.slice(0, dash), Number(t.slice(dash + 1)))
  })
}

/** A Map of topic to partition count. */
export const counts = (entries: Record<string, number>): Map<string, number> =>
  new Map(Object.entries(entries))

/** A subscription to `topics` with optional extra fields. */
export const sub = (
  topics: string[],
  extra: Partial<MemberSubscription> = {},
): MemberSubscription => ({ topics, ...extra })

/** Kafka's `getCanonicalName`: `prefix` and `i` zero-padded to the digits of `max`. */
export function canonical(prefix: string, i: number, max: number): string {
  return prefix + String(i).padStart(String(max).length, '0')
}

/** Kafka's `isFullyBalanced`: every member's count within one of every other's. */
export function isFullyBalanced(assignment: GroupAssignment): boolean {
  const sizes = [...assignment.values()].map((l) => l.length)
  return sizes.length === 0 || Math.max(...sizes) - Math.min(...sizes) <= 1
}

/**
 * Kafka's `verifyValidityAndBalance` (AbstractStickyAssignorTest): every member has an entry,
 * each partition belongs to a subscribed topic and to one member only, and when two members'
 * counts differ by more than one they share no topic among their partitions.
 */
export function verifyValidityAndBalance(
  subscriptions: ReadonlyMap<string, MemberSubscription>,
  assignment: GroupAssignment,
): void {
  expect(new Set(assignment.keys())).toEqual(new Set(subscriptions.keys()))
  const consumers = [...assignment.keys()].sort()
  const owner = new Map<string, string>()
  for (const c of consumers) {
    for (const p of assignment.get(c)!) {
      expect(subscriptions.get(c)!.topics, `${c} gets ${p.topic}-${p.partition}`).toContain(p.topic)
      const key = `${p.topic}-${p.partition}`
      expect(owner.get(key), `${key} owned twice`).toBeUndefined()
      owner.set(key, c)
    }
  }
  for (let i = 0; i < consumers.length; i++) {
    for (let j = i + 1; j < consumers.length; j++) {
      const a = assignment.get(consumers[i]!)!
      const b = assignment.get(consumers[j]!)!
      if (Math.abs(a.length - b.length) <= 1) continue
      const bTopics = new Set(b.map((p) => p.topic))
      for (const p of a) {
        expect(bTopics.has(p.topic), `${consumers[i]} and ${consumers[j]} share ${p.topic}`).toBe(
          false,
        )
      }
    }
  }
}

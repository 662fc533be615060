/**
 * The sticky assignment when every member subscribes to the same topics (Kafka's
 * `ConstrainedAssignmentBuilder`). With `P` partitions and `N` members each member gets
 * `minQuota = floor(P / N)` or `maxQuota = ceil(P / N)` partitions, `P % N` of them the latter:
 *
 * 1. Each member keeps what it owned, up to its quota (owned partitions sorted by partition
 *    number, then topic; the first members to own `maxQuota` or more, in Kafka's `HashMap` order,
 *    keep `maxQuota` while slots remain, the others `minQuota`). The rest may be revoked.
 * 2. The partitions left (sorted by topic, then partition) go round-robin to the members under
 *    `minQuota` (sorted by id), then one each to members at `minQuota` until `P % N` members
 *    have `maxQuota`.
 *
 * A partition given to a member other than the one that gave it up, or one claimed by several
 * owners of one generation, is "transferring ownership": the cooperative protocol revokes it
 * first and assigns it in the follow-up rebalance.
 */

import { compareStrings, tp } from '../common.js'
import { tpKey } from '../java-hash.js'
import type { TopicPartition } from '../types.js'
import type { Ownership } from './ownership.js'

/** The outcome of a sticky builder. */
export interface StickyBuild {
  /** The partitions of every member (in Kafka's list order: kept, then new). */
  readonly assignment: Map<string, TopicPartition[]>
  /**
   * Partitions moving to a new owner, by key ({@link tpKey}), with the new owner; null when the
   * general path ran (the cooperative assignor then works them out from owned partitions).
   */
  readonly transferring: Map<string, { partition: TopicPartition; to: string }> | null
  /** Whether no partition moved back and forth between two members (Kafka's `isSticky`). */
  readonly sticky: boolean
}

/**
 * Build the assignment for equal subscriptions.
 *
 * @param partitionsPerTopic - the subscribed topics' partition counts
 * @param memberOrder - member ids in Kafka's `HashMap` order
 * @param ownership - previous ownership, resolved
 */
export function buildConstrained(
  partitionsPerTopic: ReadonlyMap<string, number>,
  memberOrder: readonly string[],
  ownership: Ownership,
): StickyBuild {
  let total = 0
  for (const n of partitionsPerTopic.values()) total += n
  const members = memberOrder.length
  const minQuota = Math.floor(total / members)
  const maxQuota = Math.ceil(total / members)
  const expectedOver = total % members
  let currentOver = 0

  const assignment = new Map<string, TopicPartition[]>(memberOrder.map((m) => [m, []]))
  const maybeRevoked = new Map<string, string>()
  const transferring = new Map<string, { partition: TopicPartition; to: string }>()
  const assigned = new Set<string>()
  const underMin: string[] = []
  let atMin: string[] = []

  for (const member of memberOrder) {
    const owned = ownership.owned
      .get(member)!
      .filter((p) => !ownership.multiOwned.has(tpKey(p)))
      .sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic))
    const mine = assignment.get(member)!
    let keep: number
    if (owned.length < minQuota) {
      keep = owned.length
      underMin.push(member)
    } else if (owned.length >= maxQuota && currentOver < expectedOver) {
      keep = maxQuota
      currentOver++
      if (currentOver === expectedOver) atMin = []
    } else {
      keep = minQuota
      if (currentOver < expectedOver) atMin.push(member)
    }
    owned.forEach((p, i) => {
      if (i < keep) {
        mine.push(p)
        assigned.add(tpKey(p))
      } else maybeRevoked.set(tpKey(p), member)
    })
  }

  const unassigned: TopicPartition[] = []
  for (const topic of [...partitionsPerTopic.keys()].sort(compareStrings)) {
    const count = partitionsPerTopic.get(topic)!
    for (let p = 0; p < count; p++)
      if (!assigned.has(`${p}:${topic}`)) unassigned.push(tp(topic, p))
  }
  underMin.sort(compareStrings)
  atMin.sort(compareStrings)

  const give = (p: TopicPartition, member: string): number => {
    const mine = assignment.get(member)!
    mine.push(p)
    const key = tpKey(p)
    const from = maybeRevoked.get(key)
    if ((from !== undefined && from !== member) || ownership.multiOwned.has(key)) {
      transferring.set(key, { partition: p, to: member })
    }
    return mine.length
  }

  // Round-robin over the members under minQuota; once none is left, one each to those at it.
  let at = 0
  for (const p of unassigned) {
    let member: string
    if (at < underMin.length) member = underMin[at++]!
    else if (underMin.length === 0) {
      const next = atMin.shift()
      if (next === undefined) throw new Error('sticky assignor: no member left to fill')
      member = next
    } else {
      at = 0
      member = underMin[at++]!
    }
    const count = give(p, member)
    if (count === minQuota) {
      underMin.splice(--at, 1)
      atMin.push(member)
    } else if (count === maxQuota) currentOver++
  }
  return { assignment, transferring, sticky: true }
}

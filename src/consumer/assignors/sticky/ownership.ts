/**
 * Who keeps which previously owned partition before the sticky assignment starts (the first
 * half of Kafka's `AbstractStickyAssignor.allSubscriptionsEqual`). Members are visited in the
 * order Kafka's leader visits its `HashMap` of subscriptions; a partition claimed twice goes to
 * the claim of the higher generation, and when two claims share a generation neither keeps it
 * (the partition is marked as claimed by several owners).
 *
 * As in Kafka, a claim's generation comes from the member data, the generation it is compared
 * with from the other claimant's subscription (`generationId`, -1 when absent).
 */

import { type NormalizedInput, partitionExists } from '../common.js'
import { tpKey } from '../java-hash.js'
import type { TopicPartition } from '../types.js'
import { DEFAULT_GENERATION, type MemberData } from './member-data.js'

/** The previous ownership the sticky builders start from. */
export interface Ownership {
  /** Whether all members subscribe to the same set of topics (the constrained fast path). */
  readonly equalSubscriptions: boolean
  /** Each member's still-valid previously owned partitions, in the order it listed them. */
  readonly owned: Map<string, TopicPartition[]>
  /** Keys ({@link tpKey}) of partitions claimed by two members of the same generation. */
  readonly multiOwned: Set<string>
  /** The highest generation any member reported (-1 if none). */
  readonly maxGeneration: number
  /** Each member's data as the assignor reads it. */
  readonly memberData: ReadonlyMap<string, MemberData>
}

/**
 * Resolve previous ownership.
 *
 * @param input - the normalised assignment input
 * @param memberDataOf - how the assignor reads a member's data (sticky or cooperative-sticky)
 */
export function resolveOwnership(
  input: NormalizedInput,
  memberDataOf: (m: NormalizedInput['members'][number]['subscription']) => MemberData,
): Ownership {
  const owned = new Map<string, TopicPartition[]>()
  const multiOwned = new Set<string>()
  const memberData = new Map<string, MemberData>()
  const ownerOf = new Map<string, string>()
  let reference: ReadonlySet<string> | undefined
  let equalSubscriptions = true
  let maxGeneration = DEFAULT_GENERATION
  for (const memberId of input.hashOrder) {
    const member = input.byId.get(memberId)!
    if (reference === undefined) reference = member.topicSet
    else if (equalSubscriptions && !sameSet(reference, member.topicSet)) equalSubscriptions = false
    const data = memberDataOf(member.subscription)
    memberData.set(memberId, data)
    const generation = data.generation ?? DEFAULT_GENERATION
    maxGeneration = Math.max(maxGeneration, generation)
    const mine: TopicPartition[] = []
    owned.set(memberId, mine)
    for (const p of data.partitions) {
      if (!partitionExists(input.partitionsPerTopic, p)) continue
      const key = tpKey(p)
      const other = ownerOf.get(key)
      if (other === undefined) {
        mine.push({ topic: p.topic, partition: p.partition })
        ownerOf.set(key, memberId)
        continue
      }
      const otherGeneration = input.byId.get(other)!.generationId ?? DEFAULT_GENERATION
      if (generation === otherGeneration) {
        multiOwned.add(key)
        removeFirst(owned.get(other)!, key)
        ownerOf.set(key, memberId)
      } else if (generation > otherGeneration) {
        mine.push({ topic: p.topic, partition: p.partition })
        removeFirst(owned.get(other)!, key)
        ownerOf.set(key, memberId)
      }
    }
  }
  return { equalSubscriptions, owned, multiOwned, maxGeneration, memberData }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false
  for (const x of b) if (!a.has(x)) return false
  return true
}

/** Remove the first partition with key `key` from `list`, if any (Java's `List.remove`). */
export function removeFirst(list: TopicPartition[], key: string): void {
  const i = list.findIndex((p) => tpKey(p) === key)
  if (i >= 0) list.splice(i, 1)
}

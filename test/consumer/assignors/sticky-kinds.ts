/**
 * The two sticky assignors as Kafka's test subclasses see them: how each builds a
 * subscription of each ConsumerProtocolSubscription version, the raw build (with Kafka's
 * `partitionsTransferringOwnership` and `isSticky`), and the cooperative test's settling of an
 * assignment through follow-up rebalances.
 */

import { expect } from 'vitest'
import { normalizeInput } from '../../../src/consumer/assignors/common.js'
import type { StickyBuild } from '../../../src/consumer/assignors/sticky/constrained.js'
import {
  cooperativeMemberData,
  encodeCooperativeUserData,
  encodeStickyUserData,
  type MemberData,
  stickyMemberData,
} from '../../../src/consumer/assignors/sticky/member-data.js'
import { assignSticky } from '../../../src/consumer/assignors/sticky/sticky-core.js'
import type {
  GroupAssignment,
  MemberSubscription,
  PartitionAssignor,
  TopicPartition,
} from '../../../src/consumer/assignors/types.js'
import { keys, verifyValidityAndBalance } from './helpers.js'

/** Kafka's test field `generationId`. */
export const GENERATION = 1

/** One sticky assignor under test, with Kafka's subscription builders for it. */
export interface StickyKind {
  readonly assignor: PartitionAssignor
  readonly memberData: (s: MemberSubscription) => MemberData
  /** ConsumerProtocolSubscription v0 (user data only), or null where unsupported. */
  readonly v0: (topics: string[], owned: TopicPartition[], gen: number) => MemberSubscription | null
  /** v1: owned partitions, no generation field. */
  readonly v1: (topics: string[], owned: TopicPartition[], gen: number) => MemberSubscription
  /** v2 and above: owned partitions and generation. */
  readonly v2: (topics: string[], owned: TopicPartition[], gen: number) => MemberSubscription
  /** Whether an assignment must be settled through follow-up rebalances (cooperative). */
  readonly cooperative: boolean
}

/** The `sticky` assignor's subscriptions, as Kafka's StickyAssignorTest builds them. */
export function stickyKind(assignor: PartitionAssignor): StickyKind {
  const userData = (owned: TopicPartition[], gen: number) => encodeStickyUserData(owned, gen)
  return {
    assignor,
    memberData: stickyMemberData,
    v0: (topics, owned, gen) => ({ topics, userData: userData(owned, gen) }),
    v1: (topics, owned, gen) => ({
      topics,
      userData: userData(owned, gen),
      ownedPartitions: owned,
    }),
    v2: (topics, owned, gen) => ({
      topics,
      userData: userData(owned, gen),
      ownedPartitions: owned,
      generationId: gen,
    }),
    cooperative: false,
  }
}

/** The `cooperative-sticky` assignor's subscriptions, as CooperativeStickyAssignorTest builds them. */
export function cooperativeKind(assignor: PartitionAssignor): StickyKind {
  return {
    assignor,
    memberData: cooperativeMemberData,
    v0: () => null,
    v1: (topics, owned, gen) => ({
      topics,
      userData: encodeCooperativeUserData(gen),
      ownedPartitions: owned,
    }),
    v2: (topics, owned, gen) => ({
      topics,
      userData: encodeCooperativeUserData(-1),
      ownedPartitions: owned,
      generationId: gen,
    }),
    cooperative: true,
  }
}

/** The raw build (with Kafka's `partitionsTransferringOwnership` and `isSticky`). */
export function build(
  kind: StickyKind,
  c: ReadonlyMap<string, number>,
  s: ReadonlyMap<string, MemberSubscription>,
): StickyBuild {
  return assignSticky(normalizeInput(c, s), kind.memberData)
}

/**
 * Kafka's `verifyValidityAndBalance`; for the cooperative assignor first settle: while the
 * assignment revokes partitions, rebalance again with the now-owned partitions (at most 4 times),
 * replacing `assignment`'s content and `subscriptions`' entries, as CooperativeStickyAssignorTest
 * does.
 */
export function settleAndVerify(
  kind: StickyKind,
  c: ReadonlyMap<string, number>,
  subscriptions: Map<string, MemberSubscription>,
  assignment: GroupAssignment,
): void {
  let rebalances = 0
  while (kind.cooperative && revokes(subscriptions, assignment)) {
    for (const [member, partitions] of assignment) {
      subscriptions.set(
        member,
        kind.v2([...subscriptions.get(member)!.topics], partitions, GENERATION),
      )
    }
    const next = kind.assignor.assign(c, subscriptions)
    assignment.clear()
    for (const [m, l] of next) assignment.set(m, l)
    expect(++rebalances).toBeLessThanOrEqual(4)
  }
  verifyValidityAndBalance(subscriptions, assignment)
}

/** Kafka's `verifyCooperativeValidity`: nothing added that is revoked; whether any is revoked. */
export function revokes(
  subscriptions: ReadonlyMap<string, MemberSubscription>,
  assignment: GroupAssignment,
): boolean {
  const added = new Set<string>()
  const revoked = new Set<string>()
  for (const [member, partitions] of assignment) {
    const owned = keys(subscriptions.get(member)!.ownedPartitions ?? [])
    const mine = keys(partitions)
    for (const k of mine) if (!owned.includes(k)) added.add(k)
    for (const k of owned) if (!mine.includes(k)) revoked.add(k)
  }
  for (const k of added)
    expect(revoked.has(k), `${k} revoked and assigned in one round`).toBe(false)
  return revoked.size > 0
}

/** A small seeded generator (tests replace Kafka's unseeded `Random` with it). */
export function seeded(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return Math.floor((s / 2 ** 32) * n)
  }
}

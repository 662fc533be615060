/**
 * The sticky assignment both sticky assignors share (Kafka's `AbstractStickyAssignor`): resolve
 * previous ownership, then run the constrained builder when all members subscribe to the same
 * topics and the general one otherwise.
 */

import type { NormalizedInput } from '../common.js'
import type { MemberSubscription } from '../types.js'
import { buildConstrained, type StickyBuild } from './constrained.js'
import { buildGeneral } from './general.js'
import type { MemberData } from './member-data.js'
import { resolveOwnership } from './ownership.js'

/**
 * Run the sticky assignment.
 *
 * @param input - the normalised input
 * @param memberDataOf - how the assignor reads a member's previous ownership
 */
export function assignSticky(
  input: NormalizedInput,
  memberDataOf: (s: MemberSubscription) => MemberData,
): StickyBuild {
  if (input.members.length === 0)
    return { assignment: new Map(), transferring: new Map(), sticky: true }
  const ownership = resolveOwnership(input, memberDataOf)
  return ownership.equalSubscriptions
    ? buildConstrained(input.partitionsPerTopic, input.hashOrder, ownership)
    : buildGeneral(input, ownership)
}

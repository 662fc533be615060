/**
 * The sticky assignor (Kafka's `StickyAssignor`, protocol name `sticky`).
 */

import { normalizeInput, sortedAssignment } from '../common.js'
import type { PartitionAssignor } from '../types.js'
import { encodeStickyUserData, stickyMemberData } from './member-data.js'
import { assignSticky } from './sticky-core.js'

/**
 * Kafka's `sticky` assignor, for the eager protocol. First it balances: every member's count is
 * within one of every other's among members that could take each other's partitions (exactly
 * so when all subscribe to the same topics). Then it sticks: as many partitions as possible
 * stay with the member that had them.
 *
 * Each member sends its last assignment and generation as user data (StickyAssignorUserDataV1,
 * see {@link PartitionAssignor.subscriptionUserData}); the owned partitions of the subscription
 * are not read. When two members claim a partition, the claim of the higher generation wins; two
 * claims of one generation both lose it.
 */
export const stickyAssignor: PartitionAssignor = {
  name: 'sticky',
  supportedProtocols: ['eager'],
  subscriptionUserData(state) {
    if (state.assignment === null) return null
    return encodeStickyUserData(state.assignment, state.generationId)
  },
  assign(partitionsPerTopic, subscriptions) {
    const input = normalizeInput(partitionsPerTopic, subscriptions)
    return sortedAssignment(input.members, assignSticky(input, stickyMemberData).assignment)
  },
}

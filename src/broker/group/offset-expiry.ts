/**
 * Expiry of committed offsets (Kafka's `GroupMetadataManager.cleanupGroupMetadata` and
 * `GroupMetadata.removeExpiredOffsets`, KIP-211), run every
 * `offsets.retention.check.interval.ms` for the groups this broker coordinates:
 *
 * - a group with a protocol that is **Empty** loses all its offsets once
 *   `offsets.retention.minutes` have passed since it became Empty;
 * - a **Stable consumer group** loses, after the retention since their last commit, the
 *   offsets of topics none of its members subscribes to any more;
 * - a **standalone** consumer's group (commits without group management, no protocol) loses
 *   each offset after the retention since its last commit;
 * - any other group keeps its offsets; an offset with a commit in flight is never expired.
 *
 * Expired offsets get tombstones in `__consumer_offsets`; an Empty group left without offsets
 * becomes Dead and gets a tombstone of its own, as in Kafka.
 */
import type { RecordInput } from '../../log/record-types.js'
import { decodeSubscription } from '../protocol/consumer-protocol.js'
import type { GroupMetadata } from './group.js'
import { encodeGroupKey, encodeOffsetKey } from './schemas.js'

/** The protocol type of Kafka's consumers. */
const CONSUMER_PROTOCOL_TYPE = 'consumer'

/** A committed offset of a group as the map holds it. */
type Committed = GroupMetadata['offsets'] extends Map<string, infer V> ? V : never

/**
 * Remove the expired offsets of `group` from memory (and the group itself, made Dead, when
 * it is Empty and has none left); return the tombstones to append.
 */
export function expireOffsets(
  group: GroupMetadata,
  nowMs: number,
  retentionMs: number,
): RecordInput[] {
  const expired = expiredOffsets(group, nowMs, retentionMs)
  const tombstones: RecordInput[] = []
  for (const [key, o] of expired) {
    group.offsets.delete(key)
    tombstones.push({ key: encodeOffsetKey(group.groupId, o.topic, o.partition), value: null })
  }
  if (group.is('Empty') && group.offsets.size === 0 && group.pendingOffsetCommits.size === 0) {
    group.transitionTo('Dead', nowMs)
    tombstones.push({ key: encodeGroupKey(group.groupId), value: null })
  }
  return tombstones
}

/** The offsets of `group` that have expired at `nowMs`, by map key (Kafka's rules above). */
export function expiredOffsets(
  group: GroupMetadata,
  nowMs: number,
  retentionMs: number,
): [string, Committed][] {
  const pick = (since: (o: Committed) => number, keepTopics: ReadonlySet<string> = new Set()) =>
    [...group.offsets].filter(
      ([key, o]) =>
        !keepTopics.has(o.topic) &&
        !group.pendingOffsetCommits.has(key) &&
        nowMs - since(o) >= retentionMs,
    )
  if (group.protocolType === undefined) return pick((o) => o.commitTimestamp)
  if (group.is('Empty')) return pick(() => group.currentStateTimestamp)
  if (group.protocolType === CONSUMER_PROTOCOL_TYPE && group.is('Stable')) {
    const subscribed = subscribedTopics(group)
    if (subscribed !== undefined) return pick((o) => o.commitTimestamp, subscribed)
  }
  return []
}

/**
 * The topics the members of a consumer group subscribe to, read from their subscriptions in
 * the current protocol; undefined when one cannot be read, as Kafka then expires nothing.
 */
export function subscribedTopics(group: GroupMetadata): Set<string> | undefined {
  const protocol = group.protocolName
  if (protocol === undefined || group.size === 0) return undefined
  const topics = new Set<string>()
  for (const member of group.members.values()) {
    const names = subscriptionTopics(member.metadata(protocol))
    if (names === undefined) return undefined
    for (const t of names) topics.add(t)
  }
  return topics
}

function subscriptionTopics(bytes: Uint8Array): readonly string[] | undefined {
  try {
    return decodeSubscription(bytes).topics
  } catch {
    return undefined
  }
}

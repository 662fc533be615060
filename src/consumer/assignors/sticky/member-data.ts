/**
 * What the sticky assignors learn from a member's subscription: the partitions it owned and the
 * generation they belong to (Kafka's `AbstractStickyAssignor.MemberData`), and the user data
 * they carry it in.
 *
 * - `sticky` (eager) sends its last assignment and generation as StickyAssignorUserDataV1:
 *   `previous_assignment [](topic string, partitions []int32)`, `generation int32` (V0 lacks the
 *   generation). It reads only the user data, never the subscription's owned partitions.
 * - `cooperative-sticky` sends the generation alone (`generation int32`) and takes the owned
 *   partitions from the subscription; from ConsumerProtocolSubscription v2 on, the generation
 *   too.
 */

import { ByteReader, ByteWriter, SchemaError } from '../../../broker/protocol/bytes.js'
import { javaHashOrder } from '../java-hash.js'
import type { MemberSubscription, TopicPartition } from '../types.js'

/** Kafka's `DEFAULT_GENERATION`. */
export const DEFAULT_GENERATION = -1

/** A member's previously owned partitions and their generation. */
export interface MemberData {
  /** The partitions the member says it owned, in the order it listed them. */
  readonly partitions: readonly TopicPartition[]
  /** Their generation, or undefined when the member did not say. */
  readonly generation: number | undefined
}

/**
 * Encode StickyAssignorUserDataV1: the partitions grouped by topic (topics in the order of
 * Java's `HashMap`, as Kafka's `groupPartitionsByTopic` leaves them), then the generation.
 *
 * @param partitions - the member's last assignment
 * @param generation - the generation of that assignment
 */
export function encodeStickyUserData(
  partitions: readonly TopicPartition[],
  generation: number,
): Buffer {
  const byTopic = new Map<string, number[]>()
  for (const p of partitions) {
    const list = byTopic.get(p.topic)
    if (list) list.push(p.partition)
    else byTopic.set(p.topic, [p.partition])
  }
  const w = new ByteWriter()
  w.array(javaHashOrder(byTopic.keys()), (w, topic) => {
    w.string(topic)
    w.array(byTopic.get(topic)!, (w, p) => w.int32(p))
  })
  return w.int32(generation).toBuffer()
}

/**
 * Decode StickyAssignorUserData, V1 or else V0, as Kafka's `StickyAssignor` does: bytes neither
 * schema reads give no partitions and generation -1 (they are ignored, never an error); trailing
 * bytes are ignored.
 */
export function decodeStickyUserData(bytes: Uint8Array): MemberData {
  for (const withGeneration of [true, false]) {
    try {
      const r = new ByteReader(bytes)
      const partitions: TopicPartition[] = []
      r.array((r) => {
        const topic = r.string()
        for (const partition of r.array((r) => r.int32())) partitions.push({ topic, partition })
      })
      return { partitions, generation: withGeneration ? r.int32() : undefined }
    } catch (err) {
      if (!(err instanceof SchemaError)) throw err
    }
  }
  return { partitions: [], generation: DEFAULT_GENERATION }
}

/** Encode CooperativeStickyAssignorUserDataV0: the generation as an int32. */
export function encodeCooperativeUserData(generation: number): Buffer {
  return new ByteWriter().int32(generation).toBuffer()
}

/**
 * The `sticky` assignor's view of a member: the user data alone. No user data (or none left)
 * is no previous assignment and no generation.
 */
export function stickyMemberData(subscription: MemberSubscription): MemberData {
  const userData = subscription.userData
  if (!userData || userData.length === 0) return { partitions: [], generation: undefined }
  return decodeStickyUserData(userData)
}

/**
 * The `cooperative-sticky` assignor's view of a member: owned partitions from the subscription;
 * the generation from the subscription (v2+) or else from the user data (-1 when it does not
 * read, none when there is no user data).
 */
export function cooperativeMemberData(subscription: MemberSubscription): MemberData {
  const owned = subscription.ownedPartitions ?? []
  const gen = subscription.generationId
  if (gen !== undefined && gen !== null && gen >= 0) return { partitions: owned, generation: gen }
  const userData = subscription.userData
  if (userData === undefined || userData === null)
    return { partitions: owned, generation: undefined }
  try {
    return { partitions: owned, generation: new ByteReader(userData).int32() }
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err
    return { partitions: owned, generation: DEFAULT_GENERATION }
  }
}

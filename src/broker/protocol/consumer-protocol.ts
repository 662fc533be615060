/**
 * Kafka's consumer protocol: the bytes a consumer puts in JoinGroup's protocol metadata
 * (ConsumerProtocolSubscription) and the group leader puts in SyncGroup's assignments
 * (ConsumerProtocolAssignment), as `ConsumerProtocol` in Kafka's Java client writes and reads
 * them, so members of other clients (Java, librdkafka, kafkajs) share groups with logkeeper's.
 *
 * Both start with an int16 version and use Kafka's non-flexible encoding: big-endian integers,
 * int16-length strings, int32-length arrays and bytes (-1 for null).
 *
 * - Subscription v0: `Topics []string`, `UserData bytes?`; v1 adds `OwnedPartitions
 *   [](Topic string, Partitions []int32)`; v2 adds `GenerationId int32`; v3 adds `RackId string?`.
 * - Assignment v0–v3 (all the same fields): `AssignedPartitions [](Topic, Partitions []int32)`,
 *   `UserData bytes?`.
 *
 * A version above 3 is read as version 3 (newer versions only append fields, and bytes after the
 * known fields are ignored), as Kafka reads it.
 */

import { InvalidArgumentError, KafkaError } from '../../common/errors.js'
import type { TopicPartition } from '../../storage/log-store.js'
import { ByteReader, ByteWriter, SchemaError } from './bytes.js'

/** By topic (UTF-16 order, as Java compares strings), then partition. */
function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition
}

/** The JoinGroup protocol type of consumer groups. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer'

/** The highest ConsumerProtocolSubscription / ConsumerProtocolAssignment version known. */
export const CONSUMER_PROTOCOL_VERSION = 3

/** A decoded ConsumerProtocolSubscription (Kafka's `Subscription` without group instance id). */
export interface ConsumerProtocolSubscription {
  /** The version in the bytes (a version above 3 was read as 3). */
  readonly version: number
  /** The subscribed topics. */
  readonly topics: string[]
  /** The assignor's user data, or null. */
  readonly userData: Buffer | null
  /** The partitions the member owns (v1+; empty before). */
  readonly ownedPartitions: TopicPartition[]
  /** The generation of the owned partitions (v2+), or -1 when absent. */
  readonly generationId: number
  /** The member's rack (v3+), or null when absent or empty. */
  readonly rackId: string | null
}

/** What {@link encodeSubscription} writes. */
export interface SubscriptionToEncode {
  /** The subscribed topics (written sorted, as Kafka writes them). */
  readonly topics: readonly string[]
  /** The assignor's user data; absent or null writes null. */
  readonly userData?: Uint8Array | null
  /** Owned partitions (v1+), written sorted by topic then partition and grouped by topic. */
  readonly ownedPartitions?: readonly TopicPartition[]
  /** The generation of the owned partitions (v2+); absent writes -1. */
  readonly generationId?: number
  /** The member's rack (v3+); absent writes null. */
  readonly rackId?: string | null
}

/** A decoded ConsumerProtocolAssignment (Kafka's `Assignment`). */
export interface ConsumerProtocolAssignment {
  /** The version in the bytes (a version above 3 was read as 3). */
  readonly version: number
  /** The assigned partitions, topic by topic in the order of the bytes. */
  readonly partitions: TopicPartition[]
  /** The assignor's user data, or null. */
  readonly userData: Buffer | null
}

/** What {@link encodeAssignment} writes. */
export interface AssignmentToEncode {
  /** The assigned partitions, grouped by topic in order of first appearance. */
  readonly partitions: readonly TopicPartition[]
  /** The assignor's user data; absent or null writes null. */
  readonly userData?: Uint8Array | null
}

function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > CONSUMER_PROTOCOL_VERSION) {
    throw new InvalidArgumentError(`Consumer protocol version must be 0 to 3, not ${version}.`)
  }
}

/**
 * Encode a subscription as ConsumerProtocolSubscription bytes (JoinGroup protocol metadata).
 *
 * @param subscription - topics, user data, owned partitions, generation, rack
 * @param version - 0 to 3; Kafka's Java client writes 3, kafkajs 0 (fields a version lacks are
 *   left out)
 */
export function encodeSubscription(
  subscription: SubscriptionToEncode,
  version: number = CONSUMER_PROTOCOL_VERSION,
): Buffer {
  checkVersion(version)
  const w = new ByteWriter().int16(version)
  w.array([...subscription.topics].sort(), (w, t) => w.string(t))
  w.bytes(subscription.userData ?? null)
  if (version >= 1) {
    const owned = [...(subscription.ownedPartitions ?? [])].sort(compareTopicPartitions)
    writeTopicPartitions(w, owned)
  }
  if (version >= 2) w.int32(subscription.generationId ?? -1)
  if (version >= 3) w.string(subscription.rackId ?? null)
  return w.toBuffer()
}

/**
 * Decode ConsumerProtocolSubscription bytes.
 *
 * @throws KafkaError `INCONSISTENT_GROUP_PROTOCOL` on malformed bytes (truncated, a negative
 *   length, a negative version)
 */
export function decodeSubscription(bytes: Uint8Array): ConsumerProtocolSubscription {
  return decoding('subscription', bytes, (r, version) => {
    const topics = r.array((r) => r.string())
    const userData = r.nullableBytes()
    const ownedPartitions = version >= 1 ? readTopicPartitions(r) : []
    const generationId = version >= 2 ? r.int32() : -1
    const rackId = version >= 3 ? r.string(true) : null
    return { version, topics, userData, ownedPartitions, generationId, rackId: rackId || null }
  })
}

/**
 * Encode an assignment as ConsumerProtocolAssignment bytes (a SyncGroup assignment).
 *
 * @param assignment - the partitions and user data
 * @param version - 0 to 3 (the fields are the same in all; Kafka's Java client writes 3)
 */
export function encodeAssignment(
  assignment: AssignmentToEncode,
  version: number = CONSUMER_PROTOCOL_VERSION,
): Buffer {
  checkVersion(version)
  const w = new ByteWriter().int16(version)
  writeTopicPartitions(w, assignment.partitions)
  w.bytes(assignment.userData ?? null)
  return w.toBuffer()
}

/**
 * Decode ConsumerProtocolAssignment bytes.
 *
 * @throws KafkaError `INCONSISTENT_GROUP_PROTOCOL` on malformed bytes
 */
export function decodeAssignment(bytes: Uint8Array): ConsumerProtocolAssignment {
  return decoding('assignment', bytes, (r, version) => {
    const partitions = readTopicPartitions(r)
    const userData = r.nullableBytes()
    return { version, partitions, userData }
  })
}

function decoding<T>(what: string, bytes: Uint8Array, read: (r: ByteReader, v: number) => T): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`Consumer protocol ${what} must be a Uint8Array.`)
  }
  try {
    const r = new ByteReader(bytes)
    const version = r.int16()
    if (version < 0) throw new SchemaError(`Unsupported ${what} version: ${version}.`)
    return read(r, Math.min(version, CONSUMER_PROTOCOL_VERSION))
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err
    throw new KafkaError(
      'INCONSISTENT_GROUP_PROTOCOL',
      `Malformed consumer protocol ${what}: ${err.message}`,
      { cause: err },
    )
  }
}

function writeTopicPartitions(w: ByteWriter, partitions: readonly TopicPartition[]): void {
  const byTopic = new Map<string, number[]>()
  for (const p of partitions) {
    const list = byTopic.get(p.topic)
    if (list) list.push(p.partition)
    else byTopic.set(p.topic, [p.partition])
  }
  w.array([...byTopic], (w, [topic, list]) => {
    w.string(topic)
    w.array(list, (w, p) => w.int32(p))
  })
}

function readTopicPartitions(r: ByteReader): TopicPartition[] {
  const out: TopicPartition[] = []
  r.array((r) => {
    const topic = r.string()
    for (const partition of r.array((r) => r.int32())) out.push({ topic, partition })
  })
  return out
}

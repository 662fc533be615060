/**
 * The small znodes: ISR change notifications (`/isr_change_notification/isr_change_<seq>`),
 * the latest producer-id block (`/latest_producer_id_block`) and the cluster id (`/cluster/id`).
 */
import type { Random } from '../../common/random.js'
import {
  checkVersion,
  decimalStringField,
  encodeJson,
  intField,
  malformed,
  parseObject,
  stringField,
} from './json.js'

/** A partition named in an ISR change notification. */
export interface PartitionRef {
  /** The topic. */
  readonly topic: string
  /** The partition index. */
  readonly partition: number
}

/** An ISR change notification's data. */
export function encodeIsrChange(partitions: readonly PartitionRef[]): Buffer {
  return encodeJson({
    version: 1,
    partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
  })
}

/** The partitions an ISR change notification names. */
export function decodeIsrChange(path: string, data: Uint8Array | null): PartitionRef[] {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1])
  if (!Array.isArray(obj.partitions)) throw malformed(path, '"partitions" must be an array')
  return obj.partitions.map((p: unknown) => {
    if (typeof p !== 'object' || p === null) throw malformed(path, 'a partition must be an object')
    const o = p as Record<string, unknown>
    return { topic: stringField(path, o, 'topic'), partition: intField(path, o, 'partition') }
  })
}

/** Producer ids a broker claims at once (Kafka's `PidBlockSize`). */
export const PRODUCER_ID_BLOCK_SIZE = 1000

/** A block of producer ids claimed by one broker. */
export interface ProducerIdBlock {
  /** The broker that claimed it. */
  readonly brokerId: number
  /** The first id. */
  readonly start: number
  /** The last id (inclusive). */
  readonly end: number
}

/** A producer-id block's data. */
export function encodeProducerIdBlock(block: ProducerIdBlock): Buffer {
  return encodeJson({
    version: 1,
    broker: block.brokerId,
    block_start: String(block.start),
    block_end: String(block.end),
  })
}

/** Read a producer-id block. */
export function decodeProducerIdBlock(path: string, data: Uint8Array | null): ProducerIdBlock {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1])
  const start = decimalStringField(path, obj, 'block_start')
  const end = decimalStringField(path, obj, 'block_end')
  if (start < 0 || end < start) throw malformed(path, 'bad block bounds')
  return { brokerId: intField(path, obj, 'broker'), start, end }
}

/** A new cluster id: a random UUID as 22 characters of URL-safe base64 (Kafka's form). */
export function newClusterId(random: Random): string {
  return Buffer.from(random.bytes(16)).toString('base64url')
}

/** The cluster id node's data. */
export function encodeClusterId(id: string): Buffer {
  return encodeJson({ version: '1', id })
}

/** The cluster id from its node's data. */
export function decodeClusterId(path: string, data: Uint8Array | null): string {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1])
  return stringField(path, obj, 'id')
}

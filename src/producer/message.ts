/**
 * What users hand to `send` and get back, in kafkajs's shapes, and the check that turns each
 * message into a record ready for a batch (bytes resolved, size known) before anything is
 * queued: a bad message fails its whole send and nothing of that send is written.
 */
import { InvalidArgumentError } from '../common/errors.js'
import { describe, toBuffer } from '../common/validate.js'
import { BATCH_HEADER_BYTES } from '../log/batch-header.js'
import type { CheckedHeader } from '../log/record-encoder.js'
import { sizeOfVarint } from '../log/varint.js'
import type { AcksOption } from './options.js'

/** Bytes as a message takes them: a string (UTF-8), a Buffer or a Uint8Array. */
export type MessageBytes = string | Buffer | Uint8Array

/** Message headers: one value per key, or several (a list) when the key repeats. */
export type MessageHeaders = Readonly<
  Record<string, MessageBytes | readonly MessageBytes[] | null | undefined>
>

/** One message to produce. */
export interface Message {
  /** The key (decides the partition with the default partitioner), or null. */
  readonly key?: MessageBytes | null
  /** The value, or null (a tombstone on a compacted topic). */
  readonly value: MessageBytes | null
  /** Record headers. */
  readonly headers?: MessageHeaders
  /** An explicit partition (range-checked); the partitioner is not asked. */
  readonly partition?: number
  /** CreateTime in ms since the epoch (number or decimal string, as kafkajs); default: now. */
  readonly timestamp?: number | string
}

/** The argument of `Producer.send`. */
export interface ProducerRecord {
  /** The topic. */
  readonly topic: string
  /** The messages, produced in order per partition. */
  readonly messages: readonly Message[]
  /** acks for this send (default: the producer's); an idempotent producer takes only -1 / 'all'. */
  readonly acks?: AcksOption
  /** How long the leader waits for the in-sync replicas (default: `requestTimeoutMs`). */
  readonly timeoutMs?: number
}

/** One topic of `Producer.sendBatch`. */
export interface TopicMessages {
  /** The topic. */
  readonly topic: string
  /** Its messages. */
  readonly messages: readonly Message[]
}

/** The argument of `Producer.sendBatch`. */
export interface ProducerBatchRecord {
  /** Messages per topic. */
  readonly topicMessages: readonly TopicMessages[]
  /** acks for this send (default: the producer's). */
  readonly acks?: AcksOption
  /** How long the leader waits for the in-sync replicas (default: `requestTimeoutMs`). */
  readonly timeoutMs?: number
}

/** What a send wrote to one partition (kafkajs's shape: offsets as decimal strings). */
export interface RecordMetadata {
  /** The topic. */
  readonly topicName: string
  /** The partition. */
  readonly partition: number
  /** Always 0: a failed partition rejects the send instead. */
  readonly errorCode: number
  /** Offset of this send's first record in the partition ('-1' with acks=0). */
  readonly baseOffset: string
  /** The append time with LogAppendTime topics, else '-1'. */
  readonly logAppendTime: string
  /** The partition's log start offset after the append ('-1' with acks=0). */
  readonly logStartOffset: string
}

/** A message checked and converted, ready to join a batch. */
export interface PreparedRecord {
  /** The key bytes. */
  readonly key: Buffer | null
  /** The value bytes. */
  readonly value: Buffer | null
  /** Headers as a list (the encoder's checked form), or undefined. */
  readonly headers: CheckedHeader[] | undefined
  /** CreateTime. */
  readonly timestamp: number
  /** An upper bound of the record's encoded size in a batch. */
  readonly sizeBytes: number
  /** The explicit partition, or -1. */
  readonly partition: number
}

/** Upper bound of a record's fixed overhead: attributes, timestamp and offset deltas. */
const RECORD_FIXED_BYTES = 1 + 10 + 5

function bytesSize(b: Buffer | null): number {
  return b === null ? 1 : sizeOfVarint(b.length) + b.length
}

const NO_HEADERS = Object.freeze({ list: undefined, size: 1 })

function headerList(
  headers: unknown,
  what: string,
): { list: CheckedHeader[] | undefined; size: number } {
  if (headers === undefined || headers === null) return { list: undefined, size: 1 }
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw new InvalidArgumentError(`${what} must be an object, got ${describe(headers)}`)
  }
  const list: CheckedHeader[] = []
  let size = 0
  const add = (key: string, value: unknown, w: string) => {
    const bytes = toBuffer(value, w)
    const k = Buffer.byteLength(key)
    size += sizeOfVarint(k) + k + bytesSize(bytes)
    list.push({ key, value: bytes })
  }
  const record = headers as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const value = record[key]
    if (value === undefined) continue
    if (!Array.isArray(value)) add(key, value, `${what}.${key}`)
    else for (let i = 0; i < value.length; i++) add(key, value[i], `${what}.${key}[${i}]`)
  }
  return { list, size: size + sizeOfVarint(list.length) }
}

function toTimestamp(value: unknown, now: number, what: string): number {
  if (value === undefined || value === null) return now
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < -1) {
    throw new InvalidArgumentError(`${what} must be ms since the epoch, got ${describe(value)}`)
  }
  return n
}

function toPartition(value: unknown, what: string): number {
  if (value === undefined || value === null) return -1
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${what} must be a partition index ≥ 0, got ${describe(value)}`)
  }
  return value
}

/** Check and convert one message (`INVALID_ARGUMENT` naming the field on any fault). */
export function prepareMessage(message: unknown, what: string, now: number): PreparedRecord {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidArgumentError(`${what} must be an object, got ${describe(message)}`)
  }
  const m = message as Message
  const key = m.key === undefined || m.key === null ? null : toBuffer(m.key, `${what}.key`)
  const value = toBuffer(m.value, `${what}.value`)
  const headers = m.headers === undefined ? NO_HEADERS : headerList(m.headers, `${what}.headers`)
  const body = RECORD_FIXED_BYTES + bytesSize(key) + bytesSize(value) + headers.size
  return {
    key,
    value,
    headers: headers.list,
    timestamp: m.timestamp === undefined ? now : toTimestamp(m.timestamp, now, `${what}.timestamp`),
    sizeBytes: sizeOfVarint(body) + body,
    partition: m.partition === undefined ? -1 : toPartition(m.partition, `${what}.partition`),
  }
}

/** The size of a batch holding only `record`: what `max.request.size` and `max.message.bytes` bound. */
export function singleRecordBatchSize(record: PreparedRecord): number {
  return BATCH_HEADER_BYTES + record.sizeBytes
}

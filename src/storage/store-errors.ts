/**
 * The errors the stores throw, in one place so that their codes stay consistent: bad input is
 * `INVALID_ARGUMENT` (nothing changed), a call after `close()` is `CLOSED`, a failed read or
 * write is `KAFKA_STORAGE_ERROR` (Kafka takes such a log directory offline), and a directory
 * that cannot be used at all is `STORAGE_UNAVAILABLE`.
 */
import { fromCode, type LogkeeperError } from '../common/errors.js'
import type { TopicPartition } from './log-store.js'

/** Bad input: a coded `INVALID_ARGUMENT` error. */
export function invalid(message: string): LogkeeperError {
  return fromCode('INVALID_ARGUMENT', message)
}

/** A call on a closed store. */
export function closedError(what: string): LogkeeperError {
  return fromCode('CLOSED', `${what} is closed`)
}

/** An I/O failure while reading or writing a store. */
export function storageError(message: string, cause?: unknown): LogkeeperError {
  return fromCode('KAFKA_STORAGE_ERROR', message, { cause })
}

/** A directory or database that cannot be used. */
export function unavailable(message: string, cause?: unknown): LogkeeperError {
  return fromCode('STORAGE_UNAVAILABLE', message, { cause })
}

/** `topic-partition`, as in Kafka's directory names and messages. */
export function tpName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`
}

/** Legal topic names: Kafka's characters, and never `.` or `..` (they name directories). */
const TOPIC_PATTERN = /^[a-zA-Z0-9._-]{1,249}$/

/** Check a topic-partition before it names a directory or a key; returns a plain copy. */
export function checkTopicPartition(tp: TopicPartition): TopicPartition {
  if (typeof tp !== 'object' || tp === null) throw invalid('topic-partition must be an object')
  const { topic, partition } = tp
  if (typeof topic !== 'string' || !TOPIC_PATTERN.test(topic) || topic === '.' || topic === '..') {
    throw invalid(`topic must be 1-249 characters of [a-zA-Z0-9._-], got ${JSON.stringify(topic)}`)
  }
  if (!Number.isSafeInteger(partition) || partition < 0 || partition > 0x7fffffff) {
    throw invalid(`partition must be a non-negative int32, got ${String(partition)}`)
  }
  return { topic, partition }
}

/** Check a non-negative safe integer argument (offset, position, length). */
export function checkNonNegative(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${what} must be a non-negative safe integer, got ${String(value)}`)
  }
  return value
}

/**
 * Normalising what users give the encoder: bytes, headers, timestamps, integers. Every check
 * throws `INVALID_ARGUMENT` naming the field, before anything is written.
 */
import { InvalidArgumentError } from '../common/errors.js'
import { describe, toBuffer } from '../common/validate.js'
import type { HeadersInput, RecordInput } from './record-types.js'

/** A record ready to be written: bytes resolved, timestamp and offset delta fixed. */
export interface NormalRecord {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly NormalHeader[]
  readonly timestamp: number
  readonly offsetDelta: number
}

/** A header ready to be written. */
export interface NormalHeader {
  readonly key: Buffer
  readonly value: Buffer | null
}

const NO_HEADERS: readonly NormalHeader[] = []

/** An integer in [min, max] from a number (or bigint where allowed), else `INVALID_ARGUMENT`. */
export function toIntIn(value: unknown, min: number, max: number, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(
      `${what} must be an integer in [${min}, ${max}], got ${describe(value)}`,
    )
  }
  return n
}

/** A timestamp in ms: any safe integer (-1 is Kafka's "no timestamp"). */
export function toTimestamp(value: unknown, what: string): number {
  return toIntIn(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, what)
}

function toHeaderKey(key: unknown, what: string): Buffer {
  if (typeof key !== 'string') {
    throw new InvalidArgumentError(`${what} key must be a string, got ${describe(key)}`)
  }
  return Buffer.from(key, 'utf8')
}

function toHeaders(headers: HeadersInput | undefined, what: string): readonly NormalHeader[] {
  if (headers === undefined || headers === null) return NO_HEADERS
  if (Array.isArray(headers)) {
    return headers.map((h: unknown, i) => {
      if (typeof h !== 'object' || h === null) {
        throw new InvalidArgumentError(`${what}[${i}] must be { key, value }, got ${describe(h)}`)
      }
      const { key, value } = h as { key: unknown; value: unknown }
      return {
        key: toHeaderKey(key, `${what}[${i}]`),
        value: toBuffer(value, `${what}[${i}].value`),
      }
    })
  }
  if (typeof headers !== 'object') {
    throw new InvalidArgumentError(
      `${what} must be an object or an array, got ${describe(headers)}`,
    )
  }
  const record = headers as Readonly<Record<string, unknown>>
  return Object.keys(record).map((key) => ({
    key: Buffer.from(key, 'utf8'),
    value: toBuffer(record[key], `${what}.${key}`),
  }))
}

/** Normalise one record; `index` is its default offset delta, `timestamp` its default time. */
export function normaliseRecord(input: unknown, index: number, timestamp: number): NormalRecord {
  const what = `records[${index}]`
  if (typeof input !== 'object' || input === null) {
    throw new InvalidArgumentError(`${what} must be an object, got ${describe(input)}`)
  }
  const r = input as RecordInput
  return {
    key: toBuffer(r.key, `${what}.key`),
    value: toBuffer(r.value, `${what}.value`),
    headers: toHeaders(r.headers, `${what}.headers`),
    timestamp:
      r.timestamp === undefined ? timestamp : toTimestamp(r.timestamp, `${what}.timestamp`),
    offsetDelta:
      r.offsetDelta === undefined
        ? index
        : toIntIn(r.offsetDelta, 0, 0x7fff_ffff, `${what}.offsetDelta`),
  }
}

/**
 * Reading Kafka's JSON znodes strictly: data that does not have the shape Kafka writes is a
 * `DATA_INCONSISTENCY` error naming the path, never a half-read value.
 */
import { fromCode, type LogkeeperError } from '../../common/errors.js'

/** A parsed JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>

/** The `DATA_INCONSISTENCY` error for malformed data at `path`. */
export function malformed(path: string, why: string): LogkeeperError {
  return fromCode('DATA_INCONSISTENCY', `malformed data at ${path}: ${why}`)
}

/** Parse znode data as a JSON object. */
export function parseObject(path: string, data: Uint8Array | null): JsonObject {
  if (data === null || data.length === 0) throw malformed(path, 'no data')
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(data).toString('utf8'))
  } catch {
    throw malformed(path, 'not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(path, 'not a JSON object')
  }
  return value as JsonObject
}

/** Encode a JSON value as znode data. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

/** An integer field. */
export function intField(path: string, obj: JsonObject, key: string): number {
  const v = obj[key]
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw malformed(path, `"${key}" must be an integer`)
  }
  return v
}

/** A string field. */
export function stringField(path: string, obj: JsonObject, key: string): string {
  const v = obj[key]
  if (typeof v !== 'string') throw malformed(path, `"${key}" must be a string`)
  return v
}

/** An integer written as a decimal string (Kafka's `timestamp`, `block_start`). */
export function decimalStringField(path: string, obj: JsonObject, key: string): number {
  const s = stringField(path, obj, key)
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw malformed(path, `"${key}" must be a decimal integer string`)
  }
  return Number(s)
}

/** An array of integers (broker ids). */
export function intArray(path: string, value: unknown, what: string): number[] {
  if (
    !Array.isArray(value) ||
    !value.every((v) => typeof v === 'number' && Number.isSafeInteger(v))
  ) {
    throw malformed(path, `${what} must be an array of integers`)
  }
  return value as number[]
}

/** An object field. */
export function objectField(path: string, obj: JsonObject, key: string): JsonObject {
  const v = obj[key]
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw malformed(path, `"${key}" must be an object`)
  }
  return v as JsonObject
}

/** Check the `version` field is one of `versions`. */
export function checkVersion(path: string, obj: JsonObject, versions: readonly number[]): number {
  const v = obj.version
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !versions.includes(n)) {
    throw malformed(path, `unsupported version ${JSON.stringify(v)}`)
  }
  return n
}

/**
 * Small argument checks shared by every layer. Each throws {@link InvalidArgumentError} (code
 * `INVALID_ARGUMENT`) with a message that names the argument, before anything is changed.
 */
import { InvalidArgumentError } from './errors.js'

/** Bytes as logkeeper accepts them from users: a string (UTF-8), a Buffer or a Uint8Array. */
export type BytesInput = string | Uint8Array

/**
 * Turn a user's key, value or header value into a Buffer (`null` stays `null`; `undefined`
 * becomes `null`). Anything else is an `INVALID_ARGUMENT` error naming `what`.
 */
export function toBuffer(value: unknown, what: string): Buffer | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (Buffer.isBuffer(value)) return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length)
  throw new InvalidArgumentError(
    `${what} must be a string, Buffer, Uint8Array or null, got ${describe(value)}`,
  )
}

/**
 * A log offset or other count from a number, bigint or decimal string: a non-negative safe
 * integer. Offsets are kept as numbers inside logkeeper: 2^53 offsets last 285 years at a
 * million records a second.
 */
export function toOffset(value: unknown, what = 'offset'): number {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'bigint') n = Number(value)
  else if (typeof value === 'string' && /^\d+$/.test(value.trim())) n = Number(value.trim())
  else
    throw new InvalidArgumentError(`${what} must be a non-negative integer, got ${describe(value)}`)
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(
      `${what} must be a non-negative safe integer, got ${describe(value)}`,
    )
  }
  return n
}

/** A non-negative integer option (sizes, counts, milliseconds). */
export function toNonNegativeInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative integer, got ${describe(value)}`)
  }
  return value
}

/** A positive integer option (sizes, counts, milliseconds). */
export function toPositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${what} must be a positive integer, got ${describe(value)}`)
  }
  return value
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string')
    return JSON.stringify(value.length > 64 ? value.slice(0, 64) + '…' : value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) {
    return String(value)
  }
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`
}

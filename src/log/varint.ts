/**
 * Zigzag varints and varlongs, as Kafka's record format writes them (protobuf's encoding:
 * seven bits a byte, low bits first, high bit set on every byte but the last; signed values
 * zigzag-mapped so small magnitudes stay short).
 *
 * Varints are 32-bit. Varlongs carry JS numbers: values within ±2^31 take an int32 fast path,
 * larger ones go through bigint, so every safe integer (|n| < 2^53) round-trips exactly. A
 * varlong that decodes outside the safe range is a `CORRUPT_MESSAGE` error (no real timestamp
 * delta is that large: JS dates end at ±8.64e15 ms).
 */
import { fromCode } from '../common/errors.js'

const INT32_MIN = -0x8000_0000
const INT32_MAX = 0x7fff_ffff

/** A read position over bytes, advanced by the read functions. */
export class ByteCursor {
  /**
   * @param bytes - the bytes to read
   * @param pos - where to start
   * @param end - where the readable region ends (exclusive)
   */
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    public end = bytes.length,
  ) {}

  /** The next byte; past `end` a `CORRUPT_MESSAGE` error. */
  byte(): number {
    if (this.pos >= this.end) throw truncated()
    return this.bytes[this.pos++] as number
  }
}

function truncated(): Error {
  return fromCode('CORRUPT_MESSAGE', 'record data ends inside a varint or field')
}

/** How many bytes the zigzag varint of the int32 `n` takes. */
export function sizeOfVarint(n: number): number {
  return sizeOfUnsigned(((n << 1) ^ (n >> 31)) >>> 0)
}

function sizeOfUnsigned(u: number): number {
  let size = 1
  while (u >= 0x80) {
    u = Math.floor(u / 128)
    size++
  }
  return size
}

/** How many bytes the zigzag varlong of the safe integer `n` takes. */
export function sizeOfVarlong(n: number): number {
  if (n >= INT32_MIN && n <= INT32_MAX) return sizeOfVarint(n)
  let u = zigzagBig(n)
  let size = 1
  while (u >= 0x80n) {
    u >>= 7n
    size++
  }
  return size
}

/** Write the zigzag varint of the int32 `n` at `pos`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, pos: number, n: number): number {
  let u = ((n << 1) ^ (n >> 31)) >>> 0
  while (u >= 0x80) {
    bytes[pos++] = (u & 0x7f) | 0x80
    u >>>= 7
  }
  bytes[pos++] = u
  return pos
}

/** Write the zigzag varlong of the safe integer `n` at `pos`; returns the position after it. */
export function writeVarlong(bytes: Uint8Array, pos: number, n: number): number {
  if (n >= INT32_MIN && n <= INT32_MAX) return writeVarint(bytes, pos, n)
  let u = zigzagBig(n)
  while (u >= 0x80n) {
    bytes[pos++] = Number(u & 0x7fn) | 0x80
    u >>= 7n
  }
  bytes[pos++] = Number(u)
  return pos
}

function zigzagBig(n: number): bigint {
  const b = BigInt(n)
  return b >= 0n ? b << 1n : (-b << 1n) - 1n
}

/** Read a zigzag varint (at most 5 bytes, an int32). */
export function readVarint(cursor: ByteCursor): number {
  let u = 0
  let shift = 0
  for (;;) {
    const b = cursor.byte()
    if (shift === 28) {
      if (b > 0x0f) throw fromCode('CORRUPT_MESSAGE', 'varint longer than 32 bits')
      u = (u | (b << 28)) >>> 0
      break
    }
    u |= (b & 0x7f) << shift
    if (b < 0x80) break
    shift += 7
  }
  return (u >>> 1) ^ -(u & 1)
}

/** Read a zigzag varlong as a number; outside the safe-integer range a `CORRUPT_MESSAGE` error. */
export function readVarlong(cursor: ByteCursor): number {
  let u = 0
  let scale = 1
  for (let i = 0; i < 4; i++) {
    const b = cursor.byte()
    u += (b & 0x7f) * scale
    if (b < 0x80) return u % 2 === 0 ? u / 2 : -(u + 1) / 2
    scale *= 128
  }
  return readVarlongBig(cursor, BigInt(u))
}

function readVarlongBig(cursor: ByteCursor, low28: bigint): number {
  let u = low28
  for (let shift = 28n; shift < 70n; shift += 7n) {
    const b = cursor.byte()
    u |= BigInt(b & 0x7f) << shift
    if (b < 0x80) {
      const n = u & 1n ? -((u + 1n) >> 1n) : u >> 1n
      if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw fromCode('CORRUPT_MESSAGE', `varlong ${n} is beyond the safe-integer range`)
      }
      return Number(n)
    }
  }
  throw fromCode('CORRUPT_MESSAGE', 'varlong longer than 64 bits')
}

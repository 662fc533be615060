/**
 * The records of `__consumer_offsets` in Kafka's own bytes (as `GroupMetadataManager` writes
 * them, big-endian, each key and value led by an int16 schema version):
 *
 * - OffsetCommitKey v1: group (string), topic (string), partition (int32).
 * - OffsetCommitValue v3: offset (int64), leaderEpoch (int32), metadata (string),
 *   commitTimestamp (int64).
 * - GroupMetadataKey v2: group (string).
 * - GroupMetadataValue v3: protocolType (string), generation (int32), protocol (nullable
 *   string), leader (nullable string), currentStateTimestamp (int64), members ([]:
 *   memberId, groupInstanceId (nullable), clientId, clientHost, rebalanceTimeout (int32),
 *   sessionTimeout (int32), subscription (bytes), assignment (bytes)).
 *
 * A string is an int16 length and UTF-8 (-1: null); bytes an int32 length; an array an int32
 * count. A null value is a tombstone. Older value versions (0-2) are read too.
 */
import { fromCode } from '../../common/errors.js'

/** A key of `__consumer_offsets`. @internal */
export type OffsetsKey =
  | {
      readonly type: 'offset'
      readonly group: string
      readonly topic: string
      readonly partition: number
    }
  | { readonly type: 'group'; readonly group: string }

/** An OffsetCommitValue. @internal */
export interface OffsetValue {
  /** The committed offset (the next one to read). */
  readonly offset: number
  /** The leader epoch of the record before it, or -1. */
  readonly leaderEpoch: number
  /** The client's metadata string. */
  readonly metadata: string
  /** When it was committed. */
  readonly commitTimestamp: number
}

/** One member in a {@link GroupValue}. @internal */
export interface MemberValue {
  /** The member id. */
  readonly memberId: string
  /** The static instance id, or null. */
  readonly groupInstanceId: string | null
  /** The client id. */
  readonly clientId: string
  /** The client host. */
  readonly clientHost: string
  /** Its rebalance timeout. */
  readonly rebalanceTimeoutMs: number
  /** Its session timeout. */
  readonly sessionTimeoutMs: number
  /** Its subscription for the chosen protocol. */
  readonly subscription: Uint8Array
  /** Its assignment. */
  readonly assignment: Uint8Array
}

/** A GroupMetadataValue. @internal */
export interface GroupValue {
  /** `consumer`, or '' for a group that never had members. */
  readonly protocolType: string
  /** The generation. */
  readonly generation: number
  /** The chosen protocol, or null. */
  readonly protocol: string | null
  /** The leader's member id, or null. */
  readonly leader: string | null
  /** When the group last changed state (-1: unknown). */
  readonly currentStateTimestamp: number
  /** The members. */
  readonly members: readonly MemberValue[]
}

const OFFSET_KEY_VERSION = 1
const GROUP_KEY_VERSION = 2
const OFFSET_VALUE_VERSION = 3
const GROUP_VALUE_VERSION = 3

class Writer {
  readonly #parts: Buffer[] = []

  int16(n: number): this {
    const b = Buffer.alloc(2)
    b.writeInt16BE(n)
    this.#parts.push(b)
    return this
  }

  int32(n: number): this {
    const b = Buffer.alloc(4)
    b.writeInt32BE(n)
    this.#parts.push(b)
    return this
  }

  int64(n: number): this {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(BigInt(n))
    this.#parts.push(b)
    return this
  }

  string(s: string | null): this {
    if (s === null) return this.int16(-1)
    const bytes = Buffer.from(s, 'utf8')
    if (bytes.length > 0x7fff) throw fromCode('INVALID_REQUEST', 'a string is over 32767 bytes')
    this.int16(bytes.length)
    this.#parts.push(bytes)
    return this
  }

  bytes(b: Uint8Array): this {
    this.int32(b.length)
    this.#parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
    return this
  }

  done(): Buffer {
    return Buffer.concat(this.#parts)
  }
}

class Reader {
  #pos = 0
  constructor(readonly b: Buffer) {}

  #need(n: number): number {
    const at = this.#pos
    if (at + n > this.b.length)
      throw fromCode('CORRUPT_MESSAGE', 'a __consumer_offsets record ends early')
    this.#pos += n
    return at
  }

  int16(): number {
    return this.b.readInt16BE(this.#need(2))
  }

  int32(): number {
    return this.b.readInt32BE(this.#need(4))
  }

  int64(): number {
    return Number(this.b.readBigInt64BE(this.#need(8)))
  }

  string(): string {
    const s = this.nullableString()
    if (s === null) throw fromCode('CORRUPT_MESSAGE', 'a null string where one is required')
    return s
  }

  nullableString(): string | null {
    const n = this.int16()
    if (n < 0) return null
    const at = this.#need(n)
    return this.b.toString('utf8', at, at + n)
  }

  bytes(): Uint8Array {
    const n = this.int32()
    if (n < 0) return new Uint8Array(0)
    const at = this.#need(n)
    return new Uint8Array(this.b.subarray(at, at + n))
  }
}

/** OffsetCommitKey v1. @internal */
export function encodeOffsetKey(group: string, topic: string, partition: number): Buffer {
  return new Writer().int16(OFFSET_KEY_VERSION).string(group).string(topic).int32(partition).done()
}

/** GroupMetadataKey v2. @internal */
export function encodeGroupKey(group: string): Buffer {
  return new Writer().int16(GROUP_KEY_VERSION).string(group).done()
}

/** OffsetCommitValue v3. @internal */
export function encodeOffsetValue(v: OffsetValue): Buffer {
  return new Writer()
    .int16(OFFSET_VALUE_VERSION)
    .int64(v.offset)
    .int32(v.leaderEpoch)
    .string(v.metadata)
    .int64(v.commitTimestamp)
    .done()
}

/** GroupMetadataValue v3. @internal */
export function encodeGroupValue(v: GroupValue): Buffer {
  const w = new Writer()
    .int16(GROUP_VALUE_VERSION)
    .string(v.protocolType)
    .int32(v.generation)
    .string(v.protocol)
    .string(v.leader)
    .int64(v.currentStateTimestamp)
    .int32(v.members.length)
  for (const m of v.members) {
    w.string(m.memberId)
      .string(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment)
  }
  return w.done()
}

/** Read a key (versions 0 and 1: an offset; 2: a group). Unknown versions are `CORRUPT_MESSAGE`. @internal */
export function decodeKey(bytes: Buffer): OffsetsKey {
  const r = new Reader(bytes)
  const version = r.int16()
  if (version === 0 || version === 1) {
    return { type: 'offset', group: r.string(), topic: r.string(), partition: r.int32() }
  }
  if (version === 2) return { type: 'group', group: r.string() }
  throw fromCode('CORRUPT_MESSAGE', `unknown __consumer_offsets key version ${version}`)
}

/** Read an OffsetCommitValue v0-v3. @internal */
export function decodeOffsetValue(bytes: Buffer): OffsetValue {
  const r = new Reader(bytes)
  const version = r.int16()
  if (version < 0 || version > 3) {
    throw fromCode('CORRUPT_MESSAGE', `unknown OffsetCommitValue version ${version}`)
  }
  const offset = r.int64()
  const leaderEpoch = version >= 3 ? r.int32() : -1
  const metadata = r.string()
  const commitTimestamp = r.int64()
  if (version === 1) r.int64() // expireTimestamp
  return { offset, leaderEpoch, metadata, commitTimestamp }
}

/** Read a GroupMetadataValue v0-v3. @internal */
export function decodeGroupValue(bytes: Buffer): GroupValue {
  const r = new Reader(bytes)
  const version = r.int16()
  if (version < 0 || version > 3) {
    throw fromCode('CORRUPT_MESSAGE', `unknown GroupMetadataValue version ${version}`)
  }
  const protocolType = r.string()
  const generation = r.int32()
  const protocol = r.nullableString()
  const leader = r.nullableString()
  const currentStateTimestamp = version >= 2 ? r.int64() : -1
  const count = r.int32()
  const members: MemberValue[] = []
  for (let i = 0; i < count; i++) {
    const memberId = r.string()
    const groupInstanceId = version >= 3 ? r.nullableString() : null
    const clientId = r.string()
    const clientHost = r.string()
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1
    const sessionTimeoutMs = r.int32()
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription: r.bytes(),
      assignment: r.bytes(),
    })
  }
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members }
}

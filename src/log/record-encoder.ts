/**
 * The encoder's fast path for records a caller has already checked (the producer's prepared
 * records): bytes are Buffers or null, timestamps safe integers, offset deltas the records'
 * indexes. It skips `encodeRecordBatch`'s normalising pass (a new object and a type check per
 * field per record) and sizes the records in a scratch array, so encoding a batch allocates
 * only the batch itself. The bytes are the same `encodeRecordBatch` writes for the same records.
 */
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import {
  BATCH,
  BATCH_HEADER_BYTES,
  LOG_OVERHEAD,
  MAGIC_V2,
  writeBatchCrc,
  writeInt16,
  writeInt32,
  writeInt64,
} from './batch-header.js'
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js'

const INT32_MAX = 0x7fff_ffff

/** A header of a {@link CheckedRecord}: a string key (written as UTF-8) and bytes or null. */
export interface CheckedHeader {
  /** The header key. */
  readonly key: string
  /** The header value. */
  readonly value: Buffer | null
}

/** A record whose fields are checked: what {@link encodeCheckedBatch} takes as it is. */
export interface CheckedRecord {
  /** The key bytes, or null. */
  readonly key: Buffer | null
  /** The value bytes, or null. */
  readonly value: Buffer | null
  /** Headers, or undefined for none. */
  readonly headers: readonly CheckedHeader[] | undefined
  /** The timestamp in ms (a safe integer). */
  readonly timestamp: number
}

/** The producer fields of a batch (all -1 without idempotence). */
export interface CheckedBatchIdentity {
  /** The producer id, or -1. */
  readonly producerId: number
  /** The producer epoch, or -1. */
  readonly producerEpoch: number
  /** The first record's sequence, or -1. */
  readonly baseSequence: number
}

/** Record body sizes of the batch being encoded (grown as needed, never shrunk). */
let bodies = new Int32Array(1024)

function bytesSize(b: Buffer | null): number {
  if (b === null) return 1
  const n = b.length
  return (n < 64 ? 1 : sizeOfVarint(n)) + n
}

function headersSize(headers: readonly CheckedHeader[]): number {
  let size = sizeOfVarint(headers.length)
  for (const h of headers) {
    const k = Buffer.byteLength(h.key, 'utf8')
    size += sizeOfVarint(k) + k + bytesSize(h.value)
  }
  return size
}

function writeBytes(out: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) {
    out[pos] = 1 // zigzag(-1)
    return pos + 1
  }
  const n = bytes.length
  if (n < 64) out[pos++] = n << 1
  else pos = writeVarint(out, pos, n)
  out.set(bytes, pos)
  return pos + n
}

function writeHeaders(out: Buffer, pos: number, headers: readonly CheckedHeader[]): number {
  pos = writeVarint(out, pos, headers.length)
  for (const h of headers) {
    const k = Buffer.byteLength(h.key, 'utf8')
    pos = writeVarint(out, pos, k)
    pos += out.write(h.key, pos, k, 'utf8')
    pos = writeBytes(out, pos, h.value)
  }
  return pos
}

/**
 * Encode checked records as one uncompressed RecordBatch v2 with CreateTime, offset deltas
 * 0..n-1, base offset 0 and leader epoch -1 (the leader sets both), CRC-32C computed. The
 * records are not checked again: a field of the wrong type is a programming error of the
 * caller. Throws `INVALID_ARGUMENT` for an empty list or timestamps more than 2^53 ms apart,
 * `MESSAGE_TOO_LARGE` past 2 GiB.
 */
export function encodeCheckedBatch(
  records: readonly CheckedRecord[],
  identity: CheckedBatchIdentity,
): Buffer {
  const count = records.length
  if (count === 0) throw new InvalidArgumentError('a batch needs at least one record')
  if (bodies.length < count) bodies = new Int32Array(Math.max(count, bodies.length * 2))
  const sizes = bodies
  const baseTs = (records[0] as CheckedRecord).timestamp
  let maxTs = baseTs
  let size = BATCH_HEADER_BYTES
  for (let i = 0; i < count; i++) {
    const r = records[i] as CheckedRecord
    const ts = r.timestamp
    if (ts > maxTs) maxTs = ts
    const delta = ts - baseTs
    let body = ts === baseTs ? 2 : 1 + sizeOfVarlong(delta)
    if (body !== 2 && !Number.isSafeInteger(delta)) {
      throw new InvalidArgumentError(`records[${i}].timestamp is more than 2^53 ms from the first`)
    }
    body += (i < 64 ? 1 : sizeOfVarint(i)) + bytesSize(r.key) + bytesSize(r.value)
    const headers = r.headers
    body += headers === undefined ? 1 : headersSize(headers)
    sizes[i] = body
    size += (body < 64 ? 1 : sizeOfVarint(body)) + body
  }
  if (size > INT32_MAX) throw fromCode('MESSAGE_TOO_LARGE', `a batch of ${size} bytes`)
  const out = Buffer.allocUnsafe(size)
  let pos = BATCH_HEADER_BYTES
  for (let i = 0; i < count; i++) {
    const r = records[i] as CheckedRecord
    const body = sizes[i] as number
    if (body < 64) out[pos++] = body << 1
    else pos = writeVarint(out, pos, body)
    out[pos++] = 0 // attributes
    const ts = r.timestamp
    if (ts === baseTs) out[pos++] = 0
    else pos = writeVarlong(out, pos, ts - baseTs)
    if (i < 64) out[pos++] = i << 1
    else pos = writeVarint(out, pos, i)
    pos = writeBytes(out, pos, r.key)
    pos = writeBytes(out, pos, r.value)
    const headers = r.headers
    if (headers === undefined) out[pos++] = 0
    else pos = writeHeaders(out, pos, headers)
  }
  writeInt64(out, BATCH.BASE_OFFSET, 0)
  writeInt32(out, BATCH.LENGTH, size - LOG_OVERHEAD)
  writeInt32(out, BATCH.PARTITION_LEADER_EPOCH, -1)
  out[BATCH.MAGIC] = MAGIC_V2
  writeInt16(out, BATCH.ATTRIBUTES, 0)
  writeInt32(out, BATCH.LAST_OFFSET_DELTA, count - 1)
  writeInt64(out, BATCH.BASE_TIMESTAMP, baseTs)
  writeInt64(out, BATCH.MAX_TIMESTAMP, maxTs)
  writeInt64(out, BATCH.PRODUCER_ID, identity.producerId)
  writeInt16(out, BATCH.PRODUCER_EPOCH, identity.producerEpoch)
  writeInt32(out, BATCH.BASE_SEQUENCE, identity.baseSequence)
  writeInt32(out, BATCH.RECORD_COUNT, count)
  writeBatchCrc(out, 0, size)
  return out
}

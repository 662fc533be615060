/**
 * The RecordBatch v2 codec (Kafka's DefaultRecordBatch): records to bytes and back. Each
 * record is `len:varint attrs:i8 tsDelta:varlong offsetDelta:varint keyLen:varint key
 * valLen:varint value hdrCount:varint (hkLen hk hvLen hv)*`, lengths -1 meaning null.
 *
 * Only uncompressed batches are handled natively (src/log uses no node: modules). Compressed
 * batches need `codecs` hooks; without them decoding one is an `UNSUPPORTED_FOR_MESSAGE_FORMAT`
 * error (the batch is intact, only unreadable here, so not the retriable `CORRUPT_MESSAGE`).
 */
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import {
  ATTR,
  BATCH,
  BATCH_HEADER_BYTES,
  type BatchHeader,
  COMPRESSION_CODECS,
  type CompressionCodec,
  LOG_OVERHEAD,
  MAGIC_V2,
  readBatchHeader,
  verifyBatchCrc,
  writeBatchCrc,
  writeInt16,
  writeInt32,
  writeInt64,
} from './batch-header.js'
import { type NormalRecord, normaliseRecord, toIntIn, toTimestamp } from './record-input.js'
import { readRecords } from './record-reader.js'
import type {
  DecodedRecordBatch,
  DecodeRecordBatchOptions,
  EncodeRecordBatchOptions,
} from './record-types.js'
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js'

const INT32_MAX = 0x7fff_ffff

function recordBodySize(r: NormalRecord, baseTimestamp: number): number {
  let size = 1 + sizeOfVarlong(r.timestamp - baseTimestamp) + sizeOfVarint(r.offsetDelta)
  size += r.key === null ? 1 : sizeOfVarint(r.key.length) + r.key.length
  size += r.value === null ? 1 : sizeOfVarint(r.value.length) + r.value.length
  size += sizeOfVarint(r.headers.length)
  for (const h of r.headers) {
    size += sizeOfVarint(h.key.length) + h.key.length
    size += h.value === null ? 1 : sizeOfVarint(h.value.length) + h.value.length
  }
  return size
}

function writeBytes(out: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(out, pos, -1)
  pos = writeVarint(out, pos, bytes.length)
  out.set(bytes, pos)
  return pos + bytes.length
}

function writeRecord(out: Buffer, pos: number, r: NormalRecord, body: number, baseTs: number) {
  pos = writeVarint(out, pos, body)
  out[pos++] = 0
  pos = writeVarlong(out, pos, r.timestamp - baseTs)
  pos = writeVarint(out, pos, r.offsetDelta)
  pos = writeBytes(out, pos, r.key)
  pos = writeBytes(out, pos, r.value)
  pos = writeVarint(out, pos, r.headers.length)
  for (const h of r.headers) {
    pos = writeBytes(out, pos, h.key)
    pos = writeBytes(out, pos, h.value)
  }
  return pos
}

function encodeRecords(records: readonly NormalRecord[], baseTs: number, headroom: number): Buffer {
  const bodies = records.map((r) => recordBodySize(r, baseTs))
  let size = headroom
  for (const body of bodies) size += sizeOfVarint(body) + body
  if (size > INT32_MAX) throw fromCode('MESSAGE_TOO_LARGE', `a batch of ${size} bytes`)
  const out = Buffer.allocUnsafe(size)
  let pos = headroom
  records.forEach((r, i) => {
    pos = writeRecord(out, pos, r, bodies[i] as number, baseTs)
  })
  return out
}

function normaliseRecords(options: EncodeRecordBatchOptions): NormalRecord[] {
  if (!Array.isArray(options.records)) {
    throw new InvalidArgumentError(`records must be an array, got ${describe(options.records)}`)
  }
  const ts = options.timestamp === undefined ? -1 : toTimestamp(options.timestamp, 'timestamp')
  const records = options.records.map((r, i) => normaliseRecord(r, i, ts))
  const baseTs = records[0]?.timestamp ?? 0
  for (let i = 1; i < records.length; i++) {
    const r = records[i] as NormalRecord
    if (r.offsetDelta <= (records[i - 1] as NormalRecord).offsetDelta) {
      throw new InvalidArgumentError(`records[${i}].offsetDelta must exceed the one before it`)
    }
    if (!Number.isSafeInteger(r.timestamp - baseTs)) {
      throw new InvalidArgumentError(`records[${i}].timestamp is more than 2^53 ms from the first`)
    }
  }
  return records
}

function attributesOf(options: EncodeRecordBatchOptions, codec: number): number {
  let attrs = codec
  if (options.timestampType === 'LogAppendTime') attrs |= ATTR.LOG_APPEND_TIME
  else if (options.timestampType !== undefined && options.timestampType !== 'CreateTime') {
    throw new InvalidArgumentError(`timestampType must be CreateTime or LogAppendTime`)
  }
  if (options.isTransactional) attrs |= ATTR.TRANSACTIONAL
  if (options.isControl) attrs |= ATTR.CONTROL
  return attrs
}

function codecOf(options: EncodeRecordBatchOptions): number {
  const codec = COMPRESSION_CODECS.indexOf(options.compression ?? 'none')
  if (codec < 0) {
    throw new InvalidArgumentError(`unknown compression ${describe(options.compression)}`)
  }
  if (codec > 0 && options.codecs?.compress === undefined) {
    throw fromCode(
      'UNSUPPORTED_FOR_MESSAGE_FORMAT',
      `${options.compression} compression needs a codecs.compress hook`,
    )
  }
  return codec
}

function lastOffsetDeltaOf(options: EncodeRecordBatchOptions, records: NormalRecord[]): number {
  const last = records[records.length - 1]?.offsetDelta
  if (options.lastOffsetDelta === undefined) {
    if (last === undefined) throw new InvalidArgumentError('a batch needs at least one record')
    return last
  }
  return toIntIn(options.lastOffsetDelta, last ?? 0, INT32_MAX, 'lastOffsetDelta')
}

function withCompression(
  options: EncodeRecordBatchOptions,
  codec: number,
  records: readonly NormalRecord[],
  baseTs: number,
): Buffer {
  if (codec === 0) return encodeRecords(records, baseTs, BATCH_HEADER_BYTES)
  const compress = options.codecs?.compress
  if (compress === undefined) throw fromCode('UNSUPPORTED_FOR_MESSAGE_FORMAT', 'no compress hook')
  const name = COMPRESSION_CODECS[codec] as CompressionCodec
  const packed = compress(name, encodeRecords(records, baseTs, 0))
  const out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + packed.length)
  out.set(packed, BATCH_HEADER_BYTES)
  return out
}

/**
 * Encode records as one RecordBatch v2 (magic 2, CRC-32C). Keys, values and header values
 * may be strings (UTF-8), Buffers, Uint8Arrays or null; anything else is `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const bytes = encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp: 1700000000000 }] })
 * ```
 */
export function encodeRecordBatch(options: EncodeRecordBatchOptions): Buffer {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`options must be an object, got ${describe(options)}`)
  }
  const records = normaliseRecords(options)
  const codec = codecOf(options)
  const attributes = attributesOf(options, codec)
  const lastOffsetDelta = lastOffsetDeltaOf(options, records)
  const baseOffset = toIntIn(options.baseOffset ?? 0, 0, Number.MAX_SAFE_INTEGER, 'baseOffset')
  const producerId = toIntIn(options.producerId ?? -1, -1, Number.MAX_SAFE_INTEGER, 'producerId')
  const producerEpoch = toIntIn(options.producerEpoch ?? -1, -1, 0x7fff, 'producerEpoch')
  const baseSequence = toIntIn(options.baseSequence ?? -1, -1, INT32_MAX, 'baseSequence')
  const epoch = toIntIn(options.partitionLeaderEpoch ?? -1, -1, INT32_MAX, 'partitionLeaderEpoch')
  const baseTs = records[0]?.timestamp ?? -1
  let maxTs = baseTs
  for (const r of records) if (r.timestamp > maxTs) maxTs = r.timestamp
  const out = withCompression(options, codec, records, baseTs)
  writeInt64(out, BATCH.BASE_OFFSET, baseOffset)
  writeInt32(out, BATCH.LENGTH, out.length - LOG_OVERHEAD)
  writeInt32(out, BATCH.PARTITION_LEADER_EPOCH, epoch)
  out[BATCH.MAGIC] = MAGIC_V2
  writeInt16(out, BATCH.ATTRIBUTES, attributes)
  writeInt32(out, BATCH.LAST_OFFSET_DELTA, lastOffsetDelta)
  writeInt64(out, BATCH.BASE_TIMESTAMP, baseTs)
  writeInt64(out, BATCH.MAX_TIMESTAMP, maxTs)
  writeInt64(out, BATCH.PRODUCER_ID, producerId)
  writeInt16(out, BATCH.PRODUCER_EPOCH, producerEpoch)
  writeInt32(out, BATCH.BASE_SEQUENCE, baseSequence)
  writeInt32(out, BATCH.RECORD_COUNT, records.length)
  writeBatchCrc(out, 0, out.length)
  return out
}

function recordsSection(
  bytes: Uint8Array,
  size: number,
  codec: CompressionCodec,
  options: DecodeRecordBatchOptions,
): Uint8Array {
  const section = bytes.subarray(BATCH_HEADER_BYTES, size)
  if (codec === 'none') return section
  const decompress = options.codecs?.decompress
  if (decompress === undefined) {
    throw fromCode(
      'UNSUPPORTED_FOR_MESSAGE_FORMAT',
      `cannot decode a ${codec}-compressed batch without a codecs.decompress hook`,
    )
  }
  return decompress(codec, section)
}

/** A batch whose header was read and CRC checked, its records not decoded yet. */
export interface OpenedRecordBatch {
  /** The header. */
  readonly header: BatchHeader
  /** The records section (decompressed when the batch was compressed). */
  readonly section: Uint8Array
}

/**
 * Read the header of the RecordBatch v2 at the start of `bytes`, check its CRC (unless
 * `verifyCrc: false`) and find its records section, without decoding a record: the errors of
 * {@link decodeRecordBatch} but those of the records themselves. Read the records with
 * `RecordReader` (record-reader.ts).
 */
export function openRecordBatch(
  bytes: Uint8Array,
  options: DecodeRecordBatchOptions = {},
): OpenedRecordBatch {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`bytes must be a Buffer or Uint8Array, got ${describe(bytes)}`)
  }
  const header = readBatchHeader(bytes, 0)
  if (options.verifyCrc !== false && !verifyBatchCrc(bytes, 0, header.sizeBytes)) {
    throw fromCode('CORRUPT_MESSAGE', 'record batch CRC mismatch')
  }
  return { header, section: recordsSection(bytes, header.sizeBytes, header.compression, options) }
}

/**
 * Decode the RecordBatch v2 at the start of `bytes` (trailing bytes are ignored). A CRC
 * mismatch or malformed bytes are `CORRUPT_MESSAGE`; magic 0/1 or a compressed batch without
 * a `codecs.decompress` hook are `UNSUPPORTED_FOR_MESSAGE_FORMAT`.
 */
export function decodeRecordBatch(
  bytes: Uint8Array,
  options: DecodeRecordBatchOptions = {},
): DecodedRecordBatch {
  const { header, section } = openRecordBatch(bytes, options)
  const baseOffset = BigInt(header.baseOffset)
  return {
    ...header,
    magic: MAGIC_V2,
    baseOffset,
    lastOffset: baseOffset + BigInt(header.lastOffsetDelta),
    records: readRecords(section, header, baseOffset),
  }
}

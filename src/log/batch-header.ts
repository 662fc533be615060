/**
 * The fixed 61-byte header of a RecordBatch v2, read and patched in place without decoding
 * the records: what the partition log, recovery and replication need on their hot paths.
 *
 * ```
 * 0 baseOffset:i64  8 length:i32  12 partitionLeaderEpoch:i32  16 magic:i8  17 crc:u32
 * 21 attributes:i16  23 lastOffsetDelta:i32  27 baseTimestamp:i64  35 maxTimestamp:i64
 * 43 producerId:i64  51 producerEpoch:i16  53 baseSequence:i32  57 count:i32  61 records
 * ```
 *
 * `length` counts the bytes after it; the CRC-32C covers `attributes` to the end, so the base
 * offset and the leader epoch can be patched without touching it. 64-bit fields are read as
 * numbers; a value outside the safe-integer range is a `CORRUPT_MESSAGE` error.
 */
import { crc32c } from '../common/crc32c.js'
import { fromCode } from '../common/errors.js'

/** Byte positions of the header fields, relative to the start of the batch. */
export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORD_COUNT: 57,
  RECORDS: 61,
} as const

/** Bytes before `length`'s region starts: baseOffset and length themselves (Kafka's LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12
/** Size of the batch header: the smallest possible batch. */
export const BATCH_HEADER_BYTES = 61
/** The magic byte of RecordBatch v2. */
export const MAGIC_V2 = 2

/** Compression codecs, by the value of attribute bits 0–2. */
export const COMPRESSION_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
/** A compression codec name. */
export type CompressionCodec = (typeof COMPRESSION_CODECS)[number]
/** How a batch's timestamps were set: by the producer or by the log on append. */
export type TimestampType = 'CreateTime' | 'LogAppendTime'

/** Attribute bits. */
export const ATTR = {
  COMPRESSION_MASK: 0x07,
  LOG_APPEND_TIME: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
  DELETE_HORIZON: 0x40,
} as const

/** The header fields of one batch, as {@link readBatchHeader} returns them. */
export interface BatchHeader {
  /** Offset of the first record. */
  readonly baseOffset: number
  /** The `length` field: bytes after it. */
  readonly length: number
  /** Total bytes of the batch: `LOG_OVERHEAD + length`. */
  readonly sizeBytes: number
  /** Leader epoch stamped by the log on append (-1 when none). */
  readonly partitionLeaderEpoch: number
  /** Always 2. */
  readonly magic: number
  /** The stored CRC-32C (unsigned). */
  readonly crc: number
  /** The raw attributes. */
  readonly attributes: number
  /** The compression codec (attribute bits 0–2). */
  readonly compression: CompressionCodec
  /** CreateTime or LogAppendTime (attribute bit 3). */
  readonly timestampType: TimestampType
  /** Part of a transaction (bit 4). */
  readonly isTransactional: boolean
  /** A control batch: commit/abort markers (bit 5). */
  readonly isControl: boolean
  /** Offset of the last record minus the base offset. */
  readonly lastOffsetDelta: number
  /** `baseOffset + lastOffsetDelta`. */
  readonly lastOffset: number
  /** Timestamp the record deltas are relative to (ms). */
  readonly baseTimestamp: number
  /** Largest record timestamp, or the append time with LogAppendTime (ms). */
  readonly maxTimestamp: number
  /** Idempotent producer id, -1 when none. */
  readonly producerId: number
  /** Producer epoch, -1 when none. */
  readonly producerEpoch: number
  /** Sequence of the first record, -1 when none. */
  readonly baseSequence: number
  /** Number of records. */
  readonly recordCount: number
}

/** Big-endian int32 at `pos`. */
export function readInt32(b: Uint8Array, pos: number): number {
  return (
    ((b[pos] as number) << 24) |
    ((b[pos + 1] as number) << 16) |
    ((b[pos + 2] as number) << 8) |
    (b[pos + 3] as number)
  )
}

/** Big-endian uint32 at `pos`. */
export function readUint32(b: Uint8Array, pos: number): number {
  return readInt32(b, pos) >>> 0
}

/** Big-endian int16 at `pos`. */
export function readInt16(b: Uint8Array, pos: number): number {
  return (((b[pos] as number) << 24) | ((b[pos + 1] as number) << 16)) >> 16
}

/** Big-endian int64 at `pos` as a number; outside ±2^53 a `CORRUPT_MESSAGE` error. */
export function readInt64(b: Uint8Array, pos: number): number {
  const hi = readInt32(b, pos)
  if (hi >= 0x20_0000 || hi < -0x20_0000) {
    throw fromCode('CORRUPT_MESSAGE', 'a 64-bit batch field is beyond the safe-integer range')
  }
  return hi * 0x1_0000_0000 + readUint32(b, pos + 4)
}

/** Write a big-endian int32 at `pos`. */
export function writeInt32(b: Uint8Array, pos: number, n: number): void {
  b[pos] = n >>> 24
  b[pos + 1] = n >>> 16
  b[pos + 2] = n >>> 8
  b[pos + 3] = n
}

/** Write a big-endian int16 at `pos`. */
export function writeInt16(b: Uint8Array, pos: number, n: number): void {
  b[pos] = n >>> 8
  b[pos + 1] = n
}

/** Write the safe integer `n` as a big-endian int64 at `pos`. */
export function writeInt64(b: Uint8Array, pos: number, n: number): void {
  if (n >= 0 && n <= 0xffff_ffff) {
    b[pos] = b[pos + 1] = b[pos + 2] = b[pos + 3] = 0
    writeInt32(b, pos + 4, n)
    return
  }
  const lo = n % 0x1_0000_0000
  const hi = (n - lo) / 0x1_0000_0000
  writeInt32(b, pos, lo < 0 ? hi - 1 : hi)
  writeInt32(b, pos + 4, lo < 0 ? lo + 0x1_0000_0000 : lo)
}

function corrupt(message: string): Error {
  return fromCode('CORRUPT_MESSAGE', message)
}

/**
 * Check that a whole v2 batch header is present at `pos` (magic 2, a plausible length that
 * fits in `end`) and return its total size in bytes. Throws `CORRUPT_MESSAGE`, or
 * `UNSUPPORTED_FOR_MESSAGE_FORMAT` for the older magic 0 and 1 message sets.
 */
export function checkBatchFrame(bytes: Uint8Array, pos = 0, end = bytes.length): number {
  if (end - pos < BATCH_HEADER_BYTES) {
    throw corrupt(`${end - pos} bytes at position ${pos} are too few for a batch header`)
  }
  const magic = bytes[pos + BATCH.MAGIC] as number
  if (magic !== MAGIC_V2) {
    if (magic === 0 || magic === 1) {
      throw fromCode('UNSUPPORTED_FOR_MESSAGE_FORMAT', `message format v${magic} is not supported`)
    }
    throw corrupt(`batch at position ${pos} has magic ${magic}, expected 2`)
  }
  const length = readInt32(bytes, pos + BATCH.LENGTH)
  if (length < BATCH_HEADER_BYTES - LOG_OVERHEAD) throw corrupt(`batch length ${length} too small`)
  if (length > end - pos - LOG_OVERHEAD) {
    throw corrupt(`batch at position ${pos} claims ${length} bytes, only ${end - pos - 12} remain`)
  }
  return LOG_OVERHEAD + length
}

/** Whether the stored CRC-32C of the batch at `pos` (of `sizeBytes` bytes) matches its bytes. */
export function verifyBatchCrc(bytes: Uint8Array, pos = 0, sizeBytes?: number): boolean {
  const size = sizeBytes ?? LOG_OVERHEAD + readInt32(bytes, pos + BATCH.LENGTH)
  if (size < BATCH_HEADER_BYTES || pos + size > bytes.length) return false
  return crc32c(bytes, pos + BATCH.ATTRIBUTES, pos + size) === readUint32(bytes, pos + BATCH.CRC)
}

/**
 * Check the batch at `pos` as a whole: frame (see {@link checkBatchFrame}) and CRC. Returns
 * its size in bytes; throws `CORRUPT_MESSAGE` on a CRC mismatch.
 */
export function checkBatch(bytes: Uint8Array, pos = 0, end = bytes.length): number {
  const size = checkBatchFrame(bytes, pos, end)
  if (!verifyBatchCrc(bytes, pos, size)) {
    throw corrupt(`CRC mismatch in the batch at position ${pos}`)
  }
  return size
}

/** Recompute and store the CRC of the batch at `pos` (after changing attributes or timestamps). */
export function writeBatchCrc(bytes: Uint8Array, pos: number, sizeBytes: number): void {
  writeInt32(bytes, pos + BATCH.CRC, crc32c(bytes, pos + BATCH.ATTRIBUTES, pos + sizeBytes))
}

/**
 * Read the header of the batch at `pos` without decoding records or checking the CRC (see
 * {@link verifyBatchCrc}). Throws `CORRUPT_MESSAGE` when the header is cut short or malformed.
 */
export function readBatchHeader(bytes: Uint8Array, pos = 0): BatchHeader {
  const sizeBytes = checkBatchFrame(bytes, pos, bytes.length)
  const attributes = readInt16(bytes, pos + BATCH.ATTRIBUTES)
  const baseOffset = readInt64(bytes, pos + BATCH.BASE_OFFSET)
  const lastOffsetDelta = readInt32(bytes, pos + BATCH.LAST_OFFSET_DELTA)
  const compression = COMPRESSION_CODECS[attributes & ATTR.COMPRESSION_MASK]
  if (compression === undefined) {
    throw corrupt(`unknown compression codec ${attributes & ATTR.COMPRESSION_MASK}`)
  }
  return {
    baseOffset,
    length: sizeBytes - LOG_OVERHEAD,
    sizeBytes,
    partitionLeaderEpoch: readInt32(bytes, pos + BATCH.PARTITION_LEADER_EPOCH),
    magic: MAGIC_V2,
    crc: readUint32(bytes, pos + BATCH.CRC),
    attributes,
    compression,
    timestampType: attributes & ATTR.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & ATTR.TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR.CONTROL) !== 0,
    lastOffsetDelta,
    lastOffset: baseOffset + lastOffsetDelta,
    baseTimestamp: readInt64(bytes, pos + BATCH.BASE_TIMESTAMP),
    maxTimestamp: readInt64(bytes, pos + BATCH.MAX_TIMESTAMP),
    producerId: readInt64(bytes, pos + BATCH.PRODUCER_ID),
    producerEpoch: readInt16(bytes, pos + BATCH.PRODUCER_EPOCH),
    baseSequence: readInt32(bytes, pos + BATCH.BASE_SEQUENCE),
    recordCount: readInt32(bytes, pos + BATCH.RECORD_COUNT),
  }
}

/**
 * Split bytes holding whole batches one after another into one subarray per batch (frames
 * checked, CRCs not). A cut-off last batch is a `CORRUPT_MESSAGE` error unless
 * `allowPartialTail`, when it is left out (a fetch response may end that way).
 */
export function splitBatches(bytes: Uint8Array, allowPartialTail = false): Uint8Array[] {
  const { batches, error } = splitGoodBatches(bytes, allowPartialTail)
  if (error !== undefined) throw error
  return batches
}

/**
 * {@link splitBatches} that keeps what it could split: the well-framed batches before the
 * first bad frame, and that frame's error (undefined when there is none).
 */
export function splitGoodBatches(
  bytes: Uint8Array,
  allowPartialTail = false,
): { batches: Uint8Array[]; error: unknown } {
  const batches: Uint8Array[] = []
  let pos = 0
  while (pos < bytes.length) {
    let size: number
    try {
      size = checkBatchFrame(bytes, pos)
    } catch (error) {
      if (allowPartialTail && isCutOff(bytes, pos)) break
      return { batches, error }
    }
    batches.push(bytes.subarray(pos, pos + size))
    pos += size
  }
  return { batches, error: undefined }
}

function isCutOff(bytes: Uint8Array, pos: number): boolean {
  const left = bytes.length - pos
  return left < LOG_OVERHEAD || readInt32(bytes, pos + BATCH.LENGTH) > left - LOG_OVERHEAD
}

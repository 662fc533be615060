/**
 * The shapes of records and batches as users give them to `encodeRecordBatch` and get
 * them back from `decodeRecordBatch`.
 */
import type { BytesInput } from '../common/validate.js'
import type { BatchHeader, CompressionCodec, TimestampType } from './batch-header.js'

/** One header as given: Kafka header keys are strings; values are bytes or null. */
export interface RecordHeaderInput {
  /** The header key. */
  readonly key: string
  /** The header value (string as UTF-8, Buffer, Uint8Array) or null. */
  readonly value: BytesInput | null
}

/**
 * Headers as given: an object (one value per key) or a list (Kafka allows a key to repeat).
 * Objects are read with `Object.keys`, so a key `__proto__` must be an own property.
 */
export type HeadersInput =
  | Readonly<Record<string, BytesInput | null>>
  | readonly RecordHeaderInput[]

/** One record to encode. */
export interface RecordInput {
  /** The key, or null/absent for none. */
  readonly key?: BytesInput | null
  /** The value, or null/absent for none (a tombstone on a compacted topic). */
  readonly value?: BytesInput | null
  /** Record headers. */
  readonly headers?: HeadersInput
  /** Milliseconds since the epoch (safe integer, number or bigint). Default: the batch's `timestamp`. */
  readonly timestamp?: number | bigint
  /**
   * The record's offset minus the batch's base offset. Default: its index. Given explicitly
   * when re-encoding compacted batches, whose records keep their offsets; must ascend.
   */
  readonly offsetDelta?: number
}

/** Compress and decompress hooks, for codecs src/log cannot implement itself (no node: modules). */
export interface BatchCodecs {
  /** Compress the records section with `codec`. */
  compress?(codec: CompressionCodec, data: Uint8Array): Uint8Array
  /** Decompress the records section of a batch compressed with `codec`. */
  decompress?(codec: CompressionCodec, data: Uint8Array): Uint8Array
}

/** Options of `encodeRecordBatch`. */
export interface EncodeRecordBatchOptions {
  /** The records, at least one unless `lastOffsetDelta` is given. */
  readonly records: readonly RecordInput[]
  /** Offset of the first record (the log reassigns it on append). Default 0. */
  readonly baseOffset?: number | bigint
  /** Default timestamp for records without one. Default -1 (Kafka's NO_TIMESTAMP). */
  readonly timestamp?: number | bigint
  /** Idempotent producer id. Default -1 (none). */
  readonly producerId?: number | bigint
  /** Producer epoch. Default -1. */
  readonly producerEpoch?: number
  /** Sequence number of the first record. Default -1. */
  readonly baseSequence?: number
  /** Leader epoch (the log stamps its own on append). Default -1. */
  readonly partitionLeaderEpoch?: number
  /** Compression codec. Default `none`; others need `codecs.compress`. */
  readonly compression?: CompressionCodec
  /** Timestamp type. Default `CreateTime`. */
  readonly timestampType?: TimestampType
  /** Part of a transaction. Default false. */
  readonly isTransactional?: boolean
  /** A control batch (transaction markers). Default false. */
  readonly isControl?: boolean
  /**
   * Override the batch's last offset delta (default: the last record's delta). Compaction
   * keeps the original one so the batch still spans its first-to-last offsets.
   */
  readonly lastOffsetDelta?: number
  /** Compression hooks. */
  readonly codecs?: BatchCodecs
}

/** One decoded header. */
export interface RecordHeader {
  /** The header key. */
  readonly key: string
  /** The value bytes, or null. */
  readonly value: Buffer | null
}

/** One decoded record. Key, value and header values are views into the decoded bytes. */
export interface DecodedRecord {
  /** Absolute offset. */
  readonly offset: bigint
  /** Offset relative to the batch's base offset. */
  readonly offsetDelta: number
  /** Milliseconds since the epoch (with LogAppendTime: the batch's max timestamp). */
  readonly timestamp: number
  /** The key, or null. */
  readonly key: Buffer | null
  /** The value, or null. */
  readonly value: Buffer | null
  /** Headers by key; for a repeated key the last value wins (see `headerList`). */
  readonly headers: Readonly<Record<string, Buffer | null>>
  /** Every header in order, repeats included. */
  readonly headerList: readonly RecordHeader[]
}

/** A decoded batch: header fields plus records; offsets as bigint. */
export interface DecodedRecordBatch
  extends Omit<BatchHeader, 'baseOffset' | 'lastOffset' | 'magic'> {
  /** Always 2. */
  readonly magic: 2
  /** Offset of the first record. */
  readonly baseOffset: bigint
  /** `baseOffset + lastOffsetDelta`. */
  readonly lastOffset: bigint
  /** The records. */
  readonly records: DecodedRecord[]
}

/** Options of `decodeRecordBatch`. */
export interface DecodeRecordBatchOptions {
  /** Check the CRC (default true): a mismatch is a `CORRUPT_MESSAGE` error. */
  readonly verifyCrc?: boolean
  /** Decompression hooks for compressed batches. */
  readonly codecs?: BatchCodecs
}

/**
 * Walking the batches of one stored segment by their headers, reading the store in windows
 * (64 KiB) rather than a read per batch. Used by recovery, reads, truncation, timestamp
 * lookups and producer-state rebuilds; nothing here decodes records.
 */
import { fromCode } from '../common/errors.js'
import type { PartitionStore } from '../storage/log-store.js'
import {
  BATCH,
  BATCH_HEADER_BYTES,
  checkBatchFrame,
  LOG_OVERHEAD,
  readInt16,
  readInt32,
  readInt64,
  verifyBatchCrc,
} from './batch-header.js'

const WINDOW_BYTES = 64 * 1024

/** The header fields of a stored batch that the log works with, plus where it lies. */
export interface StoredBatch {
  /** Position of the batch in its segment. */
  readonly position: number
  /** Total bytes of the batch. */
  readonly sizeBytes: number
  /** First offset. */
  readonly baseOffset: number
  /** Last offset (`baseOffset + lastOffsetDelta`). */
  readonly lastOffset: number
  /** Largest timestamp. */
  readonly maxTimestamp: number
  /** Number of records. */
  readonly recordCount: number
  /** Producer id, -1 when none. */
  readonly producerId: number
  /** Producer epoch. */
  readonly producerEpoch: number
  /** First sequence number. */
  readonly baseSequence: number
  /** Raw attributes. */
  readonly attributes: number
}

/** Read the fields of {@link StoredBatch} from a checked frame at `at` of `bytes`. */
export function storedBatchAt(
  bytes: Uint8Array,
  at: number,
  position: number,
  size: number,
): StoredBatch {
  const baseOffset = readInt64(bytes, at + BATCH.BASE_OFFSET)
  const lastOffsetDelta = readInt32(bytes, at + BATCH.LAST_OFFSET_DELTA)
  if (lastOffsetDelta < 0)
    throw fromCode('CORRUPT_MESSAGE', `negative lastOffsetDelta at ${position}`)
  return {
    position,
    sizeBytes: size,
    baseOffset,
    lastOffset: baseOffset + lastOffsetDelta,
    maxTimestamp: readInt64(bytes, at + BATCH.MAX_TIMESTAMP),
    recordCount: readInt32(bytes, at + BATCH.RECORD_COUNT),
    producerId: readInt64(bytes, at + BATCH.PRODUCER_ID),
    producerEpoch: readInt16(bytes, at + BATCH.PRODUCER_EPOCH),
    baseSequence: readInt32(bytes, at + BATCH.BASE_SEQUENCE),
    attributes: readInt16(bytes, at + BATCH.ATTRIBUTES),
  }
}

/** A reader over one segment's batches. */
export class SegmentCursor {
  #window: Uint8Array = new Uint8Array(0)
  #windowStart = 0

  constructor(
    readonly store: PartitionStore,
    readonly baseOffset: number,
    readonly sizeBytes: number,
  ) {}

  async #ensure(position: number, length: number): Promise<number> {
    const end = Math.min(position + length, this.sizeBytes)
    if (position < this.#windowStart || end > this.#windowStart + this.#window.length) {
      const want = Math.min(Math.max(length, WINDOW_BYTES), this.sizeBytes - position)
      this.#window = await this.store.read(this.baseOffset, position, want)
      this.#windowStart = position
    }
    return position - this.#windowStart
  }

  /**
   * The batch at `position`, frame checked against the segment's size (a torn or garbage
   * batch is a `CORRUPT_MESSAGE` error). With `verifyCrc`, its CRC too.
   */
  async batchAt(position: number, verifyCrc = false): Promise<StoredBatch> {
    const at = await this.#ensure(position, BATCH_HEADER_BYTES)
    const size = checkBatchFrame(this.#window, at, at + (this.sizeBytes - position))
    const batch = storedBatchAt(this.#window, at, position, size)
    if (verifyCrc) {
      const full = await this.bytes(position, size)
      if (!verifyBatchCrc(full, 0, size)) {
        throw fromCode('CORRUPT_MESSAGE', `CRC mismatch in the batch at offset ${batch.baseOffset}`)
      }
    }
    return batch
  }

  /** The bytes `[position, position + length)`, from the window when it holds them. */
  async bytes(position: number, length: number): Promise<Uint8Array> {
    const at = await this.#ensure(position, length)
    const view = this.#window.subarray(at, at + length)
    if (view.length !== length) {
      throw fromCode('CORRUPT_MESSAGE', `segment ${this.baseOffset} ends inside a batch`)
    }
    return view
  }

  /**
   * From `position`, the first batch whose last offset is ≥ `offset`, or undefined when the
   * segment ends first.
   */
  async seek(position: number, offset: number): Promise<StoredBatch | undefined> {
    let pos = position
    while (pos < this.sizeBytes) {
      const batch = await this.batchAt(pos)
      if (batch.lastOffset >= offset) return batch
      pos += batch.sizeBytes
    }
    return undefined
  }
}

/** Total bytes of the batch whose header starts at `at` (no checks). */
export function batchSizeAt(bytes: Uint8Array, at: number): number {
  return LOG_OVERHEAD + readInt32(bytes, at + BATCH.LENGTH)
}

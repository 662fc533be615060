/**
 * Reads (Kafka's fetch path) and timestamp lookups (ListOffsets) over the segments of one
 * partition log. Reads return whole batches as stored; a batch read back from a segment this
 * session did not write or recover is CRC-checked first, and a bad one is a `CORRUPT_MESSAGE`
 * error, never data.
 */
import { fromCode } from '../common/errors.js'
import { checkBatch } from './batch-header.js'
import { asBuffer, EMPTY, readNow, result, verifyAll } from './log-read-now.js'
import { type LogState, segmentIndexFor } from './log-state.js'
import { decodeRecordBatch } from './record-batch.js'
import { SegmentCursor, type StoredBatch } from './segment-cursor.js'
import type { SegmentState } from './segment-state.js'

/** Options of `PartitionLog.read`. */
export interface ReadOptions {
  /**
   * Stop adding batches once this many bytes are gathered; the first batch is returned whole
   * even when larger. Default 1 MiB (Kafka's `max.partition.fetch.bytes`).
   */
  readonly maxBytes?: number
  /** Return no batch starting at or past this offset (e.g. the high watermark). Default: none. */
  readonly maxOffset?: number
  /**
   * Return only batches that can be handed out as a view of the stored bytes, never a copy:
   * when the store holds the bytes in memory, stop before the first batch that lies in another
   * of its pages (the first batch is always returned). For replication: a follower that
   * appends such a view of a batch the memory store kept as it was handed over keeps it by
   * reference, where a read gathering several pages would copy them twice (into the read's
   * buffer, then into the follower's pages). Default false. Other stores read as usual.
   */
  readonly noCopy?: boolean
}

/** What a read returns. */
export interface ReadResult {
  /** Whole batches, as stored, one after another (empty when nothing is there yet). */
  readonly bytes: Buffer
  /** Base offset of the first batch returned, -1 when none. */
  readonly firstOffset: number
  /** The offset to read from next: one past the last batch returned (the start offset when none). */
  readonly nextOffset: number
  /** The high watermark when the read was made. */
  readonly highWatermark: number
  /** The log start offset when the read was made. */
  readonly logStartOffset: number
  /** The log end offset when the read was made. */
  readonly logEndOffset: number
}

/** The earliest record at or after a timestamp. */
export interface TimestampOffset {
  /** Its offset. */
  readonly offset: number
  /** Its timestamp (-1 for the special timestamps -1 and -2). */
  readonly timestamp: number
}

/** ListOffsets' special timestamp for the log end offset. */
export const LATEST_TIMESTAMP = -1
/** ListOffsets' special timestamp for the log start offset. */
export const EARLIEST_TIMESTAMP = -2

async function readSegment(
  state: LogState,
  seg: SegmentState,
  from: number,
  maxBytes: number,
  maxOffset: number,
): Promise<ReadResult | undefined> {
  const cursor = new SegmentCursor(state.store, seg.baseOffset, seg.sizeBytes)
  const first = await cursor.seek(seg.floorPosition(from), from)
  if (first === undefined) return undefined
  if (first.baseOffset >= maxOffset) return result(state, EMPTY, -1, from)
  let end = first.position + first.sizeBytes
  let last: StoredBatch = first
  while (end < cursor.sizeBytes) {
    const next = await cursor.batchAt(end)
    if (next.baseOffset >= maxOffset || end + next.sizeBytes - first.position > maxBytes) break
    end += next.sizeBytes
    last = next
  }
  const bytes = await state.store.read(seg.baseOffset, first.position, end - first.position)
  if (bytes.length !== end - first.position) {
    throw fromCode('CORRUPT_MESSAGE', `segment ${seg.baseOffset} ended inside a batch`)
  }
  if (first.position < seg.uncheckedBelow) verifyAll(bytes)
  return result(state, asBuffer(bytes), first.baseOffset, last.lastOffset + 1)
}

/**
 * Read whole batches from `from` (already checked to lie in [logStartOffset, logEndOffset]):
 * synchronously when the store holds the bytes in memory (log-read-now.ts), else through the
 * store's asynchronous reads.
 */
export function readFrom(
  state: LogState,
  from: number,
  maxBytes: number,
  maxOffset: number,
  noCopy = false,
): ReadResult | Promise<ReadResult> {
  return (
    readNow(state, from, maxBytes, maxOffset, noCopy) ??
    readFromStore(state, from, maxBytes, maxOffset)
  )
}

async function readFromStore(
  state: LogState,
  from: number,
  maxBytes: number,
  maxOffset: number,
): Promise<ReadResult> {
  const segments = state.segments.slice(segmentIndexFor(state, from))
  for (const seg of segments) {
    const found = await readSegment(state, seg, from, maxBytes, maxOffset)
    if (found !== undefined) return found
  }
  return result(state, EMPTY, -1, from)
}

async function firstInBatch(
  state: LogState,
  seg: SegmentState,
  batch: StoredBatch,
  timestamp: number,
): Promise<TimestampOffset | undefined> {
  const bytes = await state.store.read(seg.baseOffset, batch.position, batch.sizeBytes)
  if (batch.attributes & 0x07) {
    if (batch.position < seg.uncheckedBelow) checkBatch(bytes)
    return {
      offset: Math.max(batch.baseOffset, state.logStartOffset),
      timestamp: batch.maxTimestamp,
    }
  }
  const verifyCrc = batch.position < seg.uncheckedBelow
  for (const r of decodeRecordBatch(bytes, { verifyCrc }).records) {
    const offset = Number(r.offset)
    if (r.timestamp >= timestamp && offset >= state.logStartOffset)
      return { offset, timestamp: r.timestamp }
  }
  return undefined
}

async function searchSegment(
  state: LogState,
  seg: SegmentState,
  timestamp: number,
): Promise<TimestampOffset | undefined> {
  const start = Math.max(seg.offsetBeforeTimestamp(timestamp), state.logStartOffset)
  const cursor = new SegmentCursor(state.store, seg.baseOffset, seg.sizeBytes)
  let batch = await cursor.seek(seg.floorPosition(start), start)
  while (batch !== undefined) {
    if (batch.maxTimestamp >= timestamp) {
      const found = await firstInBatch(state, seg, batch, timestamp)
      if (found !== undefined) return found
    }
    const next = batch.position + batch.sizeBytes
    batch = next < cursor.sizeBytes ? await cursor.batchAt(next) : undefined
  }
  return undefined
}

/**
 * Kafka's ListOffsets by timestamp: the earliest offset whose record timestamp is ≥
 * `timestamp` (the first batch whose max timestamp reaches it, then the first record in it
 * that does), or `null` when none. -1 gives the log end offset, -2 the log start offset.
 */
export async function offsetForTimestamp(
  state: LogState,
  timestamp: number,
): Promise<TimestampOffset | null> {
  if (timestamp === LATEST_TIMESTAMP) return { offset: state.logEndOffset, timestamp: -1 }
  if (timestamp === EARLIEST_TIMESTAMP) return { offset: state.logStartOffset, timestamp: -1 }
  const segments = state.segments.slice(segmentIndexFor(state, state.logStartOffset))
  for (const seg of segments) {
    if (seg.maxTimestamp < timestamp) continue
    const found = await searchSegment(state, seg, timestamp)
    if (found !== undefined) return found
  }
  return null
}

/**
 * The synchronous read: when the store holds the wanted bytes in memory (the memory store
 * always does; see `PartitionStore.spanAt`), a read walks the batch headers in place from the
 * sparse index's floor position and returns a view of the stored bytes, with no promise per
 * batch and no copy unless the batches span two of the store's pages. Cost: two binary
 * searches (segment, index entry), a page lookup, and a header scan of at most
 * `index.interval.bytes` plus the batches returned. Anything unusual (a store without
 * `spanAt`, bytes not in memory, a frame that does not check out) returns `undefined`, and the
 * caller takes the asynchronous path, which does the full checks and reports errors.
 */
import type { SegmentSpan } from '../storage/log-store.js'
import {
  BATCH,
  BATCH_HEADER_BYTES,
  checkBatch,
  LOG_OVERHEAD,
  MAGIC_V2,
  readInt32,
  readInt64,
} from './batch-header.js'
import type { ReadResult } from './log-read.js'
import type { LogState } from './log-state.js'
import { segmentIndexFor } from './log-state.js'
import type { SegmentState } from './segment-state.js'

/** An empty result's bytes. */
export const EMPTY: Buffer = Buffer.alloc(0)

/** `bytes` as a Buffer over the same memory. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
}

/** A read result with the log's current offsets. */
export function result(state: LogState, bytes: Buffer, first: number, next: number): ReadResult {
  return {
    bytes,
    firstOffset: first,
    nextOffset: next,
    highWatermark: state.highWatermark,
    logStartOffset: state.logStartOffset,
    logEndOffset: state.logEndOffset,
  }
}

/** CRC-check every batch of `bytes` (a segment not verified in this session). */
export function verifyAll(bytes: Uint8Array): void {
  for (let pos = 0; pos < bytes.length; ) pos += checkBatch(bytes, pos)
}

/** Not held in memory, or not plainly well-formed: take the asynchronous path. */
const FALL_BACK = null

/** Bytes `[from, to)` of a segment from its spans: a view when one span holds them all. */
function gather(state: LogState, base: number, from: number, to: number): Buffer | null {
  const spanAt = state.store.spanAt as (b: number, p: number) => SegmentSpan | undefined
  let span = spanAt.call(state.store, base, from)
  if (span === undefined) return FALL_BACK
  if (to <= span.end) return asBuffer(span.bytes.subarray(from - span.start, to - span.start))
  const out = Buffer.allocUnsafe(to - from)
  for (let pos = from; pos < to; ) {
    if (span === undefined || span.end <= pos) return FALL_BACK
    const stop = Math.min(to, span.end)
    out.set(span.bytes.subarray(pos - span.start, stop - span.start), pos - from)
    pos = stop
    if (pos < to) span = spanAt.call(state.store, base, pos)
  }
  return out
}

function readSegmentNow(
  state: LogState,
  seg: SegmentState,
  from: number,
  maxBytes: number,
  maxOffset: number,
  noCopy: boolean,
): ReadResult | undefined | null {
  const store = state.store
  const base = seg.baseOffset
  const size = seg.sizeBytes
  let span: SegmentSpan | undefined
  let pos = seg.floorPosition(from)
  let first = -1
  let firstOffset = -1
  let end = 0
  let next = 0
  /** With `noCopy`: where the first batch's span ends (later batches must end by then). */
  let viewEnd = Number.POSITIVE_INFINITY
  while (pos < size) {
    if (span === undefined || pos < span.start || pos + BATCH_HEADER_BYTES > span.end) {
      span = store.spanAt?.(base, pos)
      if (span === undefined || pos < span.start || pos + BATCH_HEADER_BYTES > span.end) {
        return FALL_BACK
      }
    }
    const b = span.bytes
    const at = pos - span.start
    const batchBytes = LOG_OVERHEAD + readInt32(b, at + BATCH.LENGTH)
    const delta = readInt32(b, at + BATCH.LAST_OFFSET_DELTA)
    if (b[at + BATCH.MAGIC] !== MAGIC_V2 || batchBytes < BATCH_HEADER_BYTES || delta < 0)
      return FALL_BACK
    if (pos + batchBytes > size) return FALL_BACK
    const baseOffset = readInt64(b, at + BATCH.BASE_OFFSET)
    if (first < 0) {
      if (baseOffset + delta >= from) {
        if (baseOffset >= maxOffset) return result(state, EMPTY, -1, from)
        first = pos
        firstOffset = baseOffset
        end = pos + batchBytes
        next = baseOffset + delta + 1
        if (noCopy) viewEnd = span.end
      }
    } else {
      if (baseOffset >= maxOffset || pos + batchBytes - first > maxBytes) break
      if (pos + batchBytes > viewEnd) break
      end = pos + batchBytes
      next = baseOffset + delta + 1
    }
    pos += batchBytes
  }
  if (first < 0) return undefined
  const bytes = gather(state, base, first, end)
  if (bytes === null) return FALL_BACK
  if (first < seg.uncheckedBelow) verifyAll(bytes)
  return result(state, bytes, firstOffset, next)
}

/**
 * Read whole batches from `from` (checked to lie in [logStartOffset, logEndOffset]) without
 * waiting, when the store holds them in memory; `undefined` when the asynchronous path must
 * serve the read. Same result as `readFrom` in log-read.ts, or a prefix of it with `noCopy`
 * (batches up to the end of the first batch's page).
 */
export function readNow(
  state: LogState,
  from: number,
  maxBytes: number,
  maxOffset: number,
  noCopy = false,
): ReadResult | undefined {
  if (from >= state.logEndOffset || from >= maxOffset) return result(state, EMPTY, -1, from)
  if (state.store.spanAt === undefined) return undefined
  const segments = state.segments
  for (let i = segmentIndexFor(state, from); i < segments.length; i++) {
    const seg = segments[i] as SegmentState
    const found = readSegmentNow(state, seg, from, maxBytes, maxOffset, noCopy)
    if (found === FALL_BACK) return undefined
    if (found !== undefined) return found
  }
  return result(state, EMPTY, -1, from)
}

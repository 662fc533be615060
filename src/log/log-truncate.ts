/**
 * Cutting a log: `truncateTo` (a follower dropping a divergent tail) and `deleteRecordsBefore`
 * (Kafka's DeleteRecords, advancing the log start offset).
 *
 * Each works in two phases: first it reads what it needs from the store (async), then it
 * changes the in-memory state and calls the store in one synchronous step, so an append made
 * in between lands consistently (appends only add offsets past the cut).
 */
import { fromCode } from '../common/errors.js'
import { type LogState, segmentIndexFor } from './log-state.js'
import { SegmentCursor } from './segment-cursor.js'
import type { SegmentState } from './segment-state.js'

interface Cut {
  /** Index of the segment that becomes the active one. */
  readonly index: number
  /** Its new size. */
  readonly sizeBytes: number
  /** The new log end offset. */
  readonly endOffset: number
}

/** The exact end offset and the largest timestamp of a segment cut to `sizeBytes`. */
async function scanTail(state: LogState, seg: SegmentState, from: number, sizeBytes: number) {
  const cursor = new SegmentCursor(state.store, seg.baseOffset, sizeBytes)
  let endOffset = seg.baseOffset
  let maxTimestamp = -1
  let offsetOfMax = seg.baseOffset
  for (let pos = from; pos < sizeBytes; ) {
    const batch = await cursor.batchAt(pos)
    endOffset = batch.lastOffset + 1
    if (batch.maxTimestamp > maxTimestamp) {
      maxTimestamp = batch.maxTimestamp
      offsetOfMax = batch.baseOffset
    }
    pos += batch.sizeBytes
  }
  return { endOffset, maxTimestamp, offsetOfMax, bytesSinceIndex: sizeBytes - from }
}

async function findCut(state: LogState, offset: number): Promise<Cut> {
  let index = segmentIndexFor(state, offset)
  let seg = state.segments[index] as SegmentState
  const cursor = new SegmentCursor(state.store, seg.baseOffset, seg.sizeBytes)
  const batch = await cursor.seek(seg.floorPosition(offset), offset)
  if (batch !== undefined && (batch.position > 0 || index === 0)) {
    return { index, sizeBytes: batch.position, endOffset: batch.baseOffset }
  }
  if (batch !== undefined) {
    index -= 1 // the cut falls at the very start of a later segment: keep the one before whole
    seg = state.segments[index] as SegmentState
  }
  const endOffset = seg.endExact
    ? seg.endOffset
    : (await scanTail(state, seg, seg.lastIndexedPosition, seg.sizeBytes)).endOffset
  return { index, sizeBytes: seg.sizeBytes, endOffset }
}

/**
 * Drop every batch whose last offset is ≥ `offset`. When `offset` falls inside a batch, that
 * whole batch goes and the log ends at its base offset, below `offset`. Offsets at or past the
 * log end change nothing; below the log start offset is `OFFSET_OUT_OF_RANGE`. When the cut
 * takes the batch holding the log start offset, the log start offset drops to the new end.
 * Returns the new log end offset.
 */
export async function truncateTo(state: LogState, offset: number): Promise<number> {
  if (offset >= state.logEndOffset) return state.logEndOffset
  if (offset < state.logStartOffset) {
    throw fromCode(
      'OFFSET_OUT_OF_RANGE',
      `cannot truncate to ${offset}, below the log start ${state.logStartOffset}`,
    )
  }
  const cut = await findCut(state, offset)
  const seg = state.segments[cut.index] as SegmentState
  const lastKept = cut.endOffset > seg.baseOffset ? seg.floorPosition(cut.endOffset - 1) : 0
  const tail = await scanTail(state, seg, Math.min(lastKept, cut.sizeBytes), cut.sizeBytes)
  state.segments.length = cut.index + 1
  seg.dropEntriesFrom(cut.endOffset, cut.sizeBytes)
  seg.sizeBytes = cut.sizeBytes
  seg.endOffset = cut.endOffset
  seg.endExact = true
  seg.maxTimestamp = Math.max(seg.lastIndexedTimestamp, tail.maxTimestamp)
  if (seg.maxTimestamp === tail.maxTimestamp) seg.offsetOfMaxTimestamp = tail.offsetOfMax
  seg.bytesSinceIndex = tail.bytesSinceIndex
  state.logEndOffset = cut.endOffset
  state.logStartOffset = Math.min(state.logStartOffset, cut.endOffset)
  state.highWatermark = state.highWatermarkFollowsEnd
    ? cut.endOffset
    : Math.min(state.highWatermark, cut.endOffset)
  state.producers.truncateFrom(cut.endOffset)
  await state.store.truncate(seg.baseOffset, cut.sizeBytes, cut.endOffset)
  return cut.endOffset
}

/**
 * Kafka's DeleteRecords: make `offset` the log start offset (reads below it fail with
 * `OFFSET_OUT_OF_RANGE`) and delete closed segments that lie wholly below it. Past the high
 * watermark is `OFFSET_OUT_OF_RANGE`; at or below the current start it changes nothing.
 * Returns the log start offset.
 */
export async function deleteRecordsBefore(state: LogState, offset: number): Promise<number> {
  if (offset > state.highWatermark) {
    throw fromCode(
      'OFFSET_OUT_OF_RANGE',
      `${offset} is past the high watermark ${state.highWatermark}`,
    )
  }
  if (offset <= state.logStartOffset) return state.logStartOffset
  state.logStartOffset = offset
  let n = 0
  while (
    n < state.segments.length - 1 &&
    (state.segments[n + 1] as SegmentState).baseOffset <= offset
  )
    n++
  if (n === 0) return offset
  const removed = state.segments.splice(0, n)
  await state.store.deleteSegments(removed.map((s) => s.baseOffset))
  return offset
}

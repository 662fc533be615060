/**
 * The state one partition log works on, shared by the files that implement its operations
 * (append, recovery, reads, truncation, retention, compaction). Only `PartitionLog` creates
 * and hands it out.
 */
import type { Clock } from '../common/clock.js'
import type { PartitionStore, TopicPartition } from '../storage/log-store.js'
import type { LogConfig } from './log-config.js'
import type { ProducerStateTable } from './producer-state.js'
import { SegmentState } from './segment-state.js'

/** The mutable state of one partition log. */
export interface LogState {
  readonly topicPartition: TopicPartition
  readonly store: PartitionStore
  config: Readonly<LogConfig>
  readonly clock: Clock
  /** Segments ascending by base offset; the last is the active one. Never empty once open. */
  segments: SegmentState[]
  logStartOffset: number
  logEndOffset: number
  /** Set by the caller when replicated; otherwise follows `logEndOffset`. */
  highWatermark: number
  /** Whether the high watermark follows the log end offset (no replication). */
  readonly highWatermarkFollowsEnd: boolean
  readonly producers: ProducerStateTable
  readonly checkProducerState: boolean
  readonly verifyCrc: boolean
}

/** The active (last) segment. */
export function activeSegment(state: LogState): SegmentState {
  return state.segments[state.segments.length - 1] as SegmentState
}

/** Index in `state.segments` of the last segment whose base offset is ≤ `offset` (0 if none). */
export function segmentIndexFor(state: LogState, offset: number): number {
  const segs = state.segments
  let lo = 0
  let hi = segs.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if ((segs[mid] as SegmentState).baseOffset <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** A fresh, empty segment state at `baseOffset`. */
export function emptySegment(baseOffset: number, nowMs: number): SegmentState {
  return new SegmentState(baseOffset, {
    sizeBytes: 0,
    endOffset: baseOffset,
    endExact: true,
    createdMs: nowMs,
    verified: true,
  })
}

/** Record a batch in a segment's state and indexes (Kafka's LogSegment.append bookkeeping). */
export function indexBatch(
  state: LogState,
  seg: SegmentState,
  batch: { baseOffset: number; lastOffset: number; maxTimestamp: number },
  position: number,
  sizeBytes: number,
  persist: boolean,
): void {
  if (batch.maxTimestamp > seg.maxTimestamp) {
    seg.maxTimestamp = batch.maxTimestamp
    seg.offsetOfMaxTimestamp = batch.baseOffset
  }
  if (seg.bytesSinceIndex > state.config['index.interval.bytes']) {
    seg.addOffsetEntry(batch.baseOffset, position)
    if (persist) {
      state.store.appendOffsetIndex(seg.baseOffset, { offset: batch.baseOffset, position })
    }
    if (seg.addTimeEntry(seg.maxTimestamp, seg.offsetOfMaxTimestamp) && persist) {
      const entry = { timestamp: seg.maxTimestamp, offset: seg.offsetOfMaxTimestamp }
      state.store.appendTimeIndex(seg.baseOffset, entry)
    }
    seg.bytesSinceIndex = 0
  }
  seg.bytesSinceIndex += sizeBytes
  seg.sizeBytes = position + sizeBytes
  seg.endOffset = batch.lastOffset + 1
}

/**
 * Close the active segment and start a new one at `baseOffset`: the old one gets a final
 * time-index entry for its largest timestamp (so retention and timestamp lookups see it).
 */
export function rollSegment(state: LogState, baseOffset: number, nowMs: number): SegmentState {
  const old = activeSegment(state)
  if (old.sizeBytes > 0 && old.addTimeEntry(old.maxTimestamp, old.offsetOfMaxTimestamp)) {
    const entry = { timestamp: old.maxTimestamp, offset: old.offsetOfMaxTimestamp }
    state.store.appendTimeIndex(old.baseOffset, entry)
  }
  state.store.roll(baseOffset)
  const seg = emptySegment(baseOffset, nowMs)
  state.segments.push(seg)
  return seg
}

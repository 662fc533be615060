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

/** The settings the append path reads, as plain fields (faster than dotted-key lookups). */
export interface HotConfig {
  readonly maxMessageBytes: number
  readonly segmentBytes: number
  readonly segmentMs: number
  readonly indexIntervalBytes: number
  readonly logAppendTime: boolean
}

/** The {@link HotConfig} of a config. */
export function hotConfig(config: Readonly<LogConfig>): HotConfig {
  return {
    maxMessageBytes: config['max.message.bytes'],
    segmentBytes: config['segment.bytes'],
    segmentMs: config['segment.ms'],
    indexIntervalBytes: config['index.interval.bytes'],
    logAppendTime: config['message.timestamp.type'] === 'LogAppendTime',
  }
}

/** The mutable state of one partition log. */
export interface LogState {
  readonly topicPartition: TopicPartition
  readonly store: PartitionStore
  config: Readonly<LogConfig>
  /** `config`'s append-path settings; replaced together with `config`. */
  hot: HotConfig
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
    uncheckedBelow: 0,
  })
}

/** Record a batch in a segment's state and indexes (Kafka's LogSegment.append bookkeeping). */
export function indexBatch(
  state: LogState,
  seg: SegmentState,
  baseOffset: number,
  lastOffset: number,
  maxTimestamp: number,
  position: number,
  sizeBytes: number,
  persist: boolean,
): void {
  if (maxTimestamp > seg.maxTimestamp) {
    seg.maxTimestamp = maxTimestamp
    seg.offsetOfMaxTimestamp = baseOffset
  }
  if (seg.bytesSinceIndex > state.hot.indexIntervalBytes) {
    seg.addOffsetEntry(baseOffset, position)
    if (persist) state.store.appendOffsetIndex(seg.baseOffset, { offset: baseOffset, position })
    if (seg.addTimeEntry(seg.maxTimestamp, seg.offsetOfMaxTimestamp) && persist) {
      const entry = { timestamp: seg.maxTimestamp, offset: seg.offsetOfMaxTimestamp }
      state.store.appendTimeIndex(seg.baseOffset, entry)
    }
    seg.bytesSinceIndex = 0
  }
  seg.bytesSinceIndex += sizeBytes
  seg.sizeBytes = position + sizeBytes
  seg.endOffset = lastOffset + 1
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

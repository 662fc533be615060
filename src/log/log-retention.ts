/**
 * Retention (Kafka's deleteOldSegments): delete whole closed segments from the oldest on,
 * never the active one and never one that may hold offsets at or past the high watermark,
 * stopping at the first segment that must stay. A segment goes when any of these holds:
 *
 * - it lies wholly below the log start offset (after `deleteRecordsBefore`);
 * - `retention.ms` ≥ 0 and its largest timestamp is older than `now - retention.ms`;
 * - `retention.bytes` ≥ 0 and the log without it is still at least `retention.bytes`.
 *
 * Time and size rules apply only when `cleanup.policy` includes `delete`.
 */
import { deletesByRetention } from './log-config.js'
import type { LogState } from './log-state.js'
import type { SegmentState } from './segment-state.js'

/** What a retention pass deleted. */
export interface RetentionResult {
  /** Base offsets of the deleted segments. */
  readonly deletedSegments: readonly number[]
  /** Bytes freed. */
  readonly deletedBytes: number
  /** The log start offset afterwards. */
  readonly logStartOffset: number
}

function deletableCount(state: LogState, nowMs: number): number {
  const segs = state.segments
  const byPolicy = deletesByRetention(state.config)
  const retentionMs = state.config['retention.ms']
  const retentionBytes = state.config['retention.bytes']
  let total = 0
  for (const s of segs) total += s.sizeBytes
  let n = 0
  for (; n < segs.length - 1; n++) {
    const seg = segs[n] as SegmentState
    const nextBase = (segs[n + 1] as SegmentState).baseOffset
    if (nextBase > state.highWatermark) break
    const belowStart = nextBase <= state.logStartOffset
    const byTime = byPolicy && retentionMs >= 0 && nowMs - seg.maxTimestamp > retentionMs
    const bySize = byPolicy && retentionBytes >= 0 && total - seg.sizeBytes >= retentionBytes
    if (!belowStart && !byTime && !bySize) break
    total -= seg.sizeBytes
  }
  return n
}

/** Run one retention pass now (see the rules above). */
export async function enforceRetention(state: LogState): Promise<RetentionResult> {
  const n = deletableCount(state, state.clock.now())
  if (n === 0) return { deletedSegments: [], deletedBytes: 0, logStartOffset: state.logStartOffset }
  const removed = state.segments.splice(0, n)
  const first = state.segments[0] as SegmentState
  state.logStartOffset = Math.max(state.logStartOffset, first.baseOffset)
  const deletedSegments = removed.map((s) => s.baseOffset)
  await state.store.deleteSegments(deletedSegments)
  return {
    deletedSegments,
    deletedBytes: removed.reduce((sum, s) => sum + s.sizeBytes, 0),
    logStartOffset: state.logStartOffset,
  }
}

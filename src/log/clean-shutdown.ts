/**
 * A clean close and the open after it (Kafka's clean-shutdown file and producer snapshot):
 * a log closed cleanly describes its active segment and producers ({@link CleanShutdown});
 * the next open that is handed that description, and finds the active segment exactly as
 * described (same base offset, same size), takes it as it is: indexes from the store, the
 * producer table from the snapshot, no scan. Its batches from before the close are
 * CRC-checked when read, as a closed segment's are; those appended after are not. Anything else is recovered as after
 * a crash: every batch of the active segment read and checked, producers replayed.
 */
import type { CleanShutdown } from '../storage/checkpoints.js'
import type { SegmentMeta } from '../storage/log-store.js'
import type { LogState } from './log-state.js'
import { SegmentState } from './segment-state.js'

/** What the log in `state`, just closed cleanly, leaves for its next open. */
export function cleanShutdownOf(state: LogState): CleanShutdown | undefined {
  const active = state.segments[state.segments.length - 1]
  if (active === undefined) return undefined
  return {
    activeBaseOffset: active.baseOffset,
    activeSizeBytes: active.sizeBytes,
    logEndOffset: state.logEndOffset,
    maxTimestamp: active.maxTimestamp,
    offsetOfMaxTimestamp: active.offsetOfMaxTimestamp,
    bytesSinceIndex: active.bytesSinceIndex,
    producers: state.producers.entries(),
  }
}

/**
 * The active segment of `meta` as `clean` describes it, with its stored indexes; undefined
 * when the segment is not exactly as the clean close left it (recover it instead).
 */
export async function cleanActive(
  state: LogState,
  meta: SegmentMeta,
  clean: CleanShutdown | undefined,
): Promise<SegmentState | undefined> {
  if (clean === undefined) return undefined
  if (meta.baseOffset !== clean.activeBaseOffset || meta.sizeBytes !== clean.activeSizeBytes) {
    return undefined
  }
  if (clean.logEndOffset < meta.baseOffset) return undefined
  const seg = new SegmentState(meta.baseOffset, {
    sizeBytes: meta.sizeBytes,
    endOffset: clean.logEndOffset,
    endExact: true,
    createdMs: state.clock.now(),
    uncheckedBelow: meta.sizeBytes,
  })
  seg.loadIndexes(await state.store.readIndexes(meta.baseOffset))
  seg.maxTimestamp = clean.maxTimestamp
  seg.offsetOfMaxTimestamp = clean.offsetOfMaxTimestamp
  seg.bytesSinceIndex = clean.bytesSinceIndex
  return seg
}

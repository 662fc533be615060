/**
 * Opening a partition log over what its store holds (Kafka's log loading and
 * LogSegment.recover):
 *
 * - closed segments: sizes from the store, indexes from `readIndexes`; their batches are read
 *   on demand and CRC-checked then (a bad one is a `CORRUPT_MESSAGE` error on read);
 * - the active (last) segment: every batch is scanned and CRC-checked from the start; at the
 *   first torn, corrupt or out-of-order batch the segment is cut (`store.truncate`), and its
 *   indexes are rebuilt from the scan (rewritten in the store when they differ);
 * - producer state (when checked) is rebuilt by replaying every batch header;
 * - after a clean close, the active segment and producers as the close described them
 *   (clean-shutdown.ts), when the segment is still exactly as it was.
 */
import { isLogkeeperError } from '../common/errors.js'
import type { CleanShutdown } from '../storage/checkpoints.js'
import type { SegmentIndexes, SegmentMeta } from '../storage/log-store.js'
import { ATTR } from './batch-header.js'
import { cleanActive } from './clean-shutdown.js'
import { emptySegment, indexBatch, type LogState } from './log-state.js'
import { lastSequence } from './producer-state.js'
import { SegmentCursor, type StoredBatch } from './segment-cursor.js'
import { SegmentState } from './segment-state.js'

/** What recovery found. */
export interface RecoveryInfo {
  /** Bytes cut from the end of the active segment (a torn or corrupt tail); 0 after a clean close. */
  readonly truncatedBytes: number
  /** Batches found valid in the active segment. */
  readonly recoveredBatches: number
  /**
   * Whether the open trusted a clean close's description instead of recovering (then nothing
   * was scanned, and the producer table came from its snapshot).
   */
  readonly clean: boolean
}

function isBadBatch(err: unknown): boolean {
  return (
    isLogkeeperError(err, 'CORRUPT_MESSAGE') ||
    isLogkeeperError(err, 'UNSUPPORTED_FOR_MESSAGE_FORMAT')
  )
}

async function loadClosed(
  state: LogState,
  meta: SegmentMeta,
  next: SegmentMeta,
): Promise<SegmentState> {
  const seg = new SegmentState(meta.baseOffset, {
    sizeBytes: meta.sizeBytes,
    endOffset: next.baseOffset,
    endExact: false,
    createdMs: state.clock.now(),
    uncheckedBelow: meta.sizeBytes,
  })
  seg.loadIndexes(await state.store.readIndexes(meta.baseOffset))
  return seg
}

function sameIndexes(a: SegmentIndexes, b: SegmentIndexes): boolean {
  const same = <T extends object>(x: readonly T[], y: readonly T[], k1: keyof T, k2: keyof T) =>
    x.length === y.length && x.every((e, i) => e[k1] === y[i]?.[k1] && e[k2] === y[i]?.[k2])
  return (
    same(a.offsets, b.offsets, 'offset', 'position') &&
    same(a.times, b.times, 'timestamp', 'offset')
  )
}

async function scanActive(state: LogState, seg: SegmentState, sizeBytes: number): Promise<number> {
  const cursor = new SegmentCursor(state.store, seg.baseOffset, sizeBytes)
  let position = 0
  let batches = 0
  while (position < sizeBytes) {
    let batch: StoredBatch
    try {
      batch = await cursor.batchAt(position, true)
    } catch (err) {
      if (isBadBatch(err)) break
      throw err
    }
    if (batch.baseOffset < seg.endOffset) break
    indexBatch(
      state,
      seg,
      batch.baseOffset,
      batch.lastOffset,
      batch.maxTimestamp,
      position,
      batch.sizeBytes,
      false,
    )
    position += batch.sizeBytes
    batches++
  }
  return batches
}

async function recoverActive(
  state: LogState,
  meta: SegmentMeta,
): Promise<[SegmentState, RecoveryInfo]> {
  const seg = emptySegment(meta.baseOffset, state.clock.now())
  const recoveredBatches = await scanActive(state, seg, meta.sizeBytes)
  const truncatedBytes = meta.sizeBytes - seg.sizeBytes
  const rebuilt = seg.indexes()
  if (truncatedBytes > 0 || !sameIndexes(await state.store.readIndexes(seg.baseOffset), rebuilt)) {
    await state.store.truncate(seg.baseOffset, seg.sizeBytes, seg.baseOffset)
    for (const e of rebuilt.offsets) state.store.appendOffsetIndex(seg.baseOffset, e)
    for (const e of rebuilt.times) state.store.appendTimeIndex(seg.baseOffset, e)
  }
  return [seg, { truncatedBytes, recoveredBatches, clean: false }]
}

/** Visit every batch header of a segment; a torn or garbage batch ends the segment's walk. */
export async function forEachBatch(
  state: LogState,
  seg: SegmentState,
  visit: (batch: StoredBatch) => void,
): Promise<void> {
  const cursor = new SegmentCursor(state.store, seg.baseOffset, seg.sizeBytes)
  for (let position = 0; position < seg.sizeBytes; ) {
    let batch: StoredBatch
    try {
      batch = await cursor.batchAt(position)
    } catch (err) {
      if (isBadBatch(err)) return
      throw err
    }
    visit(batch)
    position += batch.sizeBytes
  }
}

/** Replay every batch header into the producer table (cleared first). */
export async function rebuildProducerState(state: LogState): Promise<void> {
  state.producers.clear()
  for (const seg of state.segments) {
    await forEachBatch(state, seg, (b) => {
      if (b.producerId < 0) return
      if (b.attributes & ATTR.CONTROL) {
        state.producers.updateEpoch(b.producerId, b.producerEpoch)
        return
      }
      const lastSeq =
        b.baseSequence < 0 ? -1 : lastSequence(b.baseSequence, b.lastOffset - b.baseOffset)
      state.producers.update(b.producerId, b.producerEpoch, {
        firstSeq: b.baseSequence,
        lastSeq,
        baseOffset: b.baseOffset,
        lastOffset: b.lastOffset,
      })
    })
  }
}

/**
 * Load the segments of `state.store` into `state` (which arrives with no segments), recover
 * the active one (or take it as `clean` describes it, when it matches), and set the log end
 * offset. Returns what recovery found.
 */
export async function loadSegments(
  state: LogState,
  startOffset: number,
  clean?: CleanShutdown,
): Promise<RecoveryInfo> {
  const metas = state.store.segments()
  if (metas.length === 0) {
    state.store.roll(startOffset)
    state.segments = [emptySegment(startOffset, state.clock.now())]
    state.logEndOffset = startOffset
    return { truncatedBytes: 0, recoveredBatches: 0, clean: false }
  }
  const segments: SegmentState[] = []
  for (let i = 0; i < metas.length - 1; i++) {
    segments.push(await loadClosed(state, metas[i] as SegmentMeta, metas[i + 1] as SegmentMeta))
  }
  const last = metas[metas.length - 1] as SegmentMeta
  const trusted = await cleanActive(state, last, clean)
  const [active, info]: [SegmentState, RecoveryInfo] =
    trusted === undefined
      ? await recoverActive(state, last)
      : [trusted, { truncatedBytes: 0, recoveredBatches: 0, clean: true }]
  segments.push(active)
  state.segments = segments
  state.logEndOffset = active.endOffset
  return info
}

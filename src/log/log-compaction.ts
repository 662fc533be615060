/**
 * Log compaction (Kafka's LogCleaner, simplified), for `cleanup.policy` including `compact`.
 *
 * Scope: the closed segments from the oldest on, up to the first one that is younger than
 * `min.compaction.lag.ms` (by its largest timestamp) or may hold offsets at or past the high
 * watermark. The active segment is never touched.
 *
 * Pass 1 reads the scope and maps each key to its latest offset. Pass 2 rewrites each batch,
 * keeping a record when it has no key or is the latest for its key, and dropping a tombstone
 * (null value) once its segment's largest timestamp is older than `delete.retention.ms`.
 * Records keep their offsets: batches are re-encoded with their original offset deltas, last
 * offset delta, producer fields and attributes. A batch left empty is dropped, unless it belongs
 * to an idempotent producer (kept empty, so its sequence survives a reopen). Compressed and
 * control batches are kept as they are. Rewritten segments are merged in groups of at most
 * `segment.bytes` and swapped in with `store.replaceSegments`.
 *
 * Keys are compared as bytes; header keys round-trip through UTF-8.
 */
import { fromCode } from '../common/errors.js'
import { checkBatch, readBatchHeader } from './batch-header.js'
import { compacts } from './log-config.js'
import { emptySegment, indexBatch, type LogState } from './log-state.js'
import { decodeRecordBatch, encodeRecordBatch } from './record-batch.js'
import type { DecodedRecord, DecodedRecordBatch } from './record-types.js'
import type { SegmentState } from './segment-state.js'

/** What a compaction pass did. */
export interface CompactionResult {
  /** Base offsets of the segments rewritten (merged ones included). */
  readonly compactedSegments: readonly number[]
  /** Records removed. */
  readonly removedRecords: number
  /** Bytes before and after, over the rewritten segments. */
  readonly bytesBefore: number
  /** See `bytesBefore`. */
  readonly bytesAfter: number
}

const NOTHING: CompactionResult = {
  compactedSegments: [],
  removedRecords: 0,
  bytesBefore: 0,
  bytesAfter: 0,
}
const INT32_MAX = 0x7fff_ffff

function scope(state: LogState, nowMs: number): SegmentState[] {
  const out: SegmentState[] = []
  const youngest = nowMs - state.config['min.compaction.lag.ms']
  for (let i = 0; i < state.segments.length - 1; i++) {
    const seg = state.segments[i] as SegmentState
    if ((state.segments[i + 1] as SegmentState).baseOffset > state.highWatermark) break
    if (seg.maxTimestamp > youngest) break
    out.push(seg)
  }
  return out
}

/** Each batch of a segment, CRC-checked, with its records when it can be decoded here. */
async function readBatches(state: LogState, seg: SegmentState) {
  const bytes = await state.store.read(seg.baseOffset, 0, seg.sizeBytes)
  if (bytes.length !== seg.sizeBytes)
    throw fromCode('CORRUPT_MESSAGE', `segment ${seg.baseOffset} is short`)
  const out: { bytes: Uint8Array; decoded: DecodedRecordBatch | undefined }[] = []
  for (let pos = 0; pos < bytes.length; ) {
    const size = checkBatch(bytes, pos)
    const one = bytes.subarray(pos, pos + size)
    const h = readBatchHeader(one)
    const decodable = h.compression === 'none' && !h.isControl
    out.push({
      bytes: one,
      decoded: decodable ? decodeRecordBatch(one, { verifyCrc: false }) : undefined,
    })
    pos += size
  }
  return out
}

function keyOf(r: DecodedRecord): string | undefined {
  return r.key === null ? undefined : r.key.toString('latin1')
}

function rewrite(batch: DecodedRecordBatch, kept: DecodedRecord[]): Uint8Array | undefined {
  if (kept.length === 0 && batch.producerId < 0) return undefined
  return encodeRecordBatch({
    baseOffset: batch.baseOffset,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    timestampType: batch.timestampType,
    isTransactional: batch.isTransactional,
    lastOffsetDelta: batch.lastOffsetDelta,
    records: kept.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headerList,
      timestamp: r.timestamp,
      offsetDelta: r.offsetDelta,
    })),
  })
}

interface Rewritten {
  readonly seg: SegmentState
  readonly parts: Uint8Array[]
  readonly sizeBytes: number
  readonly removed: number
}

async function rewriteSegment(
  state: LogState,
  seg: SegmentState,
  latest: Map<string, number>,
  nowMs: number,
) {
  const dropTombstones = seg.maxTimestamp < nowMs - state.config['delete.retention.ms']
  const parts: Uint8Array[] = []
  let removed = 0
  for (const { bytes, decoded } of await readBatches(state, seg)) {
    const kept = decoded?.records.filter((r) => {
      const key = keyOf(r)
      if (key === undefined) return true
      return latest.get(key) === Number(r.offset) && !(dropTombstones && r.value === null)
    })
    if (decoded === undefined || kept === undefined || kept.length === decoded.records.length) {
      parts.push(bytes)
      continue
    }
    removed += decoded.records.length - kept.length
    const out = rewrite(decoded, kept)
    if (out !== undefined) parts.push(out)
  }
  const sizeBytes = parts.reduce((sum, p) => sum + p.length, 0)
  return { seg, parts, sizeBytes, removed } satisfies Rewritten
}

function groups(state: LogState, rewritten: Rewritten[]): Rewritten[][] {
  const out: Rewritten[][] = []
  let group: Rewritten[] = []
  let size = 0
  for (const r of rewritten) {
    const base = group[0]?.seg.baseOffset ?? r.seg.baseOffset
    const fits =
      size + r.sizeBytes <= state.config['segment.bytes'] && r.seg.endOffset - 1 - base <= INT32_MAX
    if (group.length > 0 && !fits) {
      out.push(group)
      group = []
      size = 0
    }
    group.push(r)
    size += r.sizeBytes
  }
  if (group.length > 0) out.push(group)
  return out
}

function buildSegment(state: LogState, baseOffset: number, bytes: Buffer): SegmentState {
  const seg = emptySegment(baseOffset, state.clock.now())
  for (let pos = 0; pos < bytes.length; ) {
    const h = readBatchHeader(bytes, pos)
    indexBatch(state, seg, h.baseOffset, h.lastOffset, h.maxTimestamp, pos, h.sizeBytes, false)
    pos += h.sizeBytes
  }
  seg.addTimeEntry(seg.maxTimestamp, seg.offsetOfMaxTimestamp)
  return seg
}

async function replaceGroup(state: LogState, group: Rewritten[]): Promise<void> {
  const first = group[0] as Rewritten
  const bytes = Buffer.concat(group.flatMap((r) => r.parts))
  const seg = buildSegment(state, first.seg.baseOffset, bytes)
  const bases = group.map((r) => r.seg.baseOffset)
  const at = state.segments.indexOf(first.seg)
  state.segments.splice(at, group.length, seg)
  await state.store.replaceSegments(bases, seg.baseOffset, bytes, seg.indexes())
}

/** Run one compaction pass now (see above). */
export async function compactLog(state: LogState): Promise<CompactionResult> {
  if (!compacts(state.config)) return NOTHING
  const nowMs = state.clock.now()
  const segments = scope(state, nowMs)
  if (segments.length === 0) return NOTHING
  const latest = new Map<string, number>()
  for (const seg of segments) {
    for (const { decoded } of await readBatches(state, seg)) {
      for (const r of decoded?.records ?? []) {
        const key = keyOf(r)
        if (key !== undefined) latest.set(key, Number(r.offset))
      }
    }
  }
  const rewritten: Rewritten[] = []
  for (const seg of segments) rewritten.push(await rewriteSegment(state, seg, latest, nowMs))
  const changed = groups(state, rewritten).filter(
    (g) => g.length > 1 || (g[0] as Rewritten).removed > 0,
  )
  for (const group of changed) await replaceGroup(state, group)
  const done = changed.flat()
  return {
    compactedSegments: done.map((r) => r.seg.baseOffset),
    removedRecords: done.reduce((n, r) => n + r.removed, 0),
    bytesBefore: done.reduce((n, r) => n + r.seg.sizeBytes, 0),
    bytesAfter: done.reduce((n, r) => n + r.sizeBytes, 0),
  }
}

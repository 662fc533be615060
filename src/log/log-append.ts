/**
 * The append hot path: validate one batch by its header, assign offsets by patching bytes
 * 0–7, stamp the leader epoch, roll if needed, hand the bytes to the store, update the
 * in-memory indexes. Synchronous; decodes no record and allocates little beyond the result.
 */
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { isHeld } from '../storage/held-bytes.js'
import {
  ATTR,
  BATCH,
  checkBatchFrame,
  readInt16,
  readInt32,
  readInt64,
  verifyBatchCrc,
  writeBatchCrc,
  writeInt16,
  writeInt32,
  writeInt64,
} from './batch-header.js'
import { indexBatch, type LogState, rollSegment } from './log-state.js'
import { lastSequence, type ProducerBatch } from './producer-state.js'
import type { SegmentState } from './segment-state.js'

const INT32_MAX = 0x7fff_ffff

/** Options of `PartitionLog.append`. */
export interface AppendOptions {
  /** The leader epoch to stamp into the batch (bytes 12–15). Default: leave as is. */
  readonly leaderEpoch?: number
  /**
   * Assign offsets from the log end offset (default, a leader). `false` keeps the batch's own
   * offsets (a follower); they must start at or past the log end offset.
   */
  readonly assignOffsets?: boolean
  /**
   * Check this batch's CRC (default: the log's `verifyCrc`, itself true by default). `false`
   * is for trusted in-process producers only: bytes this process has just encoded (with
   * `encodeRecordBatch`) and not received from elsewhere, where the check is a second pass over
   * every byte that can only confirm the encoder. A batch appended unchecked is stored as
   * checked: a wrong CRC then reaches consumers, which check it themselves.
   */
  readonly verifyCrc?: boolean
}

/** What an append did. */
export interface AppendInfo {
  /** Offset of the first record. */
  readonly baseOffset: number
  /** Offset of the last record. */
  readonly lastOffset: number
  /** Number of records in the batch. */
  readonly recordCount: number
  /** The batch's largest timestamp (the append time with LogAppendTime). */
  readonly maxTimestamp: number
  /** The append time with LogAppendTime, else -1 (as Kafka's ProduceResponse). */
  readonly logAppendTimeMs: number
  /** The log start offset after the append. */
  readonly logStartOffset: number
  /** The batch was a duplicate of one already appended (idempotent producer): nothing was written. */
  readonly duplicate: boolean
}

function corrupt(message: string): Error {
  return fromCode('CORRUPT_MESSAGE', message)
}

function checkFrame(state: LogState, bytes: unknown, verifyCrc: boolean): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError('a batch must be a Buffer or Uint8Array')
  }
  const n = bytes.length
  const size = checkBatchFrame(bytes, 0, n)
  if (size !== n) throw corrupt(`append takes one batch: ${n - size} extra bytes`)
  const hot = state.hot
  if (size > hot.maxMessageBytes) {
    throw fromCode('MESSAGE_TOO_LARGE', `batch of ${size} bytes > max.message.bytes`)
  }
  if (size > hot.segmentBytes) {
    throw fromCode('RECORD_LIST_TOO_LARGE', `batch of ${size} bytes > segment.bytes`)
  }
  if (verifyCrc && !verifyBatchCrc(bytes, 0, size)) throw corrupt('batch CRC mismatch')
  if ((bytes[BATCH.ATTRIBUTES + 1] as number) % 8 > 4) throw corrupt('unknown compression codec')
  return size
}

function duplicateInfo(state: LogState, dup: ProducerBatch, bytes: Uint8Array): AppendInfo {
  return {
    baseOffset: dup.baseOffset,
    lastOffset: dup.lastOffset,
    recordCount: readInt32(bytes, BATCH.RECORD_COUNT),
    maxTimestamp: -1,
    logAppendTimeMs: -1,
    logStartOffset: state.logStartOffset,
    duplicate: true,
  }
}

/**
 * The producer check of a batch with a producer id ≥ 0: a duplicate's original batch, or
 * undefined to go on. Throws on errors.
 */
function checkProducer(state: LogState, bytes: Uint8Array, lastOffsetDelta: number) {
  const producerId = readInt64(bytes, BATCH.PRODUCER_ID)
  const baseSequence = readInt32(bytes, BATCH.BASE_SEQUENCE)
  if (producerId < 0 || baseSequence < 0) return undefined
  if (readInt16(bytes, BATCH.ATTRIBUTES) & ATTR.CONTROL) return undefined
  const epoch = readInt16(bytes, BATCH.PRODUCER_EPOCH)
  return state.producers.check(
    producerId,
    epoch,
    baseSequence,
    lastSequence(baseSequence, lastOffsetDelta),
  )
}

/** Record the batch of a producer (producer id ≥ 0) in its state. */
function recordProducer(
  state: LogState,
  bytes: Uint8Array,
  baseOffset: number,
  lastOffset: number,
) {
  const producerId = readInt64(bytes, BATCH.PRODUCER_ID)
  const epoch = readInt16(bytes, BATCH.PRODUCER_EPOCH)
  if (readInt16(bytes, BATCH.ATTRIBUTES) & ATTR.CONTROL) {
    state.producers.updateEpoch(producerId, epoch)
    return
  }
  const firstSeq = readInt32(bytes, BATCH.BASE_SEQUENCE)
  const lastSeq = firstSeq < 0 ? -1 : lastSequence(firstSeq, lastOffset - baseOffset)
  state.producers.update(producerId, epoch, { firstSeq, lastSeq, baseOffset, lastOffset })
}

/** A copy of `bytes` in memory of its own (so a store may keep it). */
function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = Buffer.allocUnsafe(bytes.length)
  copy.set(bytes)
  return copy
}

/** A follower's batch keeps its own base offset, at or past the log end. */
function ownBaseOffset(state: LogState, bytes: Uint8Array): number {
  const own = readInt64(bytes, BATCH.BASE_OFFSET)
  if (own < state.logEndOffset) {
    throw fromCode(
      'INVALID_RECORD',
      `batch offset ${own} is below the log end ${state.logEndOffset}`,
    )
  }
  return own
}

function stampLogAppendTime(bytes: Uint8Array, size: number, nowMs: number): void {
  writeInt16(bytes, BATCH.ATTRIBUTES, readInt16(bytes, BATCH.ATTRIBUTES) | ATTR.LOG_APPEND_TIME)
  writeInt64(bytes, BATCH.MAX_TIMESTAMP, nowMs)
  writeBatchCrc(bytes, 0, size)
}

/** Append one batch (see `PartitionLog.append`). Nothing changes when it throws. */
export function appendBatch(
  state: LogState,
  bytes: Uint8Array,
  options: AppendOptions,
): AppendInfo {
  const size = checkFrame(state, bytes, options.verifyCrc ?? state.verifyCrc)
  const lastOffsetDelta = readInt32(bytes, BATCH.LAST_OFFSET_DELTA)
  if (lastOffsetDelta < 0) throw corrupt(`negative lastOffsetDelta ${lastOffsetDelta}`)
  const leaderEpoch = options.leaderEpoch
  if (
    leaderEpoch !== undefined &&
    (!Number.isInteger(leaderEpoch) || leaderEpoch < -1 || leaderEpoch > INT32_MAX)
  ) {
    throw new InvalidArgumentError(`leaderEpoch must be an int32 ≥ -1, got ${leaderEpoch}`)
  }
  // High bit of producerId set: -1, no producer (the common case), without reading 64 bits.
  const hasProducer = ((bytes[BATCH.PRODUCER_ID] as number) & 0x80) === 0
  if (hasProducer && state.checkProducerState) {
    const duplicate = checkProducer(state, bytes, lastOffsetDelta)
    if (duplicate !== undefined) return duplicateInfo(state, duplicate, bytes)
  }
  const assign = options.assignOffsets !== false
  const baseOffset = assign ? state.logEndOffset : ownBaseOffset(state, bytes)
  const lastOffset = baseOffset + lastOffsetDelta
  const nowMs = state.clock.now()
  const hot = state.hot
  // LogAppendTime is the leader's to stamp: a follower keeps the leader's bytes (as Kafka's
  // appendAsFollower, which validates and assigns nothing), or its replica would differ.
  const stamp = hot.logAppendTime && assign
  // A batch is patched only where a patch changes it. A follower's batch (own offsets, no
  // epoch to stamp) usually needs none: it is then kept as it is even when another store
  // holds the very same bytes (a fetch result is a view of the leader's stored batch). Sharing
  // is safe because stored bytes never change: the log patches held memory only after copying
  // it (below), a memory store writes a page only past its used end (a truncation closes the
  // page for good) and drops a batch only by dropping its reference, and compaction and
  // retention write new batches instead of editing old ones. (The one exception is
  // `MemoryPartitionStore.tamper`, for corruption tests: a bit it flips in a shared batch is
  // flipped for every store that shares it.)
  const patch =
    stamp ||
    readInt64(bytes, BATCH.BASE_OFFSET) !== baseOffset ||
    (leaderEpoch !== undefined && readInt32(bytes, BATCH.PARTITION_LEADER_EPOCH) !== leaderEpoch)
  // The batch is patched below and may be kept as it is: never patch memory a store keeps.
  const batch = patch && isHeld(bytes) ? copyOf(bytes) : bytes
  if (stamp) stampLogAppendTime(batch, size, nowMs)
  const maxTimestamp = stamp ? nowMs : readInt64(batch, BATCH.MAX_TIMESTAMP)
  const segments = state.segments
  let seg = segments[segments.length - 1] as SegmentState
  const segSize = seg.sizeBytes
  if (
    segSize !== 0 &&
    (segSize + size > hot.segmentBytes ||
      nowMs - seg.createdMs >= hot.segmentMs ||
      lastOffset - seg.baseOffset > INT32_MAX)
  ) {
    seg = rollSegment(state, baseOffset, nowMs)
  }
  if (patch) {
    writeInt64(batch, BATCH.BASE_OFFSET, baseOffset)
    if (leaderEpoch !== undefined) writeInt32(batch, BATCH.PARTITION_LEADER_EPOCH, leaderEpoch)
  }
  const position = state.store.append(batch, true)
  indexBatch(state, seg, baseOffset, lastOffset, maxTimestamp, position, size, true)
  const end = lastOffset + 1
  state.logEndOffset = end
  if (state.highWatermarkFollowsEnd) state.highWatermark = end
  if (hasProducer) recordProducer(state, batch, baseOffset, lastOffset)
  return {
    baseOffset,
    lastOffset,
    recordCount: readInt32(batch, BATCH.RECORD_COUNT),
    maxTimestamp,
    logAppendTimeMs: stamp ? nowMs : -1,
    logStartOffset: state.logStartOffset,
    duplicate: false,
  }
}

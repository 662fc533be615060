/**
 * A partition's leader epochs: which epoch wrote from which offset on, ascending (Kafka's
 * `LeaderEpochFileCache`). A leader adds its epoch at its log end when it takes over; a
 * follower adds the epoch of each batch it copies whose epoch is new. Leaders answer a
 * follower's `lastFetchedEpoch` with {@link LeaderEpochCache.endOffsetFor}, and the follower
 * truncates what diverges (KIP-101, KIP-279, KIP-595).
 */

import { isLogkeeperError } from '../../common/errors.js'
import { BATCH, checkBatchFrame, readInt32, readInt64 } from '../../log/batch-header.js'
import type { PartitionLog } from '../../log/partition-log.js'
import type { LeaderEpochEntry } from '../../storage/checkpoints.js'

/** No epoch (an empty cache, a batch written without one). */
export const UNDEFINED_EPOCH = -1
/** No offset (the epoch asked for is unknown). */
export const UNDEFINED_OFFSET = -1

/** The answer of {@link LeaderEpochCache.endOffsetFor}. */
export interface EpochEndOffset {
  /** The largest epoch ≤ the one asked for, or {@link UNDEFINED_EPOCH}. */
  readonly epoch: number
  /** The first offset of the next epoch (the log end for the latest), or {@link UNDEFINED_OFFSET}. */
  readonly endOffset: number
}

const SCAN_BYTES = 1024 * 1024

/** The epochs of one partition's log, as (epoch, startOffset) entries ascending in both. */
export class LeaderEpochCache {
  #entries: LeaderEpochEntry[] = []

  /**
   * A cache holding `entries` (ascending by epoch and start offset, as checkpointed).
   *
   * @param entries - saved entries, e.g. a checkpoint's `leaderEpochs`
   */
  constructor(entries: readonly LeaderEpochEntry[] = []) {
    for (const e of entries) this.assign(e.epoch, e.startOffset)
  }

  /** The latest epoch, or {@link UNDEFINED_EPOCH} when empty. */
  get latestEpoch(): number {
    const n = this.#entries.length
    return n === 0 ? UNDEFINED_EPOCH : (this.#entries[n - 1] as LeaderEpochEntry).epoch
  }

  /** A copy of the entries, ascending. */
  entries(): LeaderEpochEntry[] {
    return this.#entries.slice()
  }

  /**
   * Record that `epoch` starts at `startOffset`. Nothing changes when the latest entry is that
   * epoch at or below that offset; otherwise entries of a later-or-equal epoch or a
   * later-or-equal start are dropped first (Kafka's `assign`). Negative values are ignored.
   */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0 || startOffset < 0) return
    const entries = this.#entries
    const last = entries[entries.length - 1]
    if (last !== undefined && last.epoch === epoch && last.startOffset <= startOffset) return
    while (entries.length > 0) {
      const tail = entries[entries.length - 1] as LeaderEpochEntry
      if (tail.epoch < epoch && tail.startOffset < startOffset) break
      entries.pop()
    }
    entries.push({ epoch, startOffset })
  }

  /**
   * Where the largest epoch ≤ `epoch` ends: the latest epoch ends at `logEndOffset`; an epoch
   * below the first known one ends where the first starts; past the latest is unknown
   * (Kafka's `endOffsetFor`).
   */
  endOffsetFor(epoch: number, logEndOffset: number): EpochEndOffset {
    const entries = this.#entries
    if (epoch === UNDEFINED_EPOCH || entries.length === 0) {
      return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_OFFSET }
    }
    const latest = entries[entries.length - 1] as LeaderEpochEntry
    if (epoch === latest.epoch) return { epoch, endOffset: logEndOffset }
    if (epoch > latest.epoch) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_OFFSET }
    // The first entry with an epoch above the one asked for, and the one before it.
    let i = 0
    while ((entries[i] as LeaderEpochEntry).epoch <= epoch) i++
    const higher = entries[i] as LeaderEpochEntry
    const floor = entries[i - 1]
    return { epoch: floor === undefined ? epoch : floor.epoch, endOffset: higher.startOffset }
  }

  /** The epoch that wrote `offset` (the last entry starting at or below it), or -1. */
  epochForOffset(offset: number): number {
    const entries = this.#entries
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i] as LeaderEpochEntry
      if (e.startOffset <= offset) return e.epoch
    }
    return UNDEFINED_EPOCH
  }

  /** Drop the entries starting at or past `endOffset` (the log was truncated there). */
  truncateFromEnd(endOffset: number): void {
    const entries = this.#entries
    while (
      entries.length > 0 &&
      (entries[entries.length - 1] as LeaderEpochEntry).startOffset >= endOffset
    ) {
      entries.pop()
    }
  }

  /**
   * The log now starts at `startOffset`: drop the entries wholly below it and move the one
   * holding it up to it (Kafka's `truncateFromStart`).
   */
  truncateFromStart(startOffset: number): void {
    const entries = this.#entries
    let keep = 0
    while (
      keep + 1 < entries.length &&
      (entries[keep + 1] as LeaderEpochEntry).startOffset <= startOffset
    ) {
      keep++
    }
    const first = entries[keep]
    if (first === undefined || first.startOffset >= startOffset) return
    entries.splice(0, keep + 1, { epoch: first.epoch, startOffset })
  }

  /** Forget every entry (the log was deleted and restarts empty). */
  clear(): void {
    this.#entries = []
  }

  /**
   * Add the epochs of the batches of `log` from `fromOffset` to its end, reading only batch
   * headers: how the cache is rebuilt when a log opens without (or past) a checkpoint. A
   * corrupt batch in a closed segment skips the rest of that segment: it is an error for
   * whoever reads it (`CORRUPT_MESSAGE`), as in Kafka, and does not keep the log from opening.
   */
  async scan(log: PartitionLog, fromOffset: number): Promise<void> {
    let from = Math.max(fromOffset, log.logStartOffset)
    while (from < log.logEndOffset) {
      let read: Awaited<ReturnType<PartitionLog['read']>>
      try {
        read = await log.read(from, { maxBytes: SCAN_BYTES })
      } catch (err) {
        const next = log.segmentBaseOffsets.find((b) => b > from)
        if (!isLogkeeperError(err, 'CORRUPT_MESSAGE') || next === undefined) throw err
        from = next
        continue
      }
      const bytes = read.bytes
      if (bytes.length === 0) break
      for (let pos = 0; pos < bytes.length; ) {
        const size = checkBatchFrame(bytes, pos)
        this.assign(readInt32(bytes, pos + BATCH.PARTITION_LEADER_EPOCH), readInt64(bytes, pos))
        pos += size
      }
      from = read.nextOffset
    }
  }
}

/**
 * What the partition log keeps in memory per segment: size, offsets, the largest timestamp,
 * and the sparse offset and time indexes in plain arrays of numbers (unboxed: 8 and 12 bytes
 * an entry, one entry per `index.interval.bytes`), offsets stored relative to the segment's
 * base. Plain arrays grow in the JS heap; typed arrays would allocate a new ArrayBuffer
 * (microseconds on a VM slow at first-touch memory) each time they double. Entries at or past
 * the counts (after `dropEntriesFrom`) are stale and overwritten.
 */
import type { SegmentIndexes } from '../storage/log-store.js'

/** The in-memory state of one segment. */
export class SegmentState {
  /** Bytes in the segment. */
  sizeBytes: number
  /**
   * One past the last offset held. Exact for the active segment and for segments written or
   * scanned in this session; for closed segments read back on open, the next segment's base
   * offset (an upper bound), see `endExact`.
   */
  endOffset: number
  /** Whether `endOffset` is exact. */
  endExact: boolean
  /** Largest batch max-timestamp seen in the segment (-1 when none is known). */
  maxTimestamp = -1
  /** Base offset of the batch holding `maxTimestamp`. */
  offsetOfMaxTimestamp: number
  /** When the segment was created or first seen (clock ms), for `segment.ms`. */
  createdMs: number
  /**
   * Bytes below this position were not CRC-checked in this session (a segment loaded as it was
   * left, not recovered): reads check theirs. 0 when every batch was appended or recovered here.
   */
  uncheckedBelow: number
  /** Bytes appended since the last offset-index entry. */
  bytesSinceIndex = 0

  readonly #relOffsets: number[] = []
  readonly #positions: number[] = []
  #indexCount = 0
  readonly #timestamps: number[] = []
  readonly #timeRelOffsets: number[] = []
  #timeCount = 0

  constructor(
    readonly baseOffset: number,
    options: {
      sizeBytes: number
      endOffset: number
      endExact: boolean
      createdMs: number
      uncheckedBelow: number
    },
  ) {
    this.sizeBytes = options.sizeBytes
    this.endOffset = options.endOffset
    this.endExact = options.endExact
    this.createdMs = options.createdMs
    this.uncheckedBelow = options.uncheckedBelow
    this.offsetOfMaxTimestamp = baseOffset
  }

  /** Number of offset-index entries. */
  get indexEntries(): number {
    return this.#indexCount
  }

  /** Number of time-index entries. */
  get timeEntries(): number {
    return this.#timeCount
  }

  /** Add an offset-index entry (ascending offsets and positions). */
  addOffsetEntry(offset: number, position: number): void {
    this.#relOffsets[this.#indexCount] = offset - this.baseOffset
    this.#positions[this.#indexCount++] = position
  }

  /** Add a time-index entry if `timestamp` exceeds the last one's; returns whether it did. */
  addTimeEntry(timestamp: number, offset: number): boolean {
    if (this.#timeCount > 0 && timestamp <= (this.#timestamps[this.#timeCount - 1] as number)) {
      return false
    }
    this.#timestamps[this.#timeCount] = timestamp
    this.#timeRelOffsets[this.#timeCount++] = offset - this.baseOffset
    return true
  }

  /** The timestamp of the last time-index entry, or -1. */
  get lastIndexedTimestamp(): number {
    return this.#timeCount === 0 ? -1 : (this.#timestamps[this.#timeCount - 1] as number)
  }

  /** Load entries read back from the store. */
  loadIndexes(indexes: SegmentIndexes): void {
    for (const e of indexes.offsets) this.addOffsetEntry(e.offset, e.position)
    for (const e of indexes.times) this.addTimeEntry(e.timestamp, e.offset)
    const lastTime = indexes.times[indexes.times.length - 1]
    if (lastTime !== undefined) {
      this.maxTimestamp = lastTime.timestamp
      this.offsetOfMaxTimestamp = lastTime.offset
    }
  }

  /** Position of the last indexed batch whose base offset is ≤ `offset` (0 when none). */
  floorPosition(offset: number): number {
    const i = this.#floor(this.#relOffsets, this.#indexCount, offset - this.baseOffset)
    return i < 0 ? 0 : (this.#positions[i] as number)
  }

  /** Offset of the last time entry whose timestamp is < `timestamp`, or the base offset. */
  offsetBeforeTimestamp(timestamp: number): number {
    let lo = 0
    let hi = this.#timeCount - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if ((this.#timestamps[mid] as number) < timestamp) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found < 0 ? this.baseOffset : this.baseOffset + (this.#timeRelOffsets[found] as number)
  }

  #floor(array: number[], count: number, target: number): number {
    let lo = 0
    let hi = count - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if ((array[mid] as number) <= target) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  /** Drop index entries at or past `offset` or `sizeBytes` (after a truncation). */
  dropEntriesFrom(offset: number, sizeBytes: number): void {
    const rel = offset - this.baseOffset
    while (
      this.#indexCount > 0 &&
      ((this.#relOffsets[this.#indexCount - 1] as number) >= rel ||
        (this.#positions[this.#indexCount - 1] as number) >= sizeBytes)
    ) {
      this.#indexCount--
    }
    while (this.#timeCount > 0 && (this.#timeRelOffsets[this.#timeCount - 1] as number) >= rel) {
      this.#timeCount--
    }
  }

  /** The entries as the store keeps them (absolute offsets). */
  indexes(): SegmentIndexes {
    const offsets = []
    for (let i = 0; i < this.#indexCount; i++) {
      offsets.push({
        offset: this.baseOffset + (this.#relOffsets[i] as number),
        position: this.#positions[i] as number,
      })
    }
    const times = []
    for (let i = 0; i < this.#timeCount; i++) {
      times.push({
        timestamp: this.#timestamps[i] as number,
        offset: this.baseOffset + (this.#timeRelOffsets[i] as number),
      })
    }
    return { offsets, times }
  }

  /** The position of the last offset-index entry, 0 when none. */
  get lastIndexedPosition(): number {
    return this.#indexCount === 0 ? 0 : (this.#positions[this.#indexCount - 1] as number)
  }
}

/**
 * What a store holds in memory for one segment: how many bytes are persisted, the appended
 * bytes not yet written (the tail), and the two indexes as dense buffers. Persistent stores
 * (files, abstract-level) share it through {@link BasePartitionStore}; only their way of
 * writing, reading and deleting differs.
 */
import {
  decodeOffsetIndex,
  decodeTimeIndex,
  IndexBuffer,
  MAX_INT32,
  OFFSET_ENTRY_BYTES,
  readOffsetEntry,
  readTimeEntry,
  TIME_ENTRY_BYTES,
  writeOffsetEntry,
  writeTimeEntry,
} from './index-file.js'
import type { OffsetIndexEntry, SegmentIndexes, TimeIndexEntry } from './log-store.js'
import { invalid } from './store-errors.js'
import { giveFillBuffer, takeFillBuffer } from './write-buffers.js'

/** The not-yet-persisted part of one index, as Kafka-format bytes. */
export interface IndexWrite {
  /** The entry number of the first entry in `bytes`. */
  readonly fromEntry: number
  /** The entries' bytes (copied). */
  readonly bytes: Buffer
}

/** Everything one flush writes for one segment. */
export interface SegmentWrite {
  readonly segment: SegmentState
  /** The segment's epoch when the write was taken: a truncation since voids the commit. */
  readonly epoch: number
  /** The segment does not exist in the store yet: create it (empty, then write). */
  readonly create: boolean
  /** The byte position at which `chunks` go (the persisted size). */
  readonly position: number
  /** The appended chunks, in order (views of fill buffers). */
  readonly chunks: readonly Buffer[]
  /** The fill buffers sealed by this write: recycled once it is committed. */
  readonly fills: readonly Buffer[]
  /** Their total length. */
  readonly bytes: number
  readonly offsetIndex: IndexWrite
  readonly timeIndex: IndexWrite
}

/** What a store holds of a segment, as sizes. */
export interface PersistedSizes {
  readonly bytes: number
  readonly offsetEntries: number
  readonly timeEntries: number
}

let nextSegmentId = 0

/** One segment's in-memory state. */
export class SegmentState {
  /** Unique in the process: keys caches, so a replaced segment never aliases its successor. */
  readonly id = nextSegmentId++
  /** Bumped by every truncation, so cached blocks of the old content are never served. */
  epoch = 0
  /** Set once the segment was deleted, truncated away or replaced. */
  deleted = false
  /** Its bytes go to the store through a queued replacement, not through flushes. */
  replacing = false
  /** Pending bytes as chunks, in order; the last may be a view of the open fill buffer. */
  tail: Buffer[] = []
  tailBytes = 0
  /**
   * Which of the store's files of this segment have writes not yet fsynced (bits the store
   * defines), so a flush with fsync syncs only those.
   */
  unsyncedFiles = 0
  /** The fill buffer appends are copied into (write-buffers.ts); `tail`'s last chunk views it. */
  #fill: Buffer | undefined
  #fillUsed = 0
  #fillChunkStart = 0
  /** Fill buffers with chunks in `tail` not yet taken by a write. */
  #fills: Buffer[] = []
  readonly offsets: IndexBuffer
  readonly times: IndexBuffer

  constructor(
    readonly baseOffset: number,
    /** Bytes in the store's durable copy. */
    public persistedBytes = 0,
    /** Whether the store has the segment at all (false after a roll, until the next flush). */
    public exists = false,
    offsetIndex?: Uint8Array,
    timeIndex?: Uint8Array,
  ) {
    this.offsets = new IndexBuffer(OFFSET_ENTRY_BYTES, offsetIndex)
    this.times = new IndexBuffer(TIME_ENTRY_BYTES, timeIndex)
  }

  /** Persisted and pending bytes. */
  get sizeBytes(): number {
    return this.persistedBytes + this.tailBytes
  }

  /**
   * Append a copy of `bytes` (into a recycled fill buffer, see write-buffers.ts); returns the
   * position where they start.
   */
  append(bytes: Uint8Array): number {
    const position = this.sizeBytes
    const n = bytes.length
    if (position + n > MAX_INT32) {
      throw invalid(`segment ${this.baseOffset} would exceed ${MAX_INT32} bytes`)
    }
    if (n === 0) return position
    const fill = this.#fill
    if (fill !== undefined && fill.length - this.#fillUsed >= n) {
      fill.set(bytes, this.#fillUsed)
      this.#fillUsed += n
      this.tail[this.tail.length - 1] = fill.subarray(this.#fillChunkStart, this.#fillUsed)
    } else {
      const fresh = takeFillBuffer(n)
      fresh.set(bytes, 0)
      this.#fill = fresh
      this.#fillUsed = n
      this.#fillChunkStart = 0
      this.#fills.push(fresh)
      this.tail.push(fresh.subarray(0, n))
    }
    this.tailBytes += n
    return position
  }

  /** Stop appending into the current fill buffer (its chunks are taken or dropped). */
  #seal(): Buffer[] {
    const fills = this.#fills
    this.#fill = undefined
    this.#fills = []
    return fills
  }

  /** Copy the pending bytes of `[from, to)` (absolute positions, `from >= persistedBytes`). */
  readTail(from: number, to: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, to - from))
    let chunkStart = this.persistedBytes
    for (const chunk of this.tail) {
      const chunkEnd = chunkStart + chunk.length
      if (chunkEnd > from && chunkStart < to) {
        const s = Math.max(from, chunkStart)
        const e = Math.min(to, chunkEnd)
        chunk.copy(out, s - from, s - chunkStart, e - chunkStart)
      }
      if (chunkEnd >= to) break
      chunkStart = chunkEnd
    }
    return out
  }

  /** Add an offset-index entry (validated against the segment and the last entry). */
  addOffsetEntry(entry: OffsetIndexEntry): void {
    this.#checkRelative(entry?.offset, 'offset index entry offset')
    const { position } = entry
    if (!Number.isSafeInteger(position) || position < 0 || position > MAX_INT32) {
      throw invalid(`offset index entry position must be 0..${MAX_INT32}, got ${String(position)}`)
    }
    const n = this.offsets.entries
    if (n > 0) {
      const last = readOffsetEntry(this.offsets.view(n - 1, n), 0, this.baseOffset)
      if (entry.offset <= last.offset || position < last.position) {
        throw invalid(
          `offset index entry (${entry.offset}, ${position}) must follow (${last.offset}, ${last.position})`,
        )
      }
    }
    const at = this.offsets.reserve()
    writeOffsetEntry(this.offsets.view(), at, this.baseOffset, entry)
  }

  /** Add a time-index entry; neither its timestamp nor its offset may go backwards. */
  addTimeEntry(entry: TimeIndexEntry): void {
    this.#checkRelative(entry?.offset, 'time index entry offset')
    const { timestamp } = entry
    if (!Number.isSafeInteger(timestamp)) {
      throw invalid(`time index entry timestamp must be a safe integer, got ${String(timestamp)}`)
    }
    const n = this.times.entries
    if (n > 0) {
      const last = readTimeEntry(this.times.view(n - 1, n), 0, this.baseOffset)
      if (entry.offset < last.offset || timestamp < last.timestamp) {
        throw invalid(
          `time index entry (${timestamp}, ${entry.offset}) goes back from (${last.timestamp}, ${last.offset})`,
        )
      }
    }
    const at = this.times.reserve()
    writeTimeEntry(this.times.view(), at, this.baseOffset, entry)
  }

  #checkRelative(offset: number, what: string): void {
    const relative = offset - this.baseOffset
    if (!Number.isSafeInteger(offset) || relative < 0 || relative > MAX_INT32) {
      throw invalid(
        `${what} must be in ${this.baseOffset}..${this.baseOffset + MAX_INT32}, got ${String(offset)}`,
      )
    }
  }

  /** Both indexes, decoded. */
  indexes(): SegmentIndexes {
    return {
      offsets: decodeOffsetIndex(this.offsets.view(), this.baseOffset),
      times: decodeTimeIndex(this.times.view(), this.baseOffset),
    }
  }

  /**
   * Cut to `sizeBytes` (at most the current size) and drop index entries at or past
   * `keepOffsetsBelow`. Persisted state shrinks with it; the store then cuts its copy to
   * {@link persistedBytes} and the indexes' `persistedEntries`.
   */
  cut(sizeBytes: number, keepOffsetsBelow: number): void {
    if (sizeBytes < this.persistedBytes) {
      this.persistedBytes = sizeBytes
      this.tail = []
      this.tailBytes = 0
      this.#seal()
    } else if (sizeBytes < this.sizeBytes) {
      const kept = this.readTail(this.persistedBytes, sizeBytes)
      this.tail = kept.length > 0 ? [kept] : []
      this.tailBytes = kept.length
      this.#seal()
    }
    this.offsets.truncateTo(countBelow(this.offsets, keepOffsetsBelow - this.baseOffset, 0))
    this.times.truncateTo(countBelow(this.times, keepOffsetsBelow - this.baseOffset, 8))
    this.epoch++
  }

  /** Whether a flush has anything to write for this segment. */
  get dirty(): boolean {
    if (this.replacing) return false
    return (
      !this.exists ||
      this.tailBytes > 0 ||
      this.offsets.persistedEntries < this.offsets.entries ||
      this.times.persistedEntries < this.times.entries
    )
  }

  /** Snapshot what is pending, for a flush. */
  takeWrite(): SegmentWrite {
    const chunks = this.tail.slice()
    return {
      segment: this,
      epoch: this.epoch,
      create: !this.exists,
      position: this.persistedBytes,
      chunks,
      fills: this.#seal(),
      bytes: this.tailBytes,
      offsetIndex: pendingIndex(this.offsets),
      timeIndex: pendingIndex(this.times),
    }
  }

  /**
   * Record that a write taken by {@link takeWrite} reached the store, and recycle its fill
   * buffers (no pending chunk views them any more). A write voided by a truncation or deletion
   * since commits nothing and recycles nothing.
   */
  commitWrite(write: SegmentWrite): void {
    if (write.epoch !== this.epoch || this.deleted) return
    this.exists = true
    this.persistedBytes += write.bytes
    this.tail.splice(0, write.chunks.length)
    this.tailBytes -= write.bytes
    this.offsets.persistedEntries = write.offsetIndex.fromEntry + write.offsetIndex.bytes.length / 8
    this.times.persistedEntries = write.timeIndex.fromEntry + write.timeIndex.bytes.length / 12
    for (const fill of write.fills) giveFillBuffer(fill)
  }
}

function pendingIndex(index: IndexBuffer): IndexWrite {
  const fromEntry = index.persistedEntries
  return { fromEntry, bytes: Buffer.from(index.view(fromEntry)) }
}

/** How many leading entries have a relative offset (int32 at `field`) below `relative`. */
function countBelow(index: IndexBuffer, relative: number, field: number): number {
  const bytes = index.view()
  let n = 0
  while (n < index.entries && bytes.readInt32BE(n * index.entryBytes + field) < relative) n++
  return n
}

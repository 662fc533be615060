/**
 * The in-memory {@link LogStore}: segments live in pages of bytes, nothing touches a disk.
 * Data outlives a partition's `close()` (reopening the same partition of the same store finds
 * it again, as a disk store would), and goes with `deletePartition` or the store's `close()`.
 *
 * Appended bytes are copied into pages (16 KiB, doubling to 1 MiB per segment); a batch never
 * spans two pages, so reading one is a zero-copy view. A page is never written again once a
 * truncation cut into it, so views handed out earlier stay unchanged. On roll, the old active
 * segment's last page is shrunk to fit. Per batch the store keeps nothing but its bytes.
 * With `copyOnAppend: false` each appended buffer is kept as it is, as its own page.
 *
 * For crash tests, {@link MemoryPartitionStore.tamper} changes stored bytes behind the log's back.
 */
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { toNonNegativeInt } from '../common/validate.js'
import type {
  FlushOptions,
  LogStore,
  OffsetIndexEntry,
  PartitionStore,
  SegmentIndexes,
  SegmentMeta,
  TimeIndexEntry,
  TopicPartition,
} from './log-store.js'

const FIRST_PAGE_BYTES = 16 * 1024
const MAX_PAGE_BYTES = 1024 * 1024

/**
 * The bytes of one segment as pages, in parallel arrays (no object per page, so zero-copy mode
 * costs two array slots per batch). Page `i` covers positions `[starts[i], starts[i] + used[i])`.
 * Only the last page may take more bytes, and only while `lastOpen`.
 */
class MemorySegment {
  readonly pages: Buffer[] = []
  /** Typed, so zero-copy appends push one pointer only. */
  starts: Float64Array = new Float64Array(16)
  used: Float64Array = new Float64Array(16)
  lastOpen = false
  sizeBytes = 0
  /** Flattened [offset, position] pairs. */
  offsets: number[] = []
  /** Flattened [timestamp, offset] pairs. */
  times: number[] = []

  constructor(
    readonly baseOffset: number,
    readonly copy = true,
  ) {}

  append(bytes: Uint8Array): number {
    const position = this.sizeBytes
    const n = bytes.length
    this.sizeBytes += n
    if (!this.copy) {
      this.#push(
        Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, n),
        position,
        n,
      )
      this.lastOpen = false
      return position
    }
    const last = this.pages.length - 1
    if (this.lastOpen && (this.pages[last] as Buffer).length - (this.used[last] as number) >= n) {
      ;(this.pages[last] as Buffer).set(bytes, this.used[last] as number)
      this.used[last] = (this.used[last] as number) + n
      return position
    }
    const grown =
      last < 0
        ? FIRST_PAGE_BYTES
        : Math.min((this.pages[last] as Buffer).length * 2, MAX_PAGE_BYTES)
    const page = Buffer.allocUnsafeSlow(Math.max(grown, n))
    page.set(bytes, 0)
    this.#push(page, position, n)
    this.lastOpen = true
    return position
  }

  #push(page: Buffer, start: number, used: number): void {
    const i = this.pages.length
    if (i === this.starts.length) {
      this.starts = grown(this.starts)
      this.used = grown(this.used)
    }
    this.pages.push(page)
    this.starts[i] = start
    this.used[i] = used
  }

  /** Copy the last page down to its used size (the segment is no longer active). */
  shrink(): void {
    const last = this.pages.length - 1
    if (last < 0 || !this.lastOpen) return
    const used = this.used[last] as number
    const fitted = Buffer.allocUnsafeSlow(used)
    fitted.set((this.pages[last] as Buffer).subarray(0, used))
    this.pages[last] = fitted
    this.lastOpen = false
  }

  #pageAt(position: number): number {
    let lo = 0
    let hi = this.pages.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if ((this.starts[mid] as number) <= position) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  #slice(i: number, from: number, to: number): Buffer {
    const start = this.starts[i] as number
    return (this.pages[i] as Buffer).subarray(from - start, to - start)
  }

  read(position: number, length: number): Buffer {
    const end = Math.min(this.sizeBytes, position + length)
    if (position >= end) return Buffer.alloc(0)
    let i = this.#pageAt(position)
    if (end <= (this.starts[i] as number) + (this.used[i] as number))
      return this.#slice(i, position, end)
    const parts: Buffer[] = []
    for (let pos = position; pos < end; i++) {
      const to = Math.min(end, (this.starts[i] as number) + (this.used[i] as number))
      parts.push(this.#slice(i, pos, to))
      pos = to
    }
    return Buffer.concat(parts, end - position)
  }

  truncate(sizeBytes: number, keepOffsetsBelow: number): void {
    if (sizeBytes >= this.sizeBytes) return
    const i = this.#pageAt(sizeBytes)
    const keep = sizeBytes === this.starts[i] && i > 0 ? i : i + 1
    this.pages.length = keep
    this.used[keep - 1] = Math.min(
      this.used[keep - 1] as number,
      sizeBytes - (this.starts[keep - 1] as number),
    )
    this.lastOpen = false // bytes handed out by reads past the cut must never be overwritten
    this.sizeBytes = sizeBytes
    this.offsets = keepPairs(
      this.offsets,
      (offset, position) => offset < keepOffsetsBelow && position < sizeBytes,
    )
    this.times = keepPairs(this.times, (_, offset) => offset < keepOffsetsBelow)
  }

  indexes(): SegmentIndexes {
    const offsets: OffsetIndexEntry[] = []
    for (let i = 0; i < this.offsets.length; i += 2) {
      offsets.push({ offset: this.offsets[i] as number, position: this.offsets[i + 1] as number })
    }
    const times: TimeIndexEntry[] = []
    for (let i = 0; i < this.times.length; i += 2) {
      times.push({ timestamp: this.times[i] as number, offset: this.times[i + 1] as number })
    }
    return { offsets, times }
  }
}

function grown(array: Float64Array): Float64Array {
  const bigger = new Float64Array(array.length * 2)
  bigger.set(array)
  return bigger
}

function keepPairs(pairs: number[], keep: (a: number, b: number) => boolean): number[] {
  const out: number[] = []
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i] as number
    const b = pairs[i + 1] as number
    if (keep(a, b)) out.push(a, b)
  }
  return out
}

/** The stored state of one partition: its segments, kept across close and reopen. */
class PartitionData {
  segments: MemorySegment[] = []
  constructor(readonly copy: boolean) {}
}

/** Changes to stored bytes that bypass the log: for torn-tail and bit-rot tests only. */
export interface MemoryTamper {
  /** Cut a segment to `sizeBytes`, leaving its indexes alone (a torn write). */
  cut(baseOffset: number, sizeBytes: number): void
  /** Flip bit `bit` (0–7) of the byte at `position` of a segment. */
  flipBit(baseOffset: number, position: number, bit?: number): void
  /** Append raw bytes to a segment (garbage after the last batch). */
  appendRaw(baseOffset: number, bytes: Uint8Array): void
}

/** The {@link PartitionStore} of a {@link MemoryLogStore}. */
export class MemoryPartitionStore implements PartitionStore {
  #closed = false

  constructor(
    readonly topicPartition: TopicPartition,
    readonly data: PartitionData,
  ) {}

  #check(): void {
    if (this.#closed) throw fromCode('CLOSED', 'the partition store is closed')
  }

  #segment(baseOffset: number): MemorySegment {
    const segments = this.data.segments
    const last = segments[segments.length - 1]
    if (last !== undefined && last.baseOffset === baseOffset) return last
    const seg = segments.find((s) => s.baseOffset === baseOffset)
    if (seg === undefined) {
      throw new InvalidArgumentError(`no segment at base offset ${baseOffset}`)
    }
    return seg
  }

  #active(): MemorySegment {
    const seg = this.data.segments[this.data.segments.length - 1]
    if (seg === undefined) throw new InvalidArgumentError('no active segment: roll first')
    return seg
  }

  segments(): readonly SegmentMeta[] {
    this.#check()
    return this.data.segments.map((s) => ({ baseOffset: s.baseOffset, sizeBytes: s.sizeBytes }))
  }

  roll(baseOffset: number): void {
    this.#check()
    const last = this.data.segments[this.data.segments.length - 1]
    if (last !== undefined && baseOffset <= last.baseOffset) {
      throw new InvalidArgumentError(`roll to ${baseOffset}: not after segment ${last.baseOffset}`)
    }
    last?.shrink()
    this.data.segments.push(new MemorySegment(baseOffset, this.data.copy))
  }

  append(bytes: Uint8Array): number {
    this.#check()
    return this.#active().append(bytes)
  }

  appendOffsetIndex(baseOffset: number, entry: OffsetIndexEntry): void {
    this.#check()
    this.#segment(baseOffset).offsets.push(entry.offset, entry.position)
  }

  appendTimeIndex(baseOffset: number, entry: TimeIndexEntry): void {
    this.#check()
    this.#segment(baseOffset).times.push(entry.timestamp, entry.offset)
  }

  async readIndexes(baseOffset: number): Promise<SegmentIndexes> {
    this.#check()
    return this.#segment(baseOffset).indexes()
  }

  async read(baseOffset: number, position: number, length: number): Promise<Uint8Array> {
    this.#check()
    const seg = this.#segment(baseOffset)
    return seg.read(toNonNegativeInt(position, 'position'), toNonNegativeInt(length, 'length'))
  }

  async truncate(baseOffset: number, sizeBytes: number, keepOffsetsBelow: number): Promise<void> {
    this.#check()
    const seg = this.#segment(baseOffset)
    seg.truncate(toNonNegativeInt(sizeBytes, 'sizeBytes'), keepOffsetsBelow)
    this.data.segments = this.data.segments.filter((s) => s.baseOffset <= baseOffset)
  }

  async deleteSegments(baseOffsets: readonly number[]): Promise<void> {
    this.#check()
    const gone = new Set(baseOffsets)
    this.data.segments = this.data.segments.filter((s) => !gone.has(s.baseOffset))
  }

  async replaceSegments(
    replaced: readonly number[],
    baseOffset: number,
    bytes: Uint8Array,
    indexes: SegmentIndexes,
  ): Promise<void> {
    this.#check()
    const active = this.#active()
    if (replaced.includes(active.baseOffset) || baseOffset >= active.baseOffset) {
      throw new InvalidArgumentError('replaceSegments must not touch the active segment')
    }
    const seg = new MemorySegment(baseOffset, this.data.copy)
    seg.append(bytes)
    seg.shrink()
    for (const e of indexes.offsets) seg.offsets.push(e.offset, e.position)
    for (const e of indexes.times) seg.times.push(e.timestamp, e.offset)
    const gone = new Set(replaced)
    const kept = this.data.segments.filter(
      (s) => !gone.has(s.baseOffset) && s.baseOffset !== baseOffset,
    )
    kept.push(seg)
    this.data.segments = kept.sort((a, b) => a.baseOffset - b.baseOffset)
  }

  async flush(_options: FlushOptions): Promise<void> {
    this.#check()
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  /** Bytes reserved by pages (used plus free room in the active pages). */
  get reservedBytes(): number {
    let total = 0
    for (const s of this.data.segments) for (const p of s.pages) total += p.length
    return total
  }

  /** Test hooks that change stored bytes behind the log's back. */
  get tamper(): MemoryTamper {
    return {
      cut: (base, size) => this.#segment(base).truncate(size, Number.MAX_SAFE_INTEGER),
      flipBit: (base, position, bit = 0) => {
        const seg = this.#segment(base)
        const view = seg.read(position, 1)
        if (view.length !== 1) throw new InvalidArgumentError(`no byte at ${position}`)
        view[0] = (view[0] as number) ^ (1 << bit)
      },
      appendRaw: (base, bytes) => void this.#segment(base).append(bytes),
    }
  }
}

/** Options of {@link MemoryLogStore}. */
export interface MemoryLogStoreOptions {
  /**
   * Copy appended bytes into the store's pages (default true). `false` keeps the caller's
   * buffers as they are (zero-copy, a little faster): the caller hands them over and must never
   * change or reuse them, or stored batches change with them.
   */
  copyOnAppend?: boolean
}

function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`
}

/**
 * A {@link LogStore} in memory: the default for `createCluster()` without a directory, and
 * the reference the other stores are tested against.
 */
export class MemoryLogStore implements LogStore {
  readonly kind = 'memory'
  readonly #copy: boolean
  readonly #partitions = new Map<string, { tp: TopicPartition; data: PartitionData }>()
  readonly #open = new Map<string, MemoryPartitionStore>()
  #closed = false

  constructor(options: MemoryLogStoreOptions = {}) {
    this.#copy = options.copyOnAppend !== false
  }

  #check(): void {
    if (this.#closed) throw fromCode('CLOSED', 'the log store is closed')
  }

  async openPartition(tp: TopicPartition): Promise<MemoryPartitionStore> {
    this.#check()
    const key = keyOf(tp)
    let entry = this.#partitions.get(key)
    if (entry === undefined) {
      entry = {
        tp: { topic: tp.topic, partition: tp.partition },
        data: new PartitionData(this.#copy),
      }
      this.#partitions.set(key, entry)
    }
    const store = new MemoryPartitionStore(entry.tp, entry.data)
    this.#open.set(key, store)
    return store
  }

  async listPartitions(): Promise<TopicPartition[]> {
    this.#check()
    return [...this.#partitions.values()].map((e) => e.tp)
  }

  async deletePartition(tp: TopicPartition): Promise<void> {
    this.#check()
    const key = keyOf(tp)
    await this.#open.get(key)?.close()
    this.#open.delete(key)
    this.#partitions.delete(key)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const store of this.#open.values()) await store.close()
    this.#open.clear()
    this.#partitions.clear()
  }
}

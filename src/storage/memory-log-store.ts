/**
 * The in-memory {@link LogStore}: segments live in pages of bytes, nothing touches a disk.
 * Data outlives a partition's `close()` (reopening the same partition of the same store finds
 * it again, as a disk store would), and goes with `deletePartition` or the store's `close()`.
 *
 * Appended bytes are copied into pages (16 KiB, doubling to 1 MiB per segment); a batch never
 * spans two pages, so reading one is a zero-copy view. A page is never written again once a
 * truncation cut into it, so views handed out earlier stay unchanged. On roll, the old active
 * segment's last page is shrunk to fit. Per batch the store keeps nothing but its bytes.
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

interface Page {
  /** Position in the segment of the page's first byte. */
  readonly start: number
  bytes: Buffer
  used: number
  /** No more appends into this page (a truncation cut it, or it was shrunk). */
  sealed: boolean
}

class MemorySegment {
  readonly pages: Page[] = []
  sizeBytes = 0
  /** Flattened [offset, position] pairs. */
  offsets: number[] = []
  /** Flattened [timestamp, offset] pairs. */
  times: number[] = []

  constructor(readonly baseOffset: number) {}

  append(bytes: Uint8Array): number {
    const position = this.sizeBytes
    let page = this.pages[this.pages.length - 1]
    if (page === undefined || page.sealed || page.bytes.length - page.used < bytes.length) {
      page = this.#newPage(bytes.length)
    }
    page.bytes.set(bytes, page.used)
    page.used += bytes.length
    this.sizeBytes += bytes.length
    return position
  }

  #newPage(minBytes: number): Page {
    const last = this.pages[this.pages.length - 1]
    if (last !== undefined) last.sealed = true
    const grown =
      last === undefined ? FIRST_PAGE_BYTES : Math.min(last.bytes.length * 2, MAX_PAGE_BYTES)
    const page = {
      start: this.sizeBytes,
      bytes: Buffer.allocUnsafeSlow(Math.max(grown, minBytes)),
      used: 0,
      sealed: false,
    }
    this.pages.push(page)
    return page
  }

  /** Copy the last page down to its used size (the segment is no longer active). */
  shrink(): void {
    const last = this.pages[this.pages.length - 1]
    if (last === undefined || last.used === last.bytes.length) return
    const fitted = Buffer.allocUnsafeSlow(last.used)
    fitted.set(last.bytes.subarray(0, last.used))
    last.bytes = fitted
    last.sealed = true
  }

  #pageAt(position: number): number {
    let lo = 0
    let hi = this.pages.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if ((this.pages[mid] as Page).start <= position) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  read(position: number, length: number): Buffer {
    const end = Math.min(this.sizeBytes, position + length)
    if (position >= end) return Buffer.alloc(0)
    let i = this.#pageAt(position)
    const first = this.pages[i] as Page
    if (end <= first.start + first.used) {
      return first.bytes.subarray(position - first.start, end - first.start)
    }
    const parts: Buffer[] = []
    for (let pos = position; pos < end; i++) {
      const page = this.pages[i] as Page
      const to = Math.min(end, page.start + page.used)
      parts.push(page.bytes.subarray(pos - page.start, to - page.start))
      pos = to
    }
    return Buffer.concat(parts, end - position)
  }

  truncate(sizeBytes: number, keepOffsetsBelow: number): void {
    if (sizeBytes >= this.sizeBytes) return
    const i = this.#pageAt(sizeBytes)
    const page = this.pages[i] as Page
    this.pages.length = sizeBytes === page.start && i > 0 ? i : i + 1
    const last = this.pages[this.pages.length - 1] as Page
    last.used = Math.min(last.used, sizeBytes - last.start)
    last.sealed = true
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
    const seg = this.data.segments.find((s) => s.baseOffset === baseOffset)
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
    this.data.segments.push(new MemorySegment(baseOffset))
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
    const seg = new MemorySegment(baseOffset)
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
    for (const s of this.data.segments) for (const p of s.pages) total += p.bytes.length
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

function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`
}

/**
 * A {@link LogStore} in memory: the default for `createCluster()` without a directory, and
 * the reference the other stores are tested against.
 */
export class MemoryLogStore implements LogStore {
  readonly kind = 'memory'
  readonly #partitions = new Map<string, { tp: TopicPartition; data: PartitionData }>()
  readonly #open = new Map<string, MemoryPartitionStore>()
  #closed = false

  #check(): void {
    if (this.#closed) throw fromCode('CLOSED', 'the log store is closed')
  }

  async openPartition(tp: TopicPartition): Promise<MemoryPartitionStore> {
    this.#check()
    const key = keyOf(tp)
    let entry = this.#partitions.get(key)
    if (entry === undefined) {
      entry = { tp: { topic: tp.topic, partition: tp.partition }, data: new PartitionData() }
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

/**
 * The in-memory {@link LogStore}: segments live in pages of bytes, nothing touches a disk.
 * Data outlives a partition's `close()` (reopening the same partition of the same store finds
 * it again, as a disk store would), and goes with `deletePartition` or the store's `close()`.
 *
 * Appended bytes are copied into pages (16 KiB, doubling to 1 MiB per segment), except large
 * batches handed over by the partition log, kept as they are (see `memory-segment.ts` and
 * {@link MemoryLogStoreOptions.copyOnAppend}); a batch never spans two pages, so reading one
 * is a zero-copy view, and {@link MemoryPartitionStore.spanAt} lets the log read without a
 * promise. A page is never written again once a truncation cut into it, so views handed out
 * earlier stay unchanged. On roll, the old active segment's last page is shrunk to fit. Per
 * batch the store keeps nothing but its bytes (and, for a kept batch, its Buffer object).
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
  SegmentSpan,
  TimeIndexEntry,
  TopicPartition,
} from './log-store.js'
import { type CopyMode, MemorySegment } from './memory-segment.js'

/** The stored state of one partition: its segments, kept across close and reopen. */
class PartitionData {
  segments: MemorySegment[] = []
  constructor(readonly mode: CopyMode) {}
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

  /** @internal {@link MemoryLogStore.openPartition} makes these. */
  constructor(
    readonly topicPartition: TopicPartition,
    /** @internal */
    readonly data: PartitionData,
  ) {}

  #check(): void {
    if (this.#closed) throw fromCode('CLOSED', 'the partition store is closed')
  }

  #segment(baseOffset: number): MemorySegment {
    const segments = this.data.segments
    let lo = 0
    let hi = segments.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const seg = segments[mid] as MemorySegment
      if (seg.baseOffset === baseOffset) return seg
      if (seg.baseOffset < baseOffset) lo = mid + 1
      else hi = mid - 1
    }
    throw new InvalidArgumentError(`no segment at base offset ${baseOffset}`)
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
    this.data.segments.push(new MemorySegment(baseOffset, this.data.mode))
  }

  append(bytes: Uint8Array, handOver = false): number {
    if (this.#closed) this.#check()
    return this.#active().append(bytes, handOver)
  }

  /** The segment at `baseOffset`, the active one first (where appends index). */
  #indexed(baseOffset: number): MemorySegment {
    const segments = this.data.segments
    const last = segments[segments.length - 1]
    return last !== undefined && last.baseOffset === baseOffset ? last : this.#segment(baseOffset)
  }

  appendOffsetIndex(baseOffset: number, entry: OffsetIndexEntry): void {
    if (this.#closed) this.#check()
    const offsets = this.#indexed(baseOffset).offsets
    offsets.push(entry.offset)
    offsets.push(entry.position)
  }

  appendTimeIndex(baseOffset: number, entry: TimeIndexEntry): void {
    if (this.#closed) this.#check()
    const times = this.#indexed(baseOffset).times
    times.push(entry.timestamp)
    times.push(entry.offset)
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

  spanAt(baseOffset: number, position: number): SegmentSpan | undefined {
    this.#check()
    return this.#segment(baseOffset).spanAt(position)
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
    const seg = new MemorySegment(baseOffset, this.data.mode === 'never' ? 'never' : 'always')
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
   * Whether appended bytes are copied into the store's pages.
   *
   * - default (unset): copied, except a batch the partition log hands over (its `append` takes
   *   ownership of the batch) that is at least 4 KiB and the sole user of its `ArrayBuffer`:
   *   that one is kept as it is (zero-copy). Small batches are copied into large pages, which
   *   keeps a log of small batches dense (no JS object per batch).
   * - `true`: always copied.
   * - `false`: every appended buffer kept as it is (zero-copy): the caller hands it over and
   *   must never change or reuse it, or stored batches change with it.
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
  readonly #mode: CopyMode
  readonly #partitions = new Map<string, { tp: TopicPartition; data: PartitionData }>()
  readonly #open = new Map<string, MemoryPartitionStore>()
  #closed = false

  /** An empty store; see {@link MemoryLogStoreOptions} for how appended bytes are kept. */
  constructor(options: MemoryLogStoreOptions = {}) {
    const copy = options.copyOnAppend
    this.#mode = copy === undefined ? 'small' : copy ? 'always' : 'never'
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
        data: new PartitionData(this.#mode),
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

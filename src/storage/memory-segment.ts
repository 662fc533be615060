/**
 * One segment of the {@link MemoryLogStore}: its bytes as pages, in parallel arrays (no object
 * per page). Page `i` covers positions `[starts[i], starts[i] + used[i])`; only the last page
 * may take more bytes, and only while `lastOpen`.
 *
 * A batch is copied into the open page (pages of 16 KiB doubling to 1 MiB), or kept as it is
 * as its own page (zero-copy) when the caller hands it over and the copy mode allows:
 *
 * - `'small'` (default): kept when handed over, at least {@link ADOPT_MIN_BYTES} long and the
 *   sole user of its `ArrayBuffer` (not a slice of Node's shared Buffer pool, not a view into a
 *   larger buffer, which would keep that whole buffer alive); small batches are copied, so a log
 *   of small batches stays a few large pages rather than one JS object per batch;
 * - `'always'`: every batch copied;
 * - `'never'`: every batch kept as given.
 *
 * Either way a batch never spans two pages, so reading one is a zero-copy view, and every
 * page's memory is marked with {@link holdBytes} so the partition log never patches it.
 */
import { holdBytes, holdMemory } from './held-bytes.js'
import type { OffsetIndexEntry, SegmentIndexes, SegmentSpan, TimeIndexEntry } from './log-store.js'

/** See the module comment. */
export type CopyMode = 'small' | 'always' | 'never'

/** The smallest handed-over batch the `'small'` mode keeps without copying. */
export const ADOPT_MIN_BYTES = 4096

const FIRST_PAGE_BYTES = 16 * 1024
const MAX_PAGE_BYTES = 1024 * 1024

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
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

/** The bytes and index entries of one in-memory segment. */
export class MemorySegment {
  readonly pages: Buffer[] = []
  /**
   * Plain arrays of small integers (4 bytes an entry, unboxed), parallel to `pages`: they grow
   * in the JS heap, where a typed array would allocate a new ArrayBuffer (microseconds) as it
   * doubles. Entries past `pages.length` (after a truncation) are stale.
   */
  readonly starts: number[] = []
  readonly used: number[] = []
  lastOpen = false
  sizeBytes = 0
  /** Flattened [offset, position] pairs. */
  offsets: number[] = []
  /** Flattened [timestamp, offset] pairs. */
  times: number[] = []
  /** Size of the last page allocated for copies (pages double up to 1 MiB). */
  #copyPageBytes = 0

  constructor(
    readonly baseOffset: number,
    readonly mode: CopyMode = 'small',
  ) {}

  /** Append `bytes` (kept or copied, see the module comment); returns their position. */
  append(bytes: Uint8Array, handOver = false): number {
    const position = this.sizeBytes
    const n = bytes.length
    this.sizeBytes = position + n
    const mode = this.mode
    if (mode === 'never' || (handOver && mode === 'small' && n >= ADOPT_MIN_BYTES)) {
      // Kept when the batch is the sole user of its ArrayBuffer (read once: `buffer` is a getter).
      const memory = bytes.buffer
      if (mode === 'never' || (bytes.byteOffset === 0 && n === memory.byteLength)) {
        if (this.lastOpen) this.#close(true)
        holdMemory(memory)
        this.#push(asBuffer(bytes), position, n)
        return position
      }
    }
    const last = this.pages.length - 1
    if (this.lastOpen) {
      const page = this.pages[last] as Buffer
      const used = this.used[last] as number
      if (page.length - used >= n) {
        page.set(bytes, used)
        this.used[last] = used + n
        return position
      }
    }
    if (this.lastOpen) this.#close(false)
    const size = Math.min(Math.max(this.#copyPageBytes * 2, FIRST_PAGE_BYTES), MAX_PAGE_BYTES)
    const page = Buffer.allocUnsafeSlow(Math.max(size, n))
    this.#copyPageBytes = size
    holdBytes(page)
    page.set(bytes, 0)
    this.#push(page, position, n)
    this.lastOpen = true
    return position
  }

  /**
   * Stop filling the open page; shrink it when less than half used (so pages interleaved with
   * kept batches waste little). `restart`: the next copy page starts small again.
   */
  #close(restart: boolean): void {
    const last = this.pages.length - 1
    if ((this.used[last] as number) * 2 < (this.pages[last] as Buffer).length) this.shrink()
    this.lastOpen = false
    if (restart) this.#copyPageBytes = 0
  }

  #push(page: Buffer, start: number, used: number): void {
    const i = this.pages.length
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
    holdBytes(fitted)
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

  /** The page holding `position`, or undefined past the end. */
  spanAt(position: number): SegmentSpan | undefined {
    if (!(position >= 0 && position < this.sizeBytes)) return undefined
    const i = this.#pageAt(position)
    const start = this.starts[i] as number
    return { bytes: this.pages[i] as Buffer, start, end: start + (this.used[i] as number) }
  }

  /** Bytes `[position, position + length)`: a view within one page, else a copy. */
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

  /** Cut to `sizeBytes`; drop index entries at or past `keepOffsetsBelow`. */
  truncate(sizeBytes: number, keepOffsetsBelow: number): void {
    if (sizeBytes >= this.sizeBytes) return
    const i = this.#pageAt(sizeBytes)
    const keep = sizeBytes === this.starts[i] && i > 0 ? i : i + 1
    this.pages.length = keep
    this.starts.length = keep
    this.used.length = keep
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

  /** The index entries as objects. */
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

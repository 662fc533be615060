/**
 * A small LRU cache of fixed-size blocks read from closed segments, bounded in bytes. Only
 * whole blocks inside a segment's persisted bytes are cached, and keys carry the segment's id
 * and truncation epoch, so a cached block is never stale.
 */

/** Cached blocks by `segmentId:epoch:block`. */
export class BlockCache {
  readonly #blocks = new Map<string, Buffer>()
  #bytes = 0

  constructor(
    /** Bytes per block. */
    readonly blockBytes = 64 * 1024,
    /** Total bytes kept; 0 disables the cache. */
    readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  /** The block, if cached (and mark it recently used). */
  get(key: string): Buffer | undefined {
    const block = this.#blocks.get(key)
    if (block) {
      this.#blocks.delete(key)
      this.#blocks.set(key, block)
    }
    return block
  }

  /** Cache a block, evicting the least recently used ones beyond the bound. */
  set(key: string, block: Buffer): void {
    if (block.length > this.maxBytes || this.#blocks.has(key)) return
    this.#blocks.set(key, block)
    this.#bytes += block.length
    for (const [k, b] of this.#blocks) {
      if (this.#bytes <= this.maxBytes) break
      this.#blocks.delete(k)
      this.#bytes -= b.length
    }
  }

  /** Bytes cached now. */
  get sizeBytes(): number {
    return this.#bytes
  }
}

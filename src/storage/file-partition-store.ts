/**
 * One partition as Kafka's segment files in `<dir>/<topic>-<partition>/`. Appends stay in
 * memory until a flush, which writes each file's pending chunks with one `writev` (the `.log`
 * files first, so that after a process crash an index never points past its log) and fsyncs
 * when asked. Persisted bytes are read back with positional reads through the store's shared
 * {@link FdPool}, small reads through its {@link BlockCache}.
 */
import { mkdir } from 'node:fs/promises'
import { sep } from 'node:path'
import { BasePartitionStore } from './base-partition-store.js'
import type { BlockCache } from './block-cache.js'
import type { FdPool } from './fd-pool.js'
import { fsyncDir, isNoEntry, readFully, unlinkQuietly, writevAll } from './file-io.js'
import { recoverReplace, replaceSegmentFiles } from './file-replace.js'
import { OFFSET_ENTRY_BYTES, TIME_ENTRY_BYTES } from './index-file.js'
import type { TopicPartition } from './log-store.js'
import { segmentPaths } from './segment-file.js'
import { loadSegments } from './segment-loader.js'
import type { IndexWrite, PersistedSizes, SegmentState, SegmentWrite } from './segment-state.js'
import { invalid } from './store-errors.js'

/** Bits of `SegmentState.unsyncedFiles`: which of a segment's files await an fsync. */
const FILE = { LOG: 1, INDEX: 2, TIME_INDEX: 4 } as const

/** What a file partition store shares with its {@link FileLogStore}. */
export interface FilePartitionContext {
  readonly pool: FdPool
  readonly cache: BlockCache
  /** See {@link FileLogStoreOptions.writeBehind}. */
  readonly writeBehind: boolean
  /** Called once the partition store has closed. */
  readonly onClosed: (store: FilePartitionStore) => void
}

/** A {@link PartitionStore} over one partition directory. */
export class FilePartitionStore extends BasePartitionStore {
  /** Names were created or removed since the directory was last fsynced. */
  #dirDirty = false

  private constructor(
    tp: TopicPartition,
    /** The partition's directory. */
    readonly dir: string,
    segments: SegmentState[],
    private readonly ctx: FilePartitionContext,
  ) {
    super(tp, segments, ctx.writeBehind)
  }

  /**
   * Open (creating if absent) the partition directory `dir` and load its segments.
   *
   * @internal {@link FileLogStore.openPartition} is the public way in.
   */
  static async open(
    tp: TopicPartition,
    dir: string,
    ctx: FilePartitionContext,
  ): Promise<FilePartitionStore> {
    await mkdir(dir, { recursive: true })
    await recoverReplace(dir, ctx.pool)
    return new FilePartitionStore(tp, dir, await loadSegments(dir), ctx)
  }

  /** @internal */
  protected async _read(seg: SegmentState, position: number, length: number): Promise<Buffer> {
    const { cache } = this.ctx
    if (length > cache.blockBytes || cache.maxBytes === 0) {
      return this.#readRange(seg, position, length)
    }
    const out = Buffer.allocUnsafe(length)
    let filled = 0
    const end = position + length
    for (let b = Math.floor(position / cache.blockBytes); filled < length; b++) {
      const blockStart = b * cache.blockBytes
      const block = await this.#block(seg, b)
      const from = position + filled - blockStart
      if (from < block.length) {
        filled += block.copy(out, filled, from, Math.min(block.length, end - blockStart))
      }
      if (block.length < Math.min(cache.blockBytes, seg.persistedBytes - blockStart)) break
    }
    return filled === length ? out : out.subarray(0, filled)
  }

  async #block(seg: SegmentState, block: number): Promise<Buffer> {
    const { cache } = this.ctx
    const start = block * cache.blockBytes
    const length = Math.min(cache.blockBytes, seg.persistedBytes - start)
    const key = `${seg.id}:${seg.epoch}:${block}`
    const cached = cache.get(key)
    if (cached) return cached
    const bytes = await this.#readRange(seg, start, length)
    if (length === cache.blockBytes && bytes.length === length) cache.set(key, bytes)
    return bytes
  }

  async #readRange(seg: SegmentState, position: number, length: number): Promise<Buffer> {
    const path = segmentPaths(this.dir, seg.baseOffset).log
    try {
      return await this.ctx.pool.use(path, (fh) => readFully(fh, length, position))
    } catch (err) {
      if (isNoEntry(err) && seg.deleted) throw invalid(`segment ${seg.baseOffset} was deleted`)
      throw err
    }
  }

  /** @internal */
  protected async _write(writes: SegmentWrite[], sync: SegmentState[]): Promise<void> {
    const { pool } = this.ctx
    if (writes.some((w) => w.create)) this.#dirDirty = true
    for (const w of writes) {
      if (w.bytes === 0 && !w.create) continue
      const { log } = segmentPaths(this.dir, w.segment.baseOffset)
      await pool.use(log, (fh) => writevAll(fh, w.chunks, w.position), true)
      w.segment.unsyncedFiles |= FILE.LOG
    }
    for (const w of writes) {
      const paths = segmentPaths(this.dir, w.segment.baseOffset)
      const seg = w.segment
      if (await this.#writeIndex(paths.index, w.offsetIndex, OFFSET_ENTRY_BYTES, w.create))
        seg.unsyncedFiles |= FILE.INDEX
      if (await this.#writeIndex(paths.timeIndex, w.timeIndex, TIME_ENTRY_BYTES, w.create))
        seg.unsyncedFiles |= FILE.TIME_INDEX
    }
    for (const seg of sync) {
      if (seg.deleted || (!seg.exists && !writes.some((w) => w.segment === seg))) continue
      await this.#sync(seg)
    }
    if (sync.length > 0 && this.#dirDirty) {
      this.#dirDirty = false
      await fsyncDir(this.dir)
    }
  }

  /** fsync the files of `seg` written since their last fsync (by write, truncate or create). */
  async #sync(seg: SegmentState): Promise<void> {
    const paths = segmentPaths(this.dir, seg.baseOffset)
    const files = seg.unsyncedFiles
    seg.unsyncedFiles = 0
    try {
      if (files & FILE.LOG) await this.ctx.pool.use(paths.log, (fh) => fh.sync(), true)
      if (files & FILE.INDEX) await this.ctx.pool.use(paths.index, (fh) => fh.sync(), true)
      if (files & FILE.TIME_INDEX) {
        await this.ctx.pool.use(paths.timeIndex, (fh) => fh.sync(), true)
      }
    } catch (err) {
      seg.unsyncedFiles |= files
      throw err
    }
  }

  /** Write an index's pending entries; whether anything was written (or the file created). */
  async #writeIndex(
    path: string,
    write: IndexWrite,
    entryBytes: number,
    create: boolean,
  ): Promise<boolean> {
    if (write.bytes.length === 0 && !create) return false
    const position = write.fromEntry * entryBytes
    await this.ctx.pool.use(path, (fh) => writevAll(fh, [write.bytes], position), true)
    return true
  }

  protected async _truncate(
    seg: SegmentState,
    cut: PersistedSizes,
    removed: SegmentState[],
  ): Promise<void> {
    // Cut even a segment not known to exist: a flush that created it may have been voided.
    const { pool } = this.ctx
    const paths = segmentPaths(this.dir, seg.baseOffset)
    await pool.use(paths.log, (fh) => fh.truncate(cut.bytes), true)
    await pool.use(paths.index, (fh) => fh.truncate(cut.offsetEntries * OFFSET_ENTRY_BYTES), true)
    await pool.use(paths.timeIndex, (fh) => fh.truncate(cut.timeEntries * TIME_ENTRY_BYTES), true)
    seg.unsyncedFiles |= FILE.LOG | FILE.INDEX | FILE.TIME_INDEX
    this.#dirDirty ||= !seg.exists
    await this._delete(removed)
  }

  protected async _delete(removed: SegmentState[]): Promise<void> {
    for (const seg of removed) {
      for (const path of Object.values(segmentPaths(this.dir, seg.baseOffset)) as string[]) {
        await this.ctx.pool.drop(path)
        await unlinkQuietly(path)
      }
    }
    this.#dirDirty = true
  }

  protected async _replace(replaced: SegmentState[], write: SegmentWrite): Promise<void> {
    const bases = replaced.map((s) => s.baseOffset)
    await replaceSegmentFiles(this.dir, this.ctx.pool, bases, write)
  }

  protected async _close(): Promise<void> {
    await this.ctx.pool.dropAll(this.dir + sep)
    this.ctx.onClosed(this)
  }
}

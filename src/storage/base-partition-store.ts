/**
 * The part of a {@link PartitionStore} that every persistent store shares: argument and state
 * checks (validate, normalise, then call a `_hook`, as abstract-level does), the in-memory
 * segments with their pending bytes and indexes, ordering of asynchronous work, and group
 * commit of flushes. A backend (files, abstract-level) only writes, reads, cuts and deletes.
 *
 * Ordering, as the {@link PartitionStore} contract asks: every call takes effect in memory when
 * it is made (segments, sizes, indexes and reads reflect it at once); only the I/O is queued,
 * in call order, one operation at a time. A flush whose segment is truncated or deleted while
 * it writes does not commit its write (the segment's epoch moved); the queued truncation or
 * deletion then cuts or removes what it wrote.
 *
 * Write-behind (on by default): appended bytes are written, without fsync, by a flush that
 * starts when the appending turn of the event loop ends; concurrent appends share it.
 *
 * After a failed write the store is failed: every later call throws `KAFKA_STORAGE_ERROR`
 * (Kafka takes such a log directory offline). `close()` still releases what it holds.
 */
import { isLogkeeperError } from '../common/errors.js'
import { MAX_INT32 } from './index-file.js'
import type {
  FlushOptions,
  OffsetIndexEntry,
  PartitionStore,
  SegmentIndexes,
  SegmentMeta,
  TimeIndexEntry,
  TopicPartition,
} from './log-store.js'
import { type PersistedSizes, SegmentState, type SegmentWrite } from './segment-state.js'
import { GroupCommit, SerialQueue } from './serial-queue.js'
import { checkNonNegative, closedError, invalid, storageError, tpName } from './store-errors.js'

/** A persistent partition store: the shared logic over a backend's hooks. */
export abstract class BasePartitionStore implements PartitionStore {
  readonly topicPartition: TopicPartition
  /** The segments, ascending by base offset; the last one is active. */
  protected segs: SegmentState[]
  readonly #queue = new SerialQueue()
  readonly #commit = new GroupCommit(this.#queue, (fsync) => this.#flushNow(fsync))
  readonly #unsynced = new Set<SegmentState>()
  #closing: Promise<void> | undefined
  #failure: Error | undefined

  #writeBehindQueued = false

  /**
   * @param writeBehind - write appended bytes (without fsync) as soon as the appending turn of
   *   the event loop ends, so that a process crash loses next to nothing and pending bytes stay
   *   few; off, bytes wait in memory for an explicit flush
   */
  constructor(
    tp: TopicPartition,
    segments: SegmentState[],
    private readonly writeBehind = true,
  ) {
    this.topicPartition = { topic: tp.topic, partition: tp.partition }
    this.segs = segments.slice().sort((a, b) => a.baseOffset - b.baseOffset)
  }

  /** Read `length` persisted bytes at `position` (within the persisted size). */
  protected abstract _read(segment: SegmentState, position: number, length: number): Promise<Buffer>
  /** Write pending bytes and index entries; then make `sync`'s segments durable. */
  protected abstract _write(writes: SegmentWrite[], sync: SegmentState[]): Promise<void>
  /** Cut the copy of `segment` to `cut` (its persisted sizes now); delete `removed`. */
  protected abstract _truncate(
    segment: SegmentState,
    cut: PersistedSizes,
    removed: SegmentState[],
  ): Promise<void>
  /** Delete segments. */
  protected abstract _delete(removed: SegmentState[]): Promise<void>
  /** Write the new segment and delete the replaced ones, as atomically as the store can. */
  protected abstract _replace(replaced: SegmentState[], write: SegmentWrite): Promise<void>
  /** Release what the partition holds (files, handles). */
  protected abstract _close(): Promise<void>

  segments(): readonly SegmentMeta[] {
    this.#checkUsable()
    return this.segs.map((s) => ({ baseOffset: s.baseOffset, sizeBytes: s.sizeBytes }))
  }

  roll(baseOffset: number): void {
    this.#checkUsable()
    checkNonNegative(baseOffset, 'baseOffset')
    const last = this.segs.at(-1)
    if (last && baseOffset <= last.baseOffset) {
      throw invalid(`cannot roll to ${baseOffset}: not above the active segment ${last.baseOffset}`)
    }
    this.segs.push(new SegmentState(baseOffset))
  }

  append(bytes: Uint8Array): number {
    this.#checkUsable()
    if (!(bytes instanceof Uint8Array)) throw invalid('append takes a Uint8Array')
    const active = this.segs.at(-1)
    if (!active) throw invalid(`${tpName(this.topicPartition)} has no segment: roll first`)
    const position = active.append(bytes)
    if (this.writeBehind && !this.#writeBehindQueued) {
      this.#writeBehindQueued = true
      queueMicrotask(() => {
        this.#writeBehindQueued = false
        // A failure is kept by the store and thrown by its next call.
        if (!this.#closing) this.#commit.flush(false).catch(() => undefined)
      })
    }
    return position
  }

  appendOffsetIndex(baseOffset: number, entry: OffsetIndexEntry): void {
    this.#checkUsable()
    this.#segment(baseOffset).addOffsetEntry(entry)
  }

  appendTimeIndex(baseOffset: number, entry: TimeIndexEntry): void {
    this.#checkUsable()
    this.#segment(baseOffset).addTimeEntry(entry)
  }

  async readIndexes(baseOffset: number): Promise<SegmentIndexes> {
    this.#checkUsable()
    return this.#segment(baseOffset).indexes()
  }

  async read(baseOffset: number, position: number, length: number): Promise<Uint8Array> {
    this.#checkUsable()
    const seg = this.#segment(baseOffset)
    checkNonNegative(position, 'position')
    checkNonNegative(length, 'length')
    const end = Math.min(position + length, seg.sizeBytes)
    if (position >= end) return new Uint8Array(0)
    const persisted = seg.persistedBytes
    const tail = end > persisted ? seg.readTail(Math.max(position, persisted), end) : undefined
    if (position >= persisted) return tail!
    const head = await this.#io('read', () =>
      this._read(seg, position, Math.min(end, persisted) - position),
    )
    return tail && head.length === persisted - position ? Buffer.concat([head, tail]) : head
  }

  truncate(baseOffset: number, sizeBytes: number, keepOffsetsBelow: number): Promise<void> {
    return this.#now(() => {
      const i = this.#indexOf(baseOffset)
      const seg = this.segs[i]!
      checkNonNegative(keepOffsetsBelow, 'keepOffsetsBelow')
      if (checkNonNegative(sizeBytes, 'sizeBytes') > seg.sizeBytes) {
        throw invalid(
          `cannot truncate segment ${baseOffset} of ${seg.sizeBytes} bytes to ${sizeBytes}`,
        )
      }
      const removed = this.segs.splice(i + 1)
      seg.cut(sizeBytes, keepOffsetsBelow)
      this.#forget(removed)
      this.#unsynced.add(seg)
      // The sizes are taken when the I/O runs: a flush queued earlier may have taken its write
      // after this cut (from the cut state) and committed it; what lies beyond is garbage.
      return () => this._truncate(seg, persistedSizes(seg), removed)
    }, 'truncate')
  }

  deleteSegments(baseOffsets: readonly number[]): Promise<void> {
    return this.#now(() => {
      if (!Array.isArray(baseOffsets))
        throw invalid('deleteSegments takes an array of base offsets')
      for (const b of baseOffsets) checkNonNegative(b, 'base offset')
      const doomed = new Set(baseOffsets)
      const removed = this.segs.filter((s) => doomed.has(s.baseOffset))
      if (removed.length === 0) return undefined
      this.segs = this.segs.filter((s) => !doomed.has(s.baseOffset))
      this.#forget(removed)
      return () => this._delete(removed)
    }, 'delete')
  }

  replaceSegments(
    replaced: readonly number[],
    baseOffset: number,
    bytes: Uint8Array,
    indexes: SegmentIndexes,
  ): Promise<void> {
    return this.#now(() => {
      const { old, kept } = this.#checkReplace(replaced, baseOffset, bytes)
      const seg = new SegmentState(baseOffset)
      seg.append(bytes)
      for (const e of indexes?.offsets ?? []) seg.addOffsetEntry(e)
      for (const e of indexes?.times ?? []) seg.addTimeEntry(e)
      seg.replacing = true
      this.segs = [...kept, seg].sort((a, b) => a.baseOffset - b.baseOffset)
      this.#forget(old)
      return async () => {
        const write = seg.takeWrite()
        try {
          await this._replace(old, write)
          seg.commitWrite(write)
        } finally {
          seg.replacing = false
        }
      }
    }, 'replace')
  }

  /**
   * Validate and apply a call's in-memory effect now; queue the I/O it returns. A failure of
   * the synchronous part rejects the promise with nothing changed.
   */
  #now(apply: () => (() => Promise<void>) | undefined, what: string): Promise<void> {
    let io: (() => Promise<void>) | undefined
    try {
      this.#checkUsable()
      io = apply()
    } catch (err) {
      return Promise.reject(err)
    }
    if (!io) return Promise.resolve()
    const run = io
    return this.#queue.run(() => this.#io(what, run, true))
  }

  #checkReplace(replaced: readonly number[], baseOffset: number, bytes: Uint8Array) {
    if (!Array.isArray(replaced) || replaced.length === 0) {
      throw invalid('replaceSegments needs the base offsets of the segments it replaces')
    }
    checkNonNegative(baseOffset, 'baseOffset')
    if (!(bytes instanceof Uint8Array)) throw invalid('replaceSegments takes a Uint8Array')
    if (bytes.length > MAX_INT32) throw invalid(`a segment holds at most ${MAX_INT32} bytes`)
    const old = replaced.map((b) => this.segs[this.#indexOf(b)]!)
    const active = this.segs.at(-1)!
    if (old.includes(active))
      throw invalid(`cannot replace the active segment ${active.baseOffset}`)
    const kept = this.segs.filter((s) => !old.includes(s))
    if (kept.some((s) => s.baseOffset === baseOffset) || baseOffset >= active.baseOffset) {
      throw invalid(`the new segment's base offset ${baseOffset} clashes with a kept segment`)
    }
    return { old, kept }
  }

  flush(options: FlushOptions): Promise<void> {
    try {
      this.#checkUsable()
    } catch (err) {
      return Promise.reject(err)
    }
    return this.#commit.flush(options?.fsync === true)
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        if (!this.#failure) await this.#commit.flush(false)
      } finally {
        await this.#queue.idle()
        await this._close()
      }
    })()
    return this.#closing
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closing !== undefined
  }

  async #flushNow(fsync: boolean): Promise<void> {
    if (this.#failure) throw this.#failure
    const writes = this.segs.filter((s) => s.dirty).map((s) => s.takeWrite())
    for (const w of writes) this.#unsynced.add(w.segment)
    if (writes.length === 0 && (!fsync || this.#unsynced.size === 0)) return
    const sync = fsync ? [...this.#unsynced] : []
    await this.#io('write', () => this._write(writes, sync), true)
    for (const w of writes) w.segment.commitWrite(w)
    if (fsync) this.#unsynced.clear()
  }

  async #io<T>(what: string, op: () => Promise<T>, fatal = false): Promise<T> {
    try {
      return await op()
    } catch (err) {
      if (isLogkeeperError(err)) throw err
      const failure = storageError(`${tpName(this.topicPartition)}: ${what} failed`, err)
      if (fatal) this.#failure = failure
      throw failure
    }
  }

  #forget(removed: SegmentState[]): void {
    for (const s of removed) {
      s.deleted = true
      this.#unsynced.delete(s)
    }
  }

  #checkUsable(): void {
    if (this.#closing) throw closedError(`partition store ${tpName(this.topicPartition)}`)
    if (this.#failure) throw this.#failure
  }

  #indexOf(baseOffset: number): number {
    const i = this.segs.findIndex((s) => s.baseOffset === baseOffset)
    if (i < 0) {
      throw invalid(
        `${tpName(this.topicPartition)} has no segment at base offset ${String(baseOffset)}`,
      )
    }
    return i
  }

  #segment(baseOffset: number): SegmentState {
    return this.segs[this.#indexOf(baseOffset)]!
  }
}

function persistedSizes(seg: SegmentState): PersistedSizes {
  return {
    bytes: seg.persistedBytes,
    offsetEntries: seg.offsets.persistedEntries,
    timeEntries: seg.times.persistedEntries,
  }
}

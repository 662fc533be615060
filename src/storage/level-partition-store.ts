/**
 * One partition of a {@link LevelLogStore}: the shared {@link BasePartitionStore} over the
 * store's tables. A flush is one batch (with `sync` when fsync is asked); a truncation, a
 * deletion and a replacement are each one atomic batch too, so a crash leaves either the old
 * or the new state, never a mix.
 */
import { BasePartitionStore } from './base-partition-store.js'
import { chunkKey, indexKey, lastNumber, partitionKey, segmentKey } from './level-keys.js'
import type { LevelTables, TableOp } from './level-tables.js'
import type { TopicPartition } from './log-store.js'
import { type PersistedSizes, SegmentState, type SegmentWrite } from './segment-state.js'

/** A {@link PartitionStore} over abstract-level tables. */
export class LevelPartitionStore extends BasePartitionStore {
  private constructor(
    tp: TopicPartition,
    segments: SegmentState[],
    private readonly tables: LevelTables,
    private readonly chunkBytes: number,
    private readonly onClosed: (store: LevelPartitionStore) => void,
    writeBehind: boolean,
  ) {
    super(tp, segments, writeBehind)
  }

  /** Open (creating if absent) a partition and load its segments and indexes. */
  static async open(
    tp: TopicPartition,
    tables: LevelTables,
    chunkBytes: number,
    onClosed: (store: LevelPartitionStore) => void,
    writeBehind = true,
  ): Promise<LevelPartitionStore> {
    const pk = partitionKey(tp)
    await tables.commit([tables.mark(tables.partitions, pk)], false)
    const bases = (await tables.keysUnder(tables.segments, pk)).map(lastNumber)
    const segments = await Promise.all(bases.map((base) => loadSegment(tables, tp, base)))
    return new LevelPartitionStore(tp, segments, tables, chunkBytes, onClosed, writeBehind)
  }

  #key(seg: SegmentState): string {
    return segmentKey(this.topicPartition, seg.baseOffset)
  }

  protected async _read(seg: SegmentState, position: number, length: number): Promise<Buffer> {
    const { chunks } = this.tables
    const sk = this.#key(seg)
    const [first] = await chunks
      .keys({ gte: `${sk}/`, lte: chunkKey(sk, position), reverse: true, limit: 1 })
      .all()
    const found = await chunks
      .iterator({ gte: first ?? `${sk}/`, lt: chunkKey(sk, position + length) })
      .all()
    const out = Buffer.alloc(length)
    let filled = 0
    for (const [key, value] of found) {
      const start = lastNumber(key)
      if (start > position + filled) break
      const from = position + filled - start
      if (from < value.length) {
        out.set(value.subarray(from, from + length - filled), filled)
        filled += Math.min(value.length - from, length - filled)
      }
    }
    return filled === length ? out : out.subarray(0, filled)
  }

  protected async _write(writes: SegmentWrite[], sync: SegmentState[]): Promise<void> {
    const ops = writes.flatMap((w) => this.#writeOps(w))
    if (ops.length === 0 && sync.length > 0) {
      ops.push(this.tables.mark(this.tables.partitions, partitionKey(this.topicPartition)))
    }
    await this.tables.commit(ops, sync.length > 0)
  }

  #writeOps(w: SegmentWrite): TableOp[] {
    const { tables } = this
    const sk = this.#key(w.segment)
    const ops: TableOp[] = w.create ? [tables.mark(tables.segments, sk)] : []
    const all = Buffer.concat([...w.chunks], w.bytes)
    for (let at = 0; at < all.length; at += this.chunkBytes) {
      const value = all.subarray(at, at + this.chunkBytes)
      ops.push({ type: 'put', sublevel: tables.chunks, key: chunkKey(sk, w.position + at), value })
    }
    for (const [sublevel, index] of [
      [tables.offsetIndex, w.offsetIndex],
      [tables.timeIndex, w.timeIndex],
    ] as const) {
      if (index.bytes.length === 0) continue
      ops.push({ type: 'put', sublevel, key: indexKey(sk, index.fromEntry), value: index.bytes })
    }
    return ops
  }

  protected async _truncate(
    seg: SegmentState,
    cut: PersistedSizes,
    removed: SegmentState[],
  ): Promise<void> {
    const { tables } = this
    const sk = this.#key(seg)
    const ops: TableOp[] = [tables.mark(tables.segments, sk)]
    const [straddling] = await tables.chunks
      .iterator({ gte: `${sk}/`, lt: chunkKey(sk, cut.bytes), reverse: true, limit: 1 })
      .all()
    if (straddling) {
      const [key, value] = straddling
      const keep = cut.bytes - lastNumber(key)
      if (keep < value.length)
        ops.push({ type: 'put', sublevel: tables.chunks, key, value: value.subarray(0, keep) })
    }
    const later = await tables.chunks.keys({ gte: chunkKey(sk, cut.bytes), lt: `${sk}0` }).all()
    for (const key of later) ops.push({ type: 'del', sublevel: tables.chunks, key })
    ops.push(...(await this.#rewriteIndexes(seg, cut)))
    for (const r of removed) ops.push(...(await tables.dropSegment(this.#key(r))))
    await tables.commit(ops, false)
  }

  async #rewriteIndexes(seg: SegmentState, cut: PersistedSizes): Promise<TableOp[]> {
    const { tables } = this
    const sk = this.#key(seg)
    const ops: TableOp[] = []
    for (const [sublevel, index, entries] of [
      [tables.offsetIndex, seg.offsets, cut.offsetEntries],
      [tables.timeIndex, seg.times, cut.timeEntries],
    ] as const) {
      for (const key of await tables.keysUnder(sublevel, sk))
        ops.push({ type: 'del', sublevel, key })
      const kept = Buffer.from(index.view(0, Math.min(entries, index.entries)))
      if (kept.length > 0) ops.push({ type: 'put', sublevel, key: indexKey(sk, 0), value: kept })
    }
    return ops
  }

  protected async _delete(removed: SegmentState[]): Promise<void> {
    const ops: TableOp[] = []
    for (const r of removed) ops.push(...(await this.tables.dropSegment(this.#key(r))))
    await this.tables.commit(ops, false)
  }

  protected async _replace(replaced: SegmentState[], write: SegmentWrite): Promise<void> {
    const ops: TableOp[] = []
    for (const r of replaced) ops.push(...(await this.tables.dropSegment(this.#key(r))))
    ops.push(...this.#writeOps(write))
    await this.tables.commit(ops, true)
  }

  protected async _close(): Promise<void> {
    this.onClosed(this)
  }
}

async function loadSegment(
  tables: LevelTables,
  tp: TopicPartition,
  base: number,
): Promise<SegmentState> {
  const sk = segmentKey(tp, base)
  const [last] = await tables.chunks
    .iterator({ gte: `${sk}/`, lt: `${sk}0`, reverse: true, limit: 1 })
    .all()
  const size = last ? lastNumber(last[0]) + last[1].length : 0
  const concat = async (sublevel: typeof tables.chunks) =>
    Buffer.concat((await tables.entriesUnder(sublevel, sk)).map(([, v]) => v))
  return new SegmentState(
    base,
    size,
    true,
    await concat(tables.offsetIndex),
    await concat(tables.timeIndex),
  )
}

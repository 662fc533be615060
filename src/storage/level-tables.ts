/**
 * The sublevels a {@link LevelLogStore} keeps under the database it is given, and the few
 * reads and batch operations its partition stores build on. Every change of a partition is
 * one atomic batch on the parent database, across sublevels.
 */
import type { AbstractLevel, AbstractSublevel } from 'abstract-level'
import { under } from './level-keys.js'

/** Any abstract-level database: classic-level, memory-level, browser-level, or a sublevel. */
// biome-ignore lint/suspicious/noExplicitAny: any key, value and storage format is accepted
export type AnyLevel = AbstractLevel<any, any, any>

/** One of the store's sublevels: string keys, byte values. */
// biome-ignore lint/suspicious/noExplicitAny: the parent's own types do not matter here
export type Table = AbstractSublevel<any, any, string, Uint8Array>

/** A put or a del in one of the tables, for {@link LevelTables.commit}. */
export type TableOp =
  | { type: 'put'; sublevel: Table; key: string; value: Uint8Array }
  | { type: 'del'; sublevel: Table; key: string }

const EMPTY = new Uint8Array(0)

/** The store's tables in one database. */
export class LevelTables {
  readonly partitions: Table
  readonly segments: Table
  readonly chunks: Table
  readonly offsetIndex: Table
  readonly timeIndex: Table

  constructor(readonly db: AnyLevel) {
    const table = (name: string): Table =>
      db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' }) as Table
    this.partitions = table('partitions')
    this.segments = table('segments')
    this.chunks = table('chunks')
    this.offsetIndex = table('offsetIndex')
    this.timeIndex = table('timeIndex')
  }

  /** Write `ops` atomically; `sync` asks the database to make them durable (classic-level). */
  async commit(ops: TableOp[], sync: boolean): Promise<void> {
    if (ops.length === 0) return
    await this.db.batch(ops, { sync } as object)
  }

  /** A put of an empty marker value. */
  mark(sublevel: Table, key: string): TableOp {
    return { type: 'put', sublevel, key, value: EMPTY }
  }

  /** Every key of `sublevel` under `prefix/`. */
  keysUnder(sublevel: Table, prefix: string): Promise<string[]> {
    return sublevel.keys(under(prefix)).all()
  }

  /** Every entry of `sublevel` under `prefix/`, in key order. */
  entriesUnder(sublevel: Table, prefix: string): Promise<[string, Uint8Array][]> {
    return sublevel.iterator(under(prefix)).all()
  }

  /** Dels of every key of a segment's chunks and indexes, and of its marker. */
  async dropSegment(segment: string): Promise<TableOp[]> {
    const ops: TableOp[] = [{ type: 'del', sublevel: this.segments, key: segment }]
    for (const sublevel of [this.chunks, this.offsetIndex, this.timeIndex]) {
      for (const key of await this.keysUnder(sublevel, segment))
        ops.push({ type: 'del', sublevel, key })
    }
    return ops
  }
}

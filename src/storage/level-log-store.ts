/**
 * A {@link LogStore} on abstract-level, for where no file system is: memory-level,
 * browser-level (IndexedDB), or a classic-level database (or a sublevel of one) the caller
 * already has. The layout is in `level-keys.ts`; each partition change is one atomic batch.
 * The store never closes the database it was given: that stays the caller's.
 */
import { isLogkeeperError } from '../common/errors.js'
import { parsePartitionKey, partitionKey } from './level-keys.js'
import { LevelPartitionStore } from './level-partition-store.js'
import { type AnyLevel, LevelTables, type TableOp } from './level-tables.js'
import type { LogStore, PartitionStore, TopicPartition } from './log-store.js'
import {
  checkNonNegative,
  checkTopicPartition,
  closedError,
  invalid,
  unavailable,
} from './store-errors.js'

/** Options of {@link LevelLogStore.open}. */
export interface LevelLogStoreOptions {
  /** Most bytes per stored chunk value: a larger flush is split. Default 1 MiB. */
  chunkBytes?: number
  /**
   * Write appended bytes (without sync) as soon as the appending turn of the event loop ends,
   * so memory holds few pending bytes. Off, appends wait for a flush. Default true.
   */
  writeBehind?: boolean
}

/** Partition logs in an abstract-level database. Open with {@link LevelLogStore.open}. */
export class LevelLogStore implements LogStore {
  readonly kind = 'level'
  readonly #stores = new Map<string, LevelPartitionStore>()
  readonly #opening = new Map<string, Promise<LevelPartitionStore>>()
  #closing: Promise<void> | undefined

  private constructor(
    private readonly tables: LevelTables,
    private readonly chunkBytes: number,
    private readonly writeBehind: boolean,
  ) {}

  /**
   * Use `db` (opening it if needed). A database that cannot be opened (e.g. classic-level's
   * `LOCK` held by another process) fails with `STORAGE_UNAVAILABLE`.
   */
  static async open(db: AnyLevel, options: LevelLogStoreOptions = {}): Promise<LevelLogStore> {
    const chunkBytes = options.chunkBytes ?? 1024 * 1024
    if (checkNonNegative(chunkBytes, 'chunkBytes') < 1)
      throw invalid('chunkBytes must be at least 1')
    try {
      if (db.status !== 'open') await db.open()
    } catch (err) {
      throw unavailable(`cannot open the database: ${(err as Error).message}`, err)
    }
    return new LevelLogStore(new LevelTables(db), chunkBytes, options.writeBehind !== false)
  }

  async openPartition(tp: TopicPartition): Promise<PartitionStore> {
    this.#checkOpen()
    const checked = checkTopicPartition(tp)
    const key = partitionKey(checked)
    const open = this.#stores.get(key)
    if (open && !open.closed) return open
    const opening = this.#opening.get(key)
    if (opening) return opening
    const onClosed = (store: LevelPartitionStore) => {
      if (this.#stores.get(key) === store) this.#stores.delete(key)
    }
    const { tables, chunkBytes, writeBehind } = this
    const promise = LevelPartitionStore.open(checked, tables, chunkBytes, onClosed, writeBehind)
    this.#opening.set(key, promise)
    try {
      const store = await promise
      this.#stores.set(key, store)
      return store
    } finally {
      this.#opening.delete(key)
    }
  }

  async listPartitions(): Promise<TopicPartition[]> {
    this.#checkOpen()
    const keys = await this.tables.partitions.keys().all()
    return keys.map(parsePartitionKey)
  }

  async deletePartition(tp: TopicPartition): Promise<void> {
    this.#checkOpen()
    const checked = checkTopicPartition(tp)
    const key = partitionKey(checked)
    const store = this.#stores.get(key) ?? (await this.#opening.get(key)?.catch(() => undefined))
    await store?.close().catch((err: unknown) => {
      if (!isLogkeeperError(err)) throw err
    })
    const { tables } = this
    const ops: TableOp[] = [{ type: 'del', sublevel: tables.partitions, key }]
    for (const sk of await tables.keysUnder(tables.segments, key))
      ops.push(...(await tables.dropSegment(sk)))
    await tables.commit(ops, false)
  }

  /** Close every open partition (flushing it). The database stays open. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#opening.values()])
      const results = await Promise.allSettled([...this.#stores.values()].map((s) => s.close()))
      const failed = results.find((r) => r.status === 'rejected')
      if (failed) throw failed.reason
    })()
    return this.#closing
  }

  #checkOpen(): void {
    if (this.#closing) throw closedError('level log store')
  }
}

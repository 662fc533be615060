/**
 * A {@link LogStore} as Kafka lays a log directory out: `<dir>/<topic>-<partition>/` holding
 * `<20-digit base offset>.log` (the batches byte for byte), `.index` (8-byte entries) and
 * `.timeindex` (12-byte entries), plus Kafka's `.lock` file naming the owning process. Index
 * files hold exactly the entries written (Kafka trims its preallocated ones the same way on
 * close), so Kafka's tools can read a closed segment. Deleting a partition renames its
 * directory to `<name>.<n>-delete` first (as Kafka does) and then removes it; leftovers of a
 * crash are removed on open.
 */
import { readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { BlockCache } from './block-cache.js'
import { type DirLock, lockDir, prepareDir } from './dir-lock.js'
import { FdPool } from './fd-pool.js'
import { isNoEntry } from './file-io.js'
import { FilePartitionStore } from './file-partition-store.js'
import type { FlushOptions, LogStore, PartitionStore, TopicPartition } from './log-store.js'
import { DELETE_DIR_SUFFIX, parsePartitionDirName, partitionDirName } from './segment-file.js'
import { checkNonNegative, checkTopicPartition, closedError, invalid } from './store-errors.js'

/** Options of {@link FileLogStore.open}. */
export interface FileLogStoreOptions {
  /** Most file handles kept open across all partitions (idle ones beyond are closed). Default 64. */
  maxOpenFiles?: number
  /** Bytes of the LRU cache of blocks read back from segments; 0 turns it off. Default 4 MiB. */
  readCacheBytes?: number
  /** Bytes per cached block. Default 64 KiB. */
  readCacheBlockBytes?: number
  /**
   * Write appended bytes to the files (without fsync) as soon as the appending turn of the
   * event loop ends, as Kafka writes each append to the page cache: a process crash then loses
   * next to nothing, and memory holds few pending bytes. Off, appends wait in memory for a
   * flush. Default true.
   */
  writeBehind?: boolean
}

/** Kafka-style segment files in a directory. Open with {@link FileLogStore.open}. */
export class FileLogStore implements LogStore {
  readonly kind = 'files'
  readonly #stores = new Map<string, FilePartitionStore>()
  readonly #opening = new Map<string, Promise<FilePartitionStore>>()
  #deletions = 0
  #closing: Promise<void> | undefined

  private constructor(
    /** The directory (absolute). */
    readonly dir: string,
    private readonly lock: DirLock,
    private readonly pool: FdPool,
    private readonly cache: BlockCache,
    private readonly writeBehind: boolean,
  ) {}

  /**
   * Open the store in `dir`, creating the directory when absent. Fails with
   * `STORAGE_UNAVAILABLE` when `dir` is a file, is not writable, or is held by another store
   * (another process, or another store in this one).
   */
  static async open(dir: string, options: FileLogStoreOptions = {}): Promise<FileLogStore> {
    const maxOpen = options.maxOpenFiles ?? 64
    const cacheBytes = options.readCacheBytes ?? 4 * 1024 * 1024
    const blockBytes = options.readCacheBlockBytes ?? 64 * 1024
    if (checkNonNegative(maxOpen, 'maxOpenFiles') < 1)
      throw invalid('maxOpenFiles must be at least 1')
    checkNonNegative(cacheBytes, 'readCacheBytes')
    if (checkNonNegative(blockBytes, 'readCacheBlockBytes') < 1) {
      throw invalid('readCacheBlockBytes must be at least 1')
    }
    const path = await prepareDir(dir)
    const lock = await lockDir(path)
    try {
      await removeDeletedDirs(path)
    } catch (err) {
      await lock.release()
      throw err
    }
    const cache = new BlockCache(blockBytes, cacheBytes)
    return new FileLogStore(path, lock, new FdPool(maxOpen), cache, options.writeBehind !== false)
  }

  async openPartition(tp: TopicPartition): Promise<PartitionStore> {
    this.#checkOpen()
    const checked = checkTopicPartition(tp)
    const key = partitionDirName(checked)
    const open = this.#stores.get(key)
    if (open && !open.closed) return open
    const opening = this.#opening.get(key)
    if (opening) return opening
    const promise = FilePartitionStore.open(checked, join(this.dir, key), {
      pool: this.pool,
      cache: this.cache,
      writeBehind: this.writeBehind,
      onClosed: (store) => {
        if (this.#stores.get(key) === store) this.#stores.delete(key)
      },
    })
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
    const entries = await readdir(this.dir, { withFileTypes: true })
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => parsePartitionDirName(e.name))
      .filter((tp): tp is TopicPartition => tp !== undefined)
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
  }

  async deletePartition(tp: TopicPartition): Promise<void> {
    this.#checkOpen()
    const key = partitionDirName(checkTopicPartition(tp))
    const store = this.#stores.get(key) ?? (await this.#opening.get(key)?.catch(() => undefined))
    await store?.close().catch(() => undefined)
    const doomed = join(this.dir, `${key}.${this.#deletions++}${DELETE_DIR_SUFFIX}`)
    try {
      await rename(join(this.dir, key), doomed)
    } catch (err) {
      if (isNoEntry(err)) return
      throw err
    }
    await rm(doomed, { recursive: true, force: true })
  }

  /** Flush every open partition (the periodic `flush.ms` flush uses this). */
  async flushAll(options: FlushOptions): Promise<void> {
    this.#checkOpen()
    const stores = [...this.#stores.values()].filter((s) => !s.closed)
    await Promise.all(stores.map((s) => s.flush(options)))
  }

  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    await Promise.allSettled([...this.#opening.values()])
    const results = await Promise.allSettled([...this.#stores.values()].map((s) => s.close()))
    await this.pool.dropAll()
    await this.lock.release()
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  #checkOpen(): void {
    if (this.#closing) throw closedError(`file log store ${this.dir}`)
  }
}

async function removeDeletedDirs(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.endsWith(DELETE_DIR_SUFFIX))
      await rm(join(dir, name), { recursive: true, force: true })
  }
}

/**
 * A data directory: everything one logkeeper node keeps on disk, in one place.
 *
 * ```
 * <dir>/meta/    one classic-level database, a sublevel per concern:
 *                  checkpoints (high watermarks, log start offsets, leader epochs),
 *                  and for the layers above e.g. coordinator, cluster
 * <dir>/logs/    a Kafka log directory (log.dirs): <topic>-<partition>/<base>.log|.index|.timeindex
 * ```
 *
 * Logs get their own subdirectory rather than sharing `<dir>` so that no partition directory
 * can ever clash with `meta`, and so that `<dir>/logs` alone is what Kafka's tools expect.
 * Two processes cannot open one directory: classic-level's `LOCK` on `meta` and the `.lock`
 * file of `logs` both refuse, with `STORAGE_UNAVAILABLE`.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AbstractSublevel } from 'abstract-level'
import { ClassicLevel } from 'classic-level'
import { CheckpointStore } from './checkpoints.js'
import { LOCK_FILE, prepareDir } from './dir-lock.js'
import { type Durability, type DurabilityOptions, resolveDurability } from './durability.js'
import { FileLogStore, type FileLogStoreOptions } from './file-log-store.js'
import { closedError, invalid, unavailable } from './store-errors.js'

/** Options of {@link openDataDir}. */
export interface DataDirOptions {
  /** What survives a crash; see {@link DurabilityOptions} and docs/durability.md. */
  durability?: DurabilityOptions
  /** Options of the log store over `<dir>/logs`. */
  logs?: FileLogStoreOptions
}

/** The value encodings a concern's sublevel may use. */
export type SublevelEncoding = 'view' | 'json' | 'utf8'

/** A sublevel of the metadata database. */
// biome-ignore lint/suspicious/noExplicitAny: the root database's own types do not matter here
export type MetaSublevel<V> = AbstractSublevel<any, any, string, V>

/** An open data directory. Close it with {@link DataDir.close}. */
export interface DataDir {
  /** The directory (absolute). */
  readonly path: string
  /** The partition logs' segment files, in `<dir>/logs`. */
  readonly logs: FileLogStore
  /** High watermarks, log start offsets and leader epochs (the `checkpoints` sublevel). */
  readonly checkpoints: CheckpointStore
  /** The durability setting, validated; logs take `flush.messages` / `flush.ms` from it. */
  readonly durability: Durability
  /**
   * The sublevel of one concern of the metadata database (e.g. `coordinator`, `cluster`),
   * with string keys and values as `encoding` says (default `view`: Uint8Array). Several
   * sublevels can be written atomically with one `batch` on any of them (see abstract-level).
   */
  sublevel<V = Uint8Array>(name: string, encoding?: SublevelEncoding): MetaSublevel<V>
  /** Close the logs (flushing them) and the database. Idempotent. */
  close(): Promise<void>
}

const SUBLEVEL_NAME = /^[a-z][a-z0-9-]{0,63}$/

/**
 * Open (creating when absent) the data directory at `path`. A path that is a file, cannot be
 * written, or is held by another process fails with `STORAGE_UNAVAILABLE`, creating nothing.
 */
export async function openDataDir(path: string, options: DataDirOptions = {}): Promise<DataDir> {
  const durability = resolveDurability(options.durability)
  const dir = await prepareDir(path)
  const meta = new ClassicLevel<string, Uint8Array>(join(dir, 'meta'), { valueEncoding: 'view' })
  try {
    await meta.open()
  } catch (err) {
    const locked = (err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED'
    const why = locked ? `is held by ${await holderOf(dir)}` : 'cannot be opened'
    throw unavailable(`the metadata database of ${dir} ${why}`, err)
  }
  let logs: FileLogStore
  try {
    logs = await FileLogStore.open(join(dir, 'logs'), options.logs)
  } catch (err) {
    await meta.close()
    throw err
  }
  return new OpenDataDir(dir, meta, logs, durability)
}

/**
 * Who holds `dir`: the PID in its log directory's `.lock` file (as Kafka's tools show it), or
 * "another process" when that file says nothing (another handle of this process, or a holder
 * that has not written it yet).
 */
async function holderOf(dir: string): Promise<string> {
  const lockFile = join(dir, 'logs', LOCK_FILE)
  const pid = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10)
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'another process'
  return pid === process.pid ? `this process (${pid})` : `process ${pid} (lock file ${lockFile})`
}

class OpenDataDir implements DataDir {
  readonly checkpoints: CheckpointStore
  #closing: Promise<void> | undefined

  constructor(
    readonly path: string,
    private readonly meta: ClassicLevel<string, Uint8Array>,
    readonly logs: FileLogStore,
    readonly durability: Durability,
  ) {
    this.checkpoints = new CheckpointStore(meta.sublevel('checkpoints'), durability.syncMetadata)
  }

  sublevel<V = Uint8Array>(name: string, encoding: SublevelEncoding = 'view'): MetaSublevel<V> {
    if (this.#closing) throw closedError(`data directory ${this.path}`)
    if (typeof name !== 'string' || !SUBLEVEL_NAME.test(name) || name === 'checkpoints') {
      throw invalid(`a sublevel name is [a-z][a-z0-9-]* and not "checkpoints", got ${String(name)}`)
    }
    return this.meta.sublevel<string, V>(name, { keyEncoding: 'utf8', valueEncoding: encoding })
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.logs.close()
      } finally {
        await this.meta.close()
      }
    })()
    return this.#closing
  }
}

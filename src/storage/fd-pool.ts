/**
 * A bounded pool of open file handles, shared by a store's partitions. Closed segments are
 * read with positional reads through it; the least recently used idle handle is closed when
 * more than `maxOpen` are open. Handles in use are never closed under their user.
 */
import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'

interface Entry {
  readonly handle: Promise<FileHandle>
  refs: number
  dropped: boolean
}

/** Open files by path, at most `maxOpen` idle ones kept. */
export class FdPool {
  readonly #entries = new Map<string, Entry>()

  constructor(readonly maxOpen: number) {}

  /** How many handles are open or opening. */
  get size(): number {
    return this.#entries.size
  }

  /**
   * Run `fn` with a read-write handle on `path`. The file must exist unless `create` is set:
   * a read never recreates a deleted file.
   */
  async use<T>(path: string, fn: (fh: FileHandle) => Promise<T>, create = false): Promise<T> {
    let entry = this.#entries.get(path)
    if (entry) this.#entries.delete(path)
    else entry = this.#open(path, create)
    this.#entries.set(path, entry)
    entry.refs++
    try {
      let fh: FileHandle
      try {
        fh = await entry.handle
      } catch (err) {
        if (this.#entries.get(path) === entry) this.#entries.delete(path)
        entry.dropped = true
        throw err
      }
      return await fn(fh)
    } finally {
      entry.refs--
      if (entry.dropped && entry.refs === 0) await closeQuietly(entry)
      this.#evict()
    }
  }

  /** Close the handle of `path` (at once if idle, else when its users finish). */
  async drop(path: string): Promise<void> {
    const entry = this.#entries.get(path)
    if (!entry) return
    this.#entries.delete(path)
    entry.dropped = true
    if (entry.refs === 0) await closeQuietly(entry)
  }

  /** Close every handle whose path starts with `prefix`. */
  async dropAll(prefix = ''): Promise<void> {
    const paths = [...this.#entries.keys()].filter((p) => p.startsWith(prefix))
    await Promise.all(paths.map((p) => this.drop(p)))
  }

  #open(path: string, create: boolean): Entry {
    const flags = constants.O_RDWR | (create ? constants.O_CREAT : 0)
    const entry: Entry = { handle: open(path, flags, 0o644), refs: 0, dropped: false }
    entry.handle.catch(() => undefined)
    return entry
  }

  #evict(): void {
    for (const [path, entry] of this.#entries) {
      if (this.#entries.size <= this.maxOpen) return
      if (entry.refs > 0) continue
      this.#entries.delete(path)
      entry.dropped = true
      void closeQuietly(entry)
    }
  }
}

async function closeQuietly(entry: Entry): Promise<void> {
  try {
    await (await entry.handle).close()
  } catch {
    // A handle that failed to open, or is already closed, has nothing to release.
  }
}

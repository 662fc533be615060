/**
 * Owning a directory. {@link prepareDir} checks that a path is a writable directory (creating
 * it when absent) and {@link lockDir} takes Kafka's `.lock` file in it, holding this process's
 * PID. A lock whose PID is alive belongs to someone else and is refused; one whose PID is gone
 * was left by a crash and is taken over. Node has no portable `flock`, so a recycled PID can
 * make a stale lock look held: remove the `.lock` file by hand then.
 */
import { constants } from 'node:fs'
import { access, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { unavailable } from './store-errors.js'

/** Kafka's lock file name in a log directory. */
export const LOCK_FILE = '.lock'

/** Directories locked by this process, so a second store in the same process is refused too. */
const held = new Set<string>()

/**
 * Make sure `dir` is a writable directory, creating it (and its parents) when absent. A file,
 * or a directory that cannot be written, is refused with `STORAGE_UNAVAILABLE`, and nothing is
 * created.
 */
export async function prepareDir(dir: string): Promise<string> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw unavailable(`a storage directory must be a non-empty path, got ${String(dir)}`)
  }
  const path = resolve(dir)
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw unavailable(`cannot use ${path}: ${err.code ?? err.message}`, err)
  })
  if (info && !info.isDirectory()) throw unavailable(`${path} exists and is not a directory`)
  if (!info) {
    await mkdir(path, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw unavailable(`cannot create directory ${path}: ${err.code ?? err.message}`, err)
    })
  }
  await access(path, constants.R_OK | constants.W_OK | constants.X_OK).catch((err) => {
    throw unavailable(`directory ${path} is not writable`, err)
  })
  return path
}

/** A held directory lock. */
export interface DirLock {
  /** The locked directory. */
  readonly dir: string
  /** Give the directory up (removes the lock file). Idempotent. */
  release(): Promise<void>
}

/** Take the lock of `dir` (an existing directory) or fail with `STORAGE_UNAVAILABLE`. */
export async function lockDir(dir: string): Promise<DirLock> {
  const path = join(dir, LOCK_FILE)
  if (held.has(path)) throw unavailable(`${dir} is already open in this process`)
  held.add(path)
  try {
    await takeLockFile(path, dir)
  } catch (err) {
    held.delete(path)
    throw err
  }
  let released = false
  return {
    dir,
    async release() {
      if (released) return
      released = true
      held.delete(path)
      await unlink(path).catch(() => undefined)
    },
  }
}

async function takeLockFile(path: string, dir: string): Promise<void> {
  const mine = `${process.pid}\n`
  try {
    await writeFile(path, mine, { flag: 'wx' })
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw unavailable(`cannot lock ${dir}: ${(err as NodeJS.ErrnoException).code}`, err)
    }
  }
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
  if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
    throw unavailable(`${dir} is held by process ${pid} (lock file ${path})`)
  }
  await writeFile(path, mine)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

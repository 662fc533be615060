/**
 * Small file helpers: whole writes and reads at a position, directory fsync, quiet unlink.
 */
import { type FileHandle, open, unlink } from 'node:fs/promises'

/** Write all `chunks` at `position` with `writev`, continuing after a short write. */
export async function writevAll(
  fh: FileHandle,
  chunks: readonly Uint8Array[],
  position: number,
): Promise<void> {
  let pending = chunks.filter((c) => c.length > 0)
  let at = position
  while (pending.length > 0) {
    const { bytesWritten } = await fh.writev(pending as Uint8Array[], at)
    at += bytesWritten
    pending = dropWritten(pending, bytesWritten)
  }
}

function dropWritten(chunks: readonly Uint8Array[], written: number): Uint8Array[] {
  const rest: Uint8Array[] = []
  let skip = written
  for (const c of chunks) {
    if (skip >= c.length) skip -= c.length
    else {
      rest.push(skip > 0 ? c.subarray(skip) : c)
      skip = 0
    }
  }
  return rest
}

/** Read up to `length` bytes at `position`; fewer only where the file ends. */
export async function readFully(fh: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await fh.read(buf, filled, length - filled, position + filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return filled === length ? buf : buf.subarray(0, filled)
}

/** fsync a directory, so that created, renamed and removed names survive a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined
  try {
    fh = await open(dir, 'r')
    await fh.sync()
  } catch (err) {
    // Some platforms (Windows) cannot open or sync a directory; names are then left to the OS.
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err
  } finally {
    await fh?.close()
  }
}

/** Remove a file; a missing one is fine. */
export async function unlinkQuietly(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}

/** Whether `err` says the file does not exist. */
export function isNoEntry(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

/** Write a whole small file and fsync it before returning. */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w')
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
}

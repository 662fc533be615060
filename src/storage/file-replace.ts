/**
 * Replacing segments on disk (compaction), crash-safe by a redo record. The new segment's
 * files are written and fsynced with a `.cleaned` suffix (Kafka's cleaner suffix); then a
 * small manifest naming the new and the replaced base offsets is written and fsynced: from
 * that moment the replacement is decided. It is carried out by renaming the `.cleaned` files
 * into place and removing the replaced segments' files, then the manifest. Reopening a
 * directory redoes a replacement whose manifest exists (every step can be repeated) and
 * removes `.cleaned` files that have none.
 */
import { readdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { FdPool } from './fd-pool.js'
import { fsyncDir, isNoEntry, unlinkQuietly, writeFileSynced, writevAll } from './file-io.js'
import { CLEANED_SUFFIX, parseSegmentFileName, segmentPaths } from './segment-file.js'
import type { SegmentWrite } from './segment-state.js'

/** The redo record of a replacement in progress. */
export const REPLACE_MANIFEST = 'logkeeper-replace.json'

interface Manifest {
  readonly baseOffset: number
  readonly replaced: readonly number[]
}

/** Write the new segment of `write`, then swap it in for `replaced`. */
export async function replaceSegmentFiles(
  dir: string,
  pool: FdPool,
  replaced: readonly number[],
  write: SegmentWrite,
): Promise<void> {
  const baseOffset = write.segment.baseOffset
  const cleaned = segmentPaths(dir, baseOffset, CLEANED_SUFFIX)
  await writeSynced(pool, cleaned.log, write.chunks)
  await writeSynced(pool, cleaned.index, [write.offsetIndex.bytes])
  await writeSynced(pool, cleaned.timeIndex, [write.timeIndex.bytes])
  const manifest: Manifest = { baseOffset, replaced: [...replaced] }
  const tmp = join(dir, REPLACE_MANIFEST + '.tmp')
  await writeFileSynced(tmp, JSON.stringify(manifest))
  await rename(tmp, join(dir, REPLACE_MANIFEST))
  await fsyncDir(dir)
  await completeReplace(dir, pool, manifest)
}

async function writeSynced(pool: FdPool, path: string, chunks: readonly Uint8Array[]) {
  await unlinkQuietly(path)
  await pool.use(
    path,
    async (fh) => {
      await writevAll(fh, chunks, 0)
      await fh.sync()
    },
    true,
  )
  await pool.drop(path)
}

async function completeReplace(dir: string, pool: FdPool, manifest: Manifest): Promise<void> {
  const fresh = segmentPaths(dir, manifest.baseOffset)
  const cleaned = segmentPaths(dir, manifest.baseOffset, CLEANED_SUFFIX)
  const old = manifest.replaced
    .filter((b) => b !== manifest.baseOffset)
    .flatMap((b) => Object.values(segmentPaths(dir, b)) as string[])
  await Promise.all([...Object.values(fresh), ...old].map((p) => pool.drop(p)))
  for (const key of ['log', 'index', 'timeIndex'] as const) {
    await rename(cleaned[key], fresh[key]).catch((err) => {
      if (!isNoEntry(err)) throw err
    })
  }
  for (const path of old) await unlinkQuietly(path)
  await fsyncDir(dir)
  await unlinkQuietly(join(dir, REPLACE_MANIFEST))
}

/** On reopen: finish a decided replacement, drop the files of an undecided one. */
export async function recoverReplace(dir: string, pool: FdPool): Promise<void> {
  const text = await readFile(join(dir, REPLACE_MANIFEST), 'utf8').catch((err) => {
    if (isNoEntry(err)) return undefined
    throw err
  })
  if (text !== undefined) {
    const parsed = JSON.parse(text) as Manifest
    await completeReplace(dir, pool, parsed)
  }
  await unlinkQuietly(join(dir, REPLACE_MANIFEST + '.tmp'))
  for (const name of await readdir(dir)) {
    if (parseSegmentFileName(name)?.cleaned) await unlinkQuietly(join(dir, name))
  }
}

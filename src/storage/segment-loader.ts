/**
 * Reading a partition directory back: every `<base>.log` is a segment (its size from the file),
 * its `.index` and `.timeindex` are loaded into memory (a torn last entry is cut off, as Kafka
 * rounds an index down to whole entries), and index files without a `.log` are removed.
 * Recovery of the batches themselves is the partition log's job.
 */
import { readdir, readFile, stat, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { isNoEntry, unlinkQuietly } from './file-io.js'
import { OFFSET_ENTRY_BYTES, TIME_ENTRY_BYTES } from './index-file.js'
import { LOG_SUFFIX, parseSegmentFileName, segmentPaths } from './segment-file.js'
import { SegmentState } from './segment-state.js'

/** Load the segments of a partition directory (after {@link recoverReplace}). */
export async function loadSegments(dir: string): Promise<SegmentState[]> {
  const logs = new Set<number>()
  const indexes: { base: number; name: string }[] = []
  for (const name of await readdir(dir)) {
    const parsed = parseSegmentFileName(name)
    if (!parsed || parsed.cleaned) continue
    if (parsed.suffix === LOG_SUFFIX) logs.add(parsed.baseOffset)
    else indexes.push({ base: parsed.baseOffset, name })
  }
  for (const { base, name } of indexes) {
    if (!logs.has(base)) await unlinkQuietly(join(dir, name))
  }
  const bases = [...logs].sort((a, b) => a - b)
  return Promise.all(bases.map((base) => loadSegment(dir, base)))
}

async function loadSegment(dir: string, baseOffset: number): Promise<SegmentState> {
  const paths = segmentPaths(dir, baseOffset)
  const { size } = await stat(paths.log)
  const offsets = await loadIndex(paths.index, OFFSET_ENTRY_BYTES)
  const times = await loadIndex(paths.timeIndex, TIME_ENTRY_BYTES)
  return new SegmentState(baseOffset, size, true, offsets, times)
}

async function loadIndex(path: string, entryBytes: number): Promise<Buffer> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    if (isNoEntry(err)) return Buffer.alloc(0)
    throw err
  }
  const whole = bytes.length - (bytes.length % entryBytes)
  if (whole !== bytes.length) await truncate(path, whole)
  return bytes.subarray(0, whole)
}

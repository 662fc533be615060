/**
 * Reading a partition's segment files straight from disk, as the damage tests need them: where
 * each batch lies, and every record the files hold.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readBatchHeader, splitBatches } from '../../src/log/batch-header.js'
import { decodeRecordBatch } from '../../src/log/record-batch.js'

/** One batch in a segment file. */
export interface BatchOnDisk {
  /** Its byte position in the file. */
  readonly position: number
  /** Its size in bytes. */
  readonly sizeBytes: number
  /** Its first offset. */
  readonly baseOffset: number
  /** Its last offset. */
  readonly lastOffset: number
}

/** One segment file. */
export interface SegmentOnDisk {
  /** The `.log` file's path. */
  readonly file: string
  /** Its base offset. */
  readonly baseOffset: number
  /** Its size in bytes. */
  readonly sizeBytes: number
  /** Its batches, in order. */
  readonly batches: readonly BatchOnDisk[]
}

/** The segments of a partition directory, by base offset (a cut-off last batch left out). */
export async function segmentsOnDisk(partitionDir: string): Promise<SegmentOnDisk[]> {
  const names = (await readdir(partitionDir)).filter((n) => n.endsWith('.log')).sort()
  const out: SegmentOnDisk[] = []
  for (const name of names) {
    const file = join(partitionDir, name)
    const bytes = await readFile(file)
    const batches: BatchOnDisk[] = []
    let position = 0
    for (const batch of splitBatches(bytes, true)) {
      const h = readBatchHeader(batch)
      const baseOffset = Number(h.baseOffset)
      batches.push({
        position,
        sizeBytes: batch.length,
        baseOffset,
        lastOffset: baseOffset + h.lastOffsetDelta,
      })
      position += batch.length
    }
    out.push({ file, baseOffset: Number.parseInt(name, 10), sizeBytes: bytes.length, batches })
  }
  return out
}

/** Every record of a partition directory's segment files (CRCs checked): `offset:value`. */
export async function recordsOnDisk(partitionDir: string): Promise<string[]> {
  const out: string[] = []
  for (const segment of await segmentsOnDisk(partitionDir)) {
    for (const batch of splitBatches(await readFile(segment.file), true)) {
      for (const r of decodeRecordBatch(batch).records) {
        out.push(`${r.offset}:${r.value?.toString() ?? null}`)
      }
    }
  }
  return out
}

/**
 * Kafka's on-disk names. A partition lives in `<dir>/<topic>-<partition>/`; a segment is named
 * by its base offset, zero-padded to 20 digits (Kafka's `LogFileUtils`), with the suffixes
 * `.log` (the batches, byte for byte), `.index` and `.timeindex`. A `.cleaned` suffix marks a
 * replacement segment being written (compaction), as Kafka's cleaner does.
 */
import { join } from 'node:path'
import type { TopicPartition } from './log-store.js'
import { checkTopicPartition } from './store-errors.js'

/** The suffix of a segment's batches file. */
export const LOG_SUFFIX = '.log'
/** The suffix of a segment's offset index. */
export const INDEX_SUFFIX = '.index'
/** The suffix of a segment's time index. */
export const TIME_INDEX_SUFFIX = '.timeindex'
/** The extra suffix of a replacement segment's files while they are written. */
export const CLEANED_SUFFIX = '.cleaned'
/** The extra suffix of a partition directory being deleted (Kafka: `<name>.<id>-delete`). */
export const DELETE_DIR_SUFFIX = '-delete'

/** The three files of a segment. */
export interface SegmentPaths {
  readonly log: string
  readonly index: string
  readonly timeIndex: string
}

/** `00000000000000000042` for base offset 42. */
export function baseOffsetName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0')
}

/** The paths of a segment's files in `dir`, with an optional extra suffix (`.cleaned`). */
export function segmentPaths(dir: string, baseOffset: number, extra = ''): SegmentPaths {
  const stem = join(dir, baseOffsetName(baseOffset))
  return {
    log: stem + LOG_SUFFIX + extra,
    index: stem + INDEX_SUFFIX + extra,
    timeIndex: stem + TIME_INDEX_SUFFIX + extra,
  }
}

/** A parsed segment file name. */
export interface SegmentFileName {
  readonly baseOffset: number
  /** `.log`, `.index` or `.timeindex`. */
  readonly suffix: string
  /** Whether it carries the `.cleaned` suffix. */
  readonly cleaned: boolean
}

const SEGMENT_FILE = /^(\d{20})(\.log|\.index|\.timeindex)(\.cleaned)?$/

/** Parse a segment file name; `undefined` for any other file. */
export function parseSegmentFileName(name: string): SegmentFileName | undefined {
  const m = SEGMENT_FILE.exec(name)
  if (!m) return undefined
  const baseOffset = Number(m[1])
  if (!Number.isSafeInteger(baseOffset)) return undefined
  return { baseOffset, suffix: m[2]!, cleaned: m[3] !== undefined }
}

/** `<topic>-<partition>`, Kafka's partition directory name. */
export function partitionDirName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`
}

/** Parse a partition directory name (the topic may hold `-`); `undefined` if it is none. */
export function parsePartitionDirName(name: string): TopicPartition | undefined {
  const m = /^(.+)-(\d{1,10})$/.exec(name)
  if (!m) return undefined
  try {
    return checkTopicPartition({ topic: m[1]!, partition: Number(m[2]) })
  } catch {
    return undefined
  }
}

/**
 * A fetched partition's records, decoded as they are handed over. A fetch answer's batches
 * are opened at once (framing, CRC and compression checked, as Kafka's `check.crcs`) and
 * counted from their headers, but a record becomes an object only when the consumer reaches
 * it: one batch of records at a time rather than a whole 1 MiB answer, so the records of a
 * fetch do not all live (and survive young-generation collections) until the last is handled.
 *
 * Data that cannot be read (a batch whose CRC does not check, a record that does not parse,
 * a compression without a codec) ends a chunk early, as in Kafka's consumer: the records before
 * it are handed over, and then the partition fails with a {@link ChunkFailure} at the offset
 * reached, which the consumer throws until the application seeks past it (Java's "Received
 * exception when fetching the next record ... If needed, please seek past the record to
 * continue consumption"). Fetching it again would only fail again, forever and silently.
 */
import { fromCode, isLogkeeperError, type LogkeeperError } from '../common/errors.js'
import { splitGoodBatches } from '../log/batch-header.js'
import { type OpenedRecordBatch, openRecordBatch } from '../log/record-batch.js'
import { RecordReader } from '../log/record-reader.js'
import type { PartitionState } from './subscription-state.js'
import type { ConsumedMessage } from './types.js'

/** Where a partition's data cannot be read, and the error saying so. */
export interface ChunkFailure {
  /** The offset reading stopped at (the first record not handed over). */
  readonly offset: number
  /** `CORRUPT_MESSAGE` (or the cause's own code), naming the partition and the offset. */
  readonly error: LogkeeperError
}

/**
 * Thrown by a poll round for a partition that has failed (and is not paused): `poll()` and the
 * iterator throw its `error`, `run()` crashes with it. A wrapper, because the error's own code
 * may be retriable (`CORRUPT_MESSAGE` is, for a producer) where this failure is not: only a
 * seek moves the partition on.
 */
export class PartitionFailure {
  /** The failure of `s`. */
  constructor(readonly error: LogkeeperError) {}
}

/** The failure of `topic`-`partition` at `offset`, caused by `cause`. */
export function failureAt(
  topic: string,
  partition: number,
  offset: number,
  cause: unknown,
): ChunkFailure {
  const code = isLogkeeperError(cause) ? cause.code : 'CORRUPT_MESSAGE'
  const why = cause instanceof Error ? cause.message : String(cause)
  const error = fromCode(
    code,
    `${topic}-${partition}: the record at offset ${offset} cannot be read (${why}); ` +
      'seek past it to go on reading the partition',
    { cause },
  )
  return { offset, error }
}

/**
 * Record `failure` on the partition when its position stands where the failure is (the records
 * before it were handed over); else nothing, and a later fetch meets it again.
 */
export function failPartition(s: PartitionState | undefined, failure: ChunkFailure | undefined) {
  if (failure === undefined || s === undefined || !s.assigned) return
  if (s.position === failure.offset) s.failure = failure.error
}

/** The records of one partition, fetched from `fetchOffset`. */
export interface Chunk {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The position the fetch was sent for: records below it are skipped. */
  readonly fetchOffset: number
  /** The leader's high watermark: records at or past it are not handed over. */
  readonly highWatermark: number
  /** The opened batches holding the records, in order. */
  readonly batches: readonly OpenedRecordBatch[]
  /** How many records they hold in `[fetchOffset, highWatermark)`. */
  readonly count: number
  /** Data that could not be read after the batches (reading stops there). */
  readonly failure?: ChunkFailure
}

/** Decoded records with their offsets as numbers. */
export interface DecodedRecords {
  /** The records, in offset order. */
  readonly messages: ConsumedMessage[]
  /** `offsets[i]` is `messages[i].offset` as a number. */
  readonly offsets: number[]
  /** Set when the records ended at data that cannot be read. */
  readonly failure: ChunkFailure | undefined
}

function lastOffsetOf(b: OpenedRecordBatch): number {
  return b.header.baseOffset + b.header.lastOffsetDelta
}

/** Records of `b` in `[from, to)`: from the header when the batch lies inside, else by reading. */
function countIn(b: OpenedRecordBatch, from: number, to: number): number {
  const base = b.header.baseOffset
  if (base >= from && lastOffsetOf(b) < to) return b.header.recordCount
  const reader = new RecordReader(b.section, b.header)
  let n = 0
  while (reader.next()) {
    const offset = base + reader.offsetDelta
    if (offset >= from && offset < to) n++
  }
  return n
}

/**
 * Open the batches of a fetch answer of `topic`-`partition` that hold records in `[from,
 * highWatermark)` (a cut-off batch at the end is left out, as Kafka's consumer leaves it) and
 * count those records. The first batch that cannot be read ends them, with its failure.
 */
export function openBatches(
  topic: string,
  partition: number,
  bytes: Uint8Array,
  from: number,
  highWatermark: number,
): { batches: OpenedRecordBatch[]; count: number; failure: ChunkFailure | undefined } {
  const batches: OpenedRecordBatch[] = []
  let count = 0
  let next = from
  if (bytes.length === 0) return { batches, count, failure: undefined }
  const split = splitGoodBatches(bytes, true)
  const fail = (cause: unknown) => failureAt(topic, partition, next, cause)
  for (const b of split.batches) {
    let opened: OpenedRecordBatch
    let n: number
    try {
      opened = openRecordBatch(b)
      if (lastOffsetOf(opened) < from) continue
      if (opened.header.baseOffset >= highWatermark) break
      n = countIn(opened, from, highWatermark)
    } catch (cause) {
      return { batches, count, failure: fail(cause) }
    }
    next = Math.max(next, lastOffsetOf(opened) + 1)
    if (n === 0) continue
    batches.push(opened)
    count += n
  }
  const failure = split.error === undefined ? undefined : fail(split.error)
  return { batches, count, failure }
}

/** Hands over a chunk's records one at a time, reading a batch when the previous one is done. */
export class RecordCursor {
  /** The offset of the record {@link next} returned last. */
  offset = -1
  /** Set once {@link next} met data it cannot read (it then returns undefined). */
  failure: ChunkFailure | undefined
  readonly #chunk: Chunk
  /** One past the offset of the last record read (handed over or skipped). */
  #next: number
  #batch = -1
  #base = 0
  #reader: RecordReader | undefined
  #timestamp = Number.NaN
  #timestampString = ''

  /** A cursor before the first record of `chunk`. */
  constructor(chunk: Chunk) {
    this.#chunk = chunk
    this.#next = chunk.fetchOffset
  }

  /** The next record in `[fetchOffset, highWatermark)`, or undefined after the last. */
  next(): ConsumedMessage | undefined {
    const { fetchOffset, highWatermark } = this.#chunk
    for (;;) {
      const reader = this.#reader
      if (reader === undefined || !this.#read(reader)) {
        if (!this.#open()) return undefined
        continue
      }
      const offset = this.#base + reader.offsetDelta
      if (offset >= this.#next) this.#next = offset + 1
      if (offset < fetchOffset) continue
      if (offset >= highWatermark) {
        this.#batch = this.#chunk.batches.length
        this.#reader = undefined
        return undefined
      }
      this.offset = offset
      return {
        offset: String(offset),
        timestamp: this.#timestampOf(reader.timestamp),
        key: reader.key,
        value: reader.value,
        headers: reader.headers,
        headerList: reader.headerList,
      }
    }
  }

  /** The reader's next record; false at the end of its batch or at data it cannot read. */
  #read(reader: RecordReader): boolean {
    try {
      return reader.next(true)
    } catch (cause) {
      const { topic, partition } = this.#chunk
      this.failure = failureAt(topic, partition, this.#next, cause)
      this.#batch = this.#chunk.batches.length
      return false
    }
  }

  #open(): boolean {
    const batches = this.#chunk.batches
    if (++this.#batch >= batches.length) {
      this.#reader = undefined
      if (this.#batch === batches.length) this.failure ??= this.#chunk.failure
      return false
    }
    const b = batches[this.#batch] as OpenedRecordBatch
    this.#base = b.header.baseOffset
    this.#reader = new RecordReader(b.section, b.header)
    return true
  }

  /** Records of a batch mostly share a timestamp: its decimal string is made once. */
  #timestampOf(timestamp: number): string {
    if (timestamp !== this.#timestamp) {
      this.#timestamp = timestamp
      this.#timestampString = String(timestamp)
    }
    return this.#timestampString
  }
}

/** Decode up to `max` records of a chunk. */
export function decodeChunk(chunk: Chunk, max = Number.POSITIVE_INFINITY): DecodedRecords {
  const messages: ConsumedMessage[] = []
  const offsets: number[] = []
  const cursor = new RecordCursor(chunk)
  while (messages.length < max) {
    const message = cursor.next()
    if (message === undefined) break
    messages.push(message)
    offsets.push(cursor.offset)
  }
  return { messages, offsets, failure: cursor.failure }
}

/** What is left of a chunk once `taken` of its records were handed over, up to `position`. */
export function restOf(chunk: Chunk, position: number, taken: number): Chunk {
  return {
    ...chunk,
    fetchOffset: position,
    batches: chunk.batches.filter((b) => lastOffsetOf(b) >= position),
    count: chunk.count - taken,
  }
}

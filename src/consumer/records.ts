/**
 * A fetched partition's records, decoded as they are handed over. A fetch answer's batches
 * are opened at once (framing, CRC and compression checked, as Kafka's `check.crcs`) and
 * counted from their headers, but a record becomes an object only when the consumer reaches
 * it: one batch of records at a time rather than a whole 1 MiB answer, so the records of a
 * fetch do not all live (and survive young-generation collections) until the last is handled.
 *
 * A record that does not parse inside a batch whose CRC checks (a producer wrote it so) is a
 * `CORRUPT_MESSAGE` error when it is reached: the records before it are handed over, and the
 * consumer fetches again from it (the error is retriable), as it did when a whole answer was
 * decoded at once and refused.
 */
import { splitBatches } from '../log/batch-header.js'
import { type OpenedRecordBatch, openRecordBatch } from '../log/record-batch.js'
import { RecordReader } from '../log/record-reader.js'
import type { ConsumedMessage } from './types.js'

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
}

/** Decoded records with their offsets as numbers. */
export interface DecodedRecords {
  /** The records, in offset order. */
  readonly messages: ConsumedMessage[]
  /** `offsets[i]` is `messages[i].offset` as a number. */
  readonly offsets: number[]
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
 * Open the batches of a fetch answer that hold records in `[from, highWatermark)` (a cut-off
 * batch at the end is left out, as Kafka's consumer leaves it) and count those records.
 */
export function openBatches(
  bytes: Uint8Array,
  from: number,
  highWatermark: number,
): { batches: OpenedRecordBatch[]; count: number } {
  const batches: OpenedRecordBatch[] = []
  let count = 0
  if (bytes.length === 0) return { batches, count }
  for (const b of splitBatches(bytes, true)) {
    const opened = openRecordBatch(b)
    if (lastOffsetOf(opened) < from) continue
    if (opened.header.baseOffset >= highWatermark) break
    const n = countIn(opened, from, highWatermark)
    if (n === 0) continue
    batches.push(opened)
    count += n
  }
  return { batches, count }
}

/** Hands over a chunk's records one at a time, reading a batch when the previous one is done. */
export class RecordCursor {
  /** The offset of the record {@link next} returned last. */
  offset = -1
  readonly #chunk: Chunk
  #batch = -1
  #base = 0
  #reader: RecordReader | undefined
  #timestamp = Number.NaN
  #timestampString = ''

  /** A cursor before the first record of `chunk`. */
  constructor(chunk: Chunk) {
    this.#chunk = chunk
  }

  /** The next record in `[fetchOffset, highWatermark)`, or undefined after the last. */
  next(): ConsumedMessage | undefined {
    const { fetchOffset, highWatermark } = this.#chunk
    for (;;) {
      const reader = this.#reader
      if (reader === undefined || !reader.next()) {
        if (!this.#open()) return undefined
        continue
      }
      const offset = this.#base + reader.offsetDelta
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
      }
    }
  }

  #open(): boolean {
    const batches = this.#chunk.batches
    if (++this.#batch >= batches.length) {
      this.#reader = undefined
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
  return { messages, offsets }
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

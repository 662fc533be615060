/**
 * Walking the batches of a segment file as Kafka's `FileLogInputStream` does, without loading
 * the file: a window of the file is read at a time. The walk stops (quietly) where fewer than
 * 17 bytes are left or a batch runs past the end (a torn tail), and fails where a size field
 * is below Kafka's minimum record overhead, as Kafka's own iteration does.
 */
import type { FileHandle } from 'node:fs/promises'
import { UserError } from '../errors.js'

/** Bytes before the magic byte of a batch (offset, size, leader epoch). */
export const HEADER_SIZE_UP_TO_MAGIC = 17
/** offset:int64 and size:int32. */
const LOG_OVERHEAD = 12
/** Kafka's `LegacyRecord.RECORD_OVERHEAD_V0`: the smallest size field it accepts. */
const MIN_RECORD_OVERHEAD = 14
/** The v2 batch header's size. */
export const BATCH_HEADER_SIZE = 61
const WINDOW = 1 << 20

/** One batch found in the file. */
export interface FoundBatch {
  /** Its byte position in the file. */
  readonly position: number
  /** Its size in bytes (LOG_OVERHEAD + the size field). */
  readonly size: number
  /** Its magic byte. */
  readonly magic: number
  /** The batch's bytes, or at least its first 61 bytes when it claims fewer (as Kafka reads). */
  readonly bytes: Buffer
}

/** Reads ranges of a file through a window. */
class Window {
  #start = 0
  #buf = Buffer.alloc(0)

  constructor(
    private readonly file: FileHandle,
    private readonly end: number,
  ) {}

  /** `length` bytes at `position` (fewer at the end), a view valid until the next call. */
  async bytes(position: number, length: number): Promise<Buffer> {
    const want = Math.min(length, this.end - position)
    if (position < this.#start || position + want > this.#start + this.#buf.length) {
      const size = Math.min(Math.max(want, WINDOW), this.end - position)
      const buf = Buffer.allocUnsafe(size)
      let got = 0
      while (got < size) {
        const { bytesRead } = await this.file.read(buf, got, size - got, position + got)
        if (bytesRead === 0) break
        got += bytesRead
      }
      this.#start = position
      this.#buf = buf.subarray(0, got)
    }
    const from = position - this.#start
    return this.#buf.subarray(from, Math.min(from + want, this.#buf.length))
  }
}

/** The batches of the first `end` bytes of `file`, as Kafka iterates them. */
export async function* readBatches(
  file: FileHandle,
  end: number,
  name: string,
): AsyncGenerator<FoundBatch> {
  const window = new Window(file, end)
  let position = 0
  while (position < end - HEADER_SIZE_UP_TO_MAGIC) {
    const head = await window.bytes(position, HEADER_SIZE_UP_TO_MAGIC)
    const sizeField = head.readInt32BE(8)
    if (sizeField < MIN_RECORD_OVERHEAD) {
      throw new UserError(
        `Found record size ${sizeField} smaller than minimum record overhead ` +
          `(${MIN_RECORD_OVERHEAD}) in file ${name}.`,
      )
    }
    if (position > end - LOG_OVERHEAD - sizeField) return
    const size = LOG_OVERHEAD + sizeField
    const magic = head[16] as number
    const bytes = Buffer.from(await window.bytes(position, Math.max(size, BATCH_HEADER_SIZE)))
    yield { position, size, magic, bytes }
    position += size
  }
}

/**
 * Reading the records section of a RecordBatch v2. Keys, values and header values come back
 * as Buffer views into the given bytes (no copy). Any inconsistency (a record's length not
 * matching its fields, records left over or missing) is a `CORRUPT_MESSAGE` error.
 *
 * {@link RecordReader} reads one record at a time into its own fields, so a caller that builds
 * its own record objects (the consumer) allocates nothing else per record but the key and
 * value views and the headers object; {@link readRecords} builds `decodeRecordBatch`'s records
 * with it.
 */
import { fromCode } from '../common/errors.js'
import type { BatchHeader } from './batch-header.js'
import type { DecodedRecord, RecordHeader } from './record-types.js'
import { ByteCursor, readVarint, readVarlong } from './varint.js'

function corrupt(message: string): Error {
  return fromCode('CORRUPT_MESSAGE', message)
}

/** The header list of a record without headers: shared, so such records allocate no list. */
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([])

function setHeader(headers: Record<string, Buffer | null>, key: string, value: Buffer | null) {
  // defineProperty, not assignment: a header named `__proto__` must stay plain data.
  Object.defineProperty(headers, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

/** Reads the records of one records section in order, one {@link next} call per record. */
export class RecordReader {
  /** The offset delta of the record last read. */
  offsetDelta = 0
  /** Its timestamp (ms since the epoch; the batch's max timestamp under LogAppendTime). */
  timestamp = 0
  /** Its key (a view of the section's bytes), or null. */
  key: Buffer | null = null
  /** Its value (a view), or null. */
  value: Buffer | null = null
  /** Its headers by key (the last value of a repeated key): a fresh object per record. */
  headers: Record<string, Buffer | null> = {}
  /** Its headers in order, repeats included, when {@link next} was asked for them. */
  headerList: readonly RecordHeader[] = NO_HEADERS
  readonly #section: Uint8Array
  readonly #memory: ArrayBufferLike
  readonly #base: number
  readonly #c: ByteCursor
  /** One record's region: reused from record to record. */
  readonly #r: ByteCursor
  readonly #header: BatchHeader
  readonly #logAppendTime: boolean
  #left: number

  /** A reader of the `header.recordCount` records of an (uncompressed) records section. */
  constructor(section: Uint8Array, header: BatchHeader) {
    const count = header.recordCount
    if (count < 0 || count > section.length) throw corrupt(`bad record count ${count}`)
    this.#section = section
    this.#memory = section.buffer
    this.#base = section.byteOffset
    this.#c = new ByteCursor(section)
    this.#r = new ByteCursor(section, 0, 0)
    this.#header = header
    this.#logAppendTime = header.timestampType === 'LogAppendTime'
    this.#left = count
  }

  /**
   * Read the next record into the fields; false when all were read (and then checks that no
   * bytes are left over). `withList`: fill {@link headerList} too.
   */
  next(withList = false): boolean {
    const c = this.#c
    if (this.#left === 0) {
      if (c.pos !== this.#section.length) {
        const left = this.#section.length - c.pos
        throw corrupt(`${left} bytes left over after ${this.#header.recordCount} records`)
      }
      return false
    }
    this.#left--
    const length = readVarint(c)
    const end = c.pos + length
    if (length < 0 || end > c.end) throw corrupt(`record length ${length} runs past the batch`)
    const r = this.#r
    r.pos = c.pos
    r.end = end
    r.byte() // record attributes: unused in v2
    const timestampDelta = readVarlong(r)
    this.offsetDelta = readVarint(r)
    this.key = this.#bytes()
    this.value = this.#bytes()
    this.#readHeaders(withList)
    if (r.pos !== end) throw corrupt(`record declares ${length} bytes but holds ${r.pos - c.pos}`)
    c.pos = end
    const h = this.#header
    const timestamp = this.#logAppendTime ? h.maxTimestamp : h.baseTimestamp + timestampDelta
    if (!Number.isSafeInteger(timestamp)) throw corrupt(`record timestamp out of range`)
    this.timestamp = timestamp
    return true
  }

  #bytes(): Buffer | null {
    const r = this.#r
    const len = readVarint(r)
    if (len === -1) return null
    if (len < 0 || len > r.end - r.pos) throw corrupt(`field length ${len} runs past the record`)
    const view = Buffer.from(this.#memory, this.#base + r.pos, len)
    r.pos += len
    return view
  }

  #readHeaders(withList: boolean): void {
    const r = this.#r
    const count = readVarint(r)
    if (count < 0 || count > r.end - r.pos) throw corrupt(`bad header count ${count}`)
    const headers: Record<string, Buffer | null> = {}
    const list: RecordHeader[] | undefined = withList && count > 0 ? [] : undefined
    for (let i = 0; i < count; i++) {
      const keyBytes = this.#bytes()
      if (keyBytes === null) throw corrupt('a header key is null')
      const key = keyBytes.toString('utf8')
      const value = this.#bytes()
      setHeader(headers, key, value)
      list?.push({ key, value })
    }
    this.headers = headers
    if (withList) this.headerList = list ?? NO_HEADERS
  }
}

/** Read the `header.recordCount` records of an (uncompressed or decompressed) records section. */
export function readRecords(
  section: Uint8Array,
  header: BatchHeader,
  baseOffset: bigint,
): DecodedRecord[] {
  const reader = new RecordReader(section, header)
  const records: DecodedRecord[] = new Array(header.recordCount)
  for (let i = 0; reader.next(true); i++) {
    records[i] = {
      offset: baseOffset + BigInt(reader.offsetDelta),
      offsetDelta: reader.offsetDelta,
      timestamp: reader.timestamp,
      key: reader.key,
      value: reader.value,
      headers: reader.headers,
      headerList: reader.headerList,
    }
  }
  return records
}

/**
 * Reading the records section of a RecordBatch v2. Keys, values and header values come back
 * as Buffer views into the given bytes (no copy). Any inconsistency (a record's length not
 * matching its fields, records left over or missing) is a `CORRUPT_MESSAGE` error.
 */
import { fromCode } from '../common/errors.js'
import type { BatchHeader } from './batch-header.js'
import type { DecodedRecord, RecordHeader } from './record-types.js'
import { ByteCursor, readVarint, readVarlong } from './varint.js'

function corrupt(message: string): Error {
  return fromCode('CORRUPT_MESSAGE', message)
}

function readBytes(c: ByteCursor): Buffer | null {
  const len = readVarint(c)
  if (len === -1) return null
  if (len < 0 || len > c.end - c.pos) throw corrupt(`field length ${len} runs past the record`)
  const view = Buffer.from(c.bytes.buffer, c.bytes.byteOffset + c.pos, len)
  c.pos += len
  return view
}

function setHeader(headers: Record<string, Buffer | null>, key: string, value: Buffer | null) {
  // defineProperty, not assignment: a header named `__proto__` must stay plain data.
  Object.defineProperty(headers, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

function readHeaders(c: ByteCursor): [Record<string, Buffer | null>, RecordHeader[]] {
  const count = readVarint(c)
  if (count < 0 || count > c.end - c.pos) throw corrupt(`bad header count ${count}`)
  const headers: Record<string, Buffer | null> = {}
  const list: RecordHeader[] = []
  for (let i = 0; i < count; i++) {
    const keyBytes = readBytes(c)
    if (keyBytes === null) throw corrupt('a header key is null')
    const key = keyBytes.toString('utf8')
    const value = readBytes(c)
    setHeader(headers, key, value)
    list.push({ key, value })
  }
  return [headers, list]
}

function readRecord(
  c: ByteCursor,
  header: BatchHeader,
  baseOffset: bigint,
  logAppendTime: boolean,
): DecodedRecord {
  const length = readVarint(c)
  const end = c.pos + length
  if (length < 0 || end > c.end) throw corrupt(`record length ${length} runs past the batch`)
  const r = new ByteCursor(c.bytes, c.pos, end)
  r.byte() // record attributes: unused in v2
  const timestampDelta = readVarlong(r)
  const offsetDelta = readVarint(r)
  const key = readBytes(r)
  const value = readBytes(r)
  const [headers, headerList] = readHeaders(r)
  if (r.pos !== end) throw corrupt(`record declares ${length} bytes but holds ${r.pos - c.pos}`)
  c.pos = end
  const timestamp = logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta
  if (!Number.isSafeInteger(timestamp)) throw corrupt(`record timestamp out of range`)
  return {
    offset: baseOffset + BigInt(offsetDelta),
    offsetDelta,
    timestamp,
    key,
    value,
    headers,
    headerList,
  }
}

/** Read the `header.recordCount` records of an (uncompressed or decompressed) records section. */
export function readRecords(
  section: Uint8Array,
  header: BatchHeader,
  baseOffset: bigint,
): DecodedRecord[] {
  const count = header.recordCount
  if (count < 0 || count > section.length) throw corrupt(`bad record count ${count}`)
  const c = new ByteCursor(section)
  const logAppendTime = header.timestampType === 'LogAppendTime'
  const records: DecodedRecord[] = new Array(count)
  for (let i = 0; i < count; i++) records[i] = readRecord(c, header, baseOffset, logAppendTime)
  if (c.pos !== section.length) {
    throw corrupt(`${section.length - c.pos} bytes left over after ${count} records`)
  }
  return records
}

/**
 * kafka-dump-log's lines (`DumpLogSegments`): one per batch (`baseOffset: ... isvalid: true`)
 * and, with deep iteration, one per record (`| offset: ... payload: ...`). 64-bit fields are
 * read as bigints so that whatever a damaged header holds prints as Kafka would print it.
 */
import { crc32c } from '../../common/crc32c.js'
import { ATTR, BATCH, COMPRESSION_CODECS } from '../../log/batch-header.js'
import type { DecodedRecord } from '../../log/record-types.js'
import { BATCH_HEADER_SIZE } from './segment-reader.js'

const INT32_MAX = 0x7fff_ffff

/** The header fields of a v2 batch that the dump prints. */
export interface DumpHeader {
  readonly baseOffset: bigint
  readonly lastOffset: bigint
  readonly lastOffsetDelta: number
  readonly count: number
  readonly baseSequence: number
  readonly lastSequence: number
  readonly producerId: bigint
  readonly producerEpoch: number
  readonly partitionLeaderEpoch: number
  readonly attributes: number
  readonly isTransactional: boolean
  readonly isControl: boolean
  readonly timestampType: 'CreateTime' | 'LogAppendTime'
  readonly baseTimestamp: bigint
  readonly maxTimestamp: bigint
  readonly codec: string | undefined
  readonly crc: number
  readonly isValid: boolean
}

/** Kafka's `DefaultRecordBatch.incrementSequence`: sequences wrap at Int32 max. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1
  return sequence + increment
}

/** Read a v2 batch header from `bytes` (at least 61 of them); `size` is the batch's size. */
export function readDumpHeader(bytes: Buffer, size: number): DumpHeader {
  const baseOffset = bytes.readBigInt64BE(BATCH.BASE_OFFSET)
  const attributes = bytes.readInt16BE(BATCH.ATTRIBUTES)
  const lastOffsetDelta = bytes.readInt32BE(BATCH.LAST_OFFSET_DELTA)
  const baseSequence = bytes.readInt32BE(BATCH.BASE_SEQUENCE)
  const crc = bytes.readUInt32BE(BATCH.CRC)
  const whole = size >= BATCH_HEADER_SIZE && bytes.length >= size
  return {
    baseOffset,
    lastOffset: baseOffset + BigInt(lastOffsetDelta),
    lastOffsetDelta,
    count: bytes.readInt32BE(BATCH.RECORD_COUNT),
    baseSequence,
    lastSequence: baseSequence === -1 ? -1 : incrementSequence(baseSequence, lastOffsetDelta),
    producerId: bytes.readBigInt64BE(BATCH.PRODUCER_ID),
    producerEpoch: bytes.readInt16BE(BATCH.PRODUCER_EPOCH),
    partitionLeaderEpoch: bytes.readInt32BE(BATCH.PARTITION_LEADER_EPOCH),
    attributes,
    isTransactional: (attributes & ATTR.TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR.CONTROL) !== 0,
    timestampType: attributes & ATTR.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
    baseTimestamp: bytes.readBigInt64BE(BATCH.BASE_TIMESTAMP),
    maxTimestamp: bytes.readBigInt64BE(BATCH.MAX_TIMESTAMP),
    codec: COMPRESSION_CODECS[attributes & ATTR.COMPRESSION_MASK],
    crc,
    isValid: whole && crc32c(bytes, BATCH.ATTRIBUTES, size) === crc,
  }
}

/** The batch line of kafka-dump-log. */
export function batchLine(h: DumpHeader, position: number, size: number, magic: number): string {
  const deleteHorizon =
    h.attributes & ATTR.DELETE_HORIZON ? `OptionalLong[${h.baseTimestamp}]` : 'OptionalLong.empty'
  return (
    `baseOffset: ${h.baseOffset} lastOffset: ${h.lastOffset} count: ${h.count} ` +
    `baseSequence: ${h.baseSequence} lastSequence: ${h.lastSequence} ` +
    `producerId: ${h.producerId} producerEpoch: ${h.producerEpoch} ` +
    `partitionLeaderEpoch: ${h.partitionLeaderEpoch} isTransactional: ${h.isTransactional} ` +
    `isControl: ${h.isControl} deleteHorizonMs: ${deleteHorizon} position: ${position} ` +
    `${h.timestampType}: ${h.maxTimestamp} size: ${size} magic: ${magic} ` +
    `compresscodec: ${h.codec} crc: ${h.crc} isvalid: ${h.isValid}`
  )
}

const CONTROL_TYPES = [
  'ABORT',
  'COMMIT',
  'SNAPSHOT_HEADER',
  'SNAPSHOT_FOOTER',
  'KRAFT_VERSION',
  'KRAFT_VOTERS',
]

/** What a control record says: an end-transaction marker, or its control type. */
function controlText(record: DecodedRecord): string {
  const key = record.key
  const id = key !== null && key.length >= 4 ? key.readInt16BE(2) : -1
  const type = CONTROL_TYPES[id] ?? 'UNKNOWN'
  const value = record.value
  if ((id === 0 || id === 1) && value !== null && value.length >= 6) {
    return ` endTxnMarker: ${type} coordinatorEpoch: ${value.readInt32BE(2)}`
  }
  return ` controlType: ${type}(${id})`
}

/** Options of {@link recordLine}. */
export interface RecordLineOptions {
  /** Print keys and values (`--print-data-log`). */
  readonly printData: boolean
  /** Leave out the offset, timestamp, sizes and headers (`--skip-record-metadata`). */
  readonly skipMetadata: boolean
}

/** The record line of kafka-dump-log's deep iteration. */
export function recordLine(h: DumpHeader, r: DecodedRecord, options: RecordLineOptions): string {
  let line = '| '
  let prefix = '| '
  if (!options.skipMetadata) {
    const sequence = h.baseSequence === -1 ? -1 : incrementSequence(h.baseSequence, r.offsetDelta)
    line +=
      `offset: ${r.offset} ${h.timestampType}: ${r.timestamp} ` +
      `keySize: ${r.key === null ? -1 : r.key.length} ` +
      `valueSize: ${r.value === null ? -1 : r.value.length}` +
      ` sequence: ${sequence} headerKeys: [${r.headerList.map((x) => x.key).join(',')}]`
    if (h.isControl) line += controlText(r)
    prefix = ' '
  } else {
    line = ''
  }
  if (options.printData && !h.isControl) {
    if (r.key !== null) {
      line += `${prefix}key: ${r.key.toString('utf8')}`
      prefix = ' '
    }
    if (r.value !== null) line += ` payload: ${r.value.toString('utf8')}`
  }
  return line
}

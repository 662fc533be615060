/**
 * The log layer: the RecordBatch v2 codec, topic names, and the partition log.
 *
 * @packageDocumentation
 */
export * from './batch-header.js'
export { decodeRecordBatch, encodeRecordBatch } from './record-batch.js'
export type * from './record-types.js'
export * from './topic-name.js'

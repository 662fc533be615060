/**
 * The log layer: the RecordBatch v2 codec, topic names, log configuration, and the partition
 * log over a `PartitionStore`.
 *
 * @packageDocumentation
 */
export {
  ATTR,
  BATCH,
  BATCH_HEADER_BYTES,
  type BatchHeader,
  COMPRESSION_CODECS,
  type CompressionCodec,
  checkBatch,
  checkBatchFrame,
  LOG_OVERHEAD,
  MAGIC_V2,
  readBatchHeader,
  splitBatches,
  type TimestampType,
  verifyBatchCrc,
} from './batch-header.js'
export type { AppendInfo, AppendOptions } from './log-append.js'
export type { CompactionResult } from './log-compaction.js'
export {
  type CleanupPolicy,
  LOG_CONFIG_DEFAULTS,
  LOG_CONFIG_MAX,
  type LogConfig,
  resolveLogConfig,
} from './log-config.js'
export {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  type ReadOptions,
  type ReadResult,
  type TimestampOffset,
} from './log-read.js'
export type { RecoveryInfo } from './log-recovery.js'
export type { RetentionResult } from './log-retention.js'
export { PartitionLog, type PartitionLogOptions } from './partition-log.js'
export {
  PRODUCER_BATCHES_KEPT,
  type ProducerBatch,
  type ProducerEntry,
} from './producer-state.js'
export { decodeRecordBatch, encodeRecordBatch } from './record-batch.js'
export type * from './record-types.js'
export * from './topic-name.js'

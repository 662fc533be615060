/**
 * The durability setting of a data directory: Kafka's `flush.messages` and `flush.ms` as
 * defaults for the logs opened in it, and whether metadata writes are synced. What each
 * choice promises (docs/durability.md):
 *
 * - **Default** (neither set): logkeeper never fsyncs a log. Appended bytes reach the OS when
 *   the appending turn of the event loop ends (the stores' write-behind), so they survive a
 *   crash of the process; the OS writes them to the disk when it decides (Linux: within about
 *   30 s), so a power loss or kernel crash may lose recent appends. Kafka's own default: it
 *   relies on replication, not fsync.
 * - **`flushMessages: 1`**: every append is followed by a flush with fsync (started in the
 *   background; `PartitionLog.appendDurable` waits for it). Once it resolves, the batch
 *   survives a power loss, as far as the disk honours fsync.
 * - **`flushMessages: N`**: an fsync after every N records; a power loss loses fewer than N.
 * - **`flushMs: T`**: an fsync at most T ms (on the injected clock) after the first unflushed
 *   append; a power loss loses at most about T ms of appends.
 *
 * An fsync covers a segment's `.log`, `.index` and `.timeindex` and, when files were created or
 * removed, the partition directory.
 */
import { checkNonNegative, invalid } from './store-errors.js'

/** How hard a data directory works to keep data across crashes. */
export interface DurabilityOptions {
  /** Kafka's `flush.messages`: fsync a log after this many appended records (1: every append). */
  flushMessages?: number
  /** Kafka's `flush.ms`: fsync a log at most this many ms after its first unflushed append. */
  flushMs?: number
  /**
   * Sync metadata writes (checkpoints, and in a cluster the coordinator's txn log) to the disk
   * before they resolve, as Kafka fsyncs its checkpoint files and ZooKeeper its txn log
   * (`forceSync=yes`). Default true.
   */
  syncMetadata?: boolean
}

/** Durability options, validated, with defaults. */
export interface Durability {
  /** Records between fsyncs, or `undefined` for never. */
  readonly flushMessages: number | undefined
  /** Milliseconds before an fsync, or `undefined` for never. */
  readonly flushMs: number | undefined
  readonly syncMetadata: boolean
}

/** Validate and complete durability options (`INVALID_ARGUMENT` on a bad value). */
export function resolveDurability(options: DurabilityOptions = {}): Durability {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('durability must be an object of flushMessages, flushMs and syncMetadata')
  }
  const { flushMessages, flushMs, syncMetadata = true } = options
  if (flushMessages !== undefined && checkNonNegative(flushMessages, 'flushMessages') < 1) {
    throw invalid('flushMessages must be at least 1')
  }
  if (flushMs !== undefined) checkNonNegative(flushMs, 'flushMs')
  if (typeof syncMetadata !== 'boolean') throw invalid('syncMetadata must be a boolean')
  return { flushMessages, flushMs, syncMetadata }
}

/**
 * The log settings a durability implies, in Kafka's names, to merge into a topic's log
 * configuration (absent keys keep the log's own defaults).
 */
export function durabilityLogConfig(d: Durability): {
  'flush.messages'?: number
  'flush.ms'?: number
} {
  return {
    ...(d.flushMessages === undefined ? {} : { 'flush.messages': d.flushMessages }),
    ...(d.flushMs === undefined ? {} : { 'flush.ms': d.flushMs }),
  }
}

/**
 * Saving and loading what a log store does not keep (Kafka's `replication-offset-checkpoint`,
 * `log-start-offset-checkpoint` and `leader-epoch-checkpoint`): each partition's high
 * watermark, log start offset and leader epochs, in the {@link CheckpointStore}.
 */
import type { PartitionLog } from '../../log/partition-log.js'
import type { CheckpointStore, PartitionCheckpoint } from '../../storage/checkpoints.js'
import type { TopicPartition } from '../../storage/log-store.js'
import { LeaderEpochCache } from './leader-epoch-cache.js'
import type { Partition } from './partition.js'

/**
 * Write the checkpoints of `partitions` in one atomic batch. While the broker runs, closed
 * logs are left out; with `closing` (the broker's clean shutdown, every log just closed) they
 * are all written, each with what its clean close left.
 */
export async function writeCheckpoints(
  store: CheckpointStore,
  partitions: Iterable<Partition>,
  options: { readonly closing?: boolean } = {},
): Promise<void> {
  const updates = []
  for (const p of partitions) {
    const log = p.log
    if (log.closed && !options.closing) continue
    updates.push({
      topicPartition: p.topicPartition,
      highWatermark: log.highWatermark,
      logStartOffset: log.logStartOffset,
      leaderEpochs: p.epochs.entries(),
      ...(options.closing && log.cleanShutdown ? { cleanShutdown: log.cleanShutdown } : {}),
    })
  }
  if (updates.length > 0) await store.write(updates)
}

/** The checkpoint of `tp`, or an empty one without a store. */
export async function readCheckpoint(
  store: CheckpointStore | undefined,
  tp: TopicPartition,
): Promise<PartitionCheckpoint> {
  return store === undefined ? {} : store.read(tp)
}

/**
 * The leader epochs of a log just opened: the checkpointed ones cut to the log's range, then
 * the epochs of batches written since the last checkpointed epoch began (a crash may have
 * left the checkpoint behind the log), read from batch headers. Without a checkpoint the
 * whole log is scanned. A log opened from a clean close is not read: the epochs were
 * checkpointed with it closed, so they cover it to its end.
 */
export async function loadEpochs(
  log: PartitionLog,
  checkpoint: PartitionCheckpoint,
): Promise<LeaderEpochCache> {
  const cache = new LeaderEpochCache(checkpoint.leaderEpochs ?? [])
  cache.truncateFromEnd(log.logEndOffset)
  cache.truncateFromStart(log.logStartOffset)
  const entries = cache.entries()
  if (log.recovery.clean && entries.length > 0) return cache
  const from = entries[entries.length - 1]?.startOffset ?? log.logStartOffset
  await cache.scan(log, from)
  return cache
}

/**
 * Applying the controller's partition states (Kafka's `ReplicaManager.becomeLeaderOrFollower`,
 * `makeLeaders`, `makeFollowers` and `stopReplicas`) to one partition at a time. A state with
 * the current leader epoch and a newer state version (the controller changed only the ISR)
 * updates the ISR; an equal or older version is already applied; an older epoch is fenced.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { PartitionLog } from '../../log/partition-log.js'
import type { PartitionCheckpoint } from '../../storage/checkpoints.js'
import type { BrokerId, BrokerInfo, PartitionResult, PartitionState } from '../api.js'
import { NO_LEADER } from '../api.js'
import { loadEpochs, readCheckpoint } from './checkpoints.js'
import type { LeaderEpochCache } from './leader-epoch-cache.js'
import { Partition, partitionKey } from './partition.js'
import type { ReplicaManagerOptions } from './types.js'

/** What state changes need from the replica manager. */
export interface StateChangeContext {
  /** The manager's options. */
  readonly options: ReplicaManagerOptions
  /** The hosted partitions by key. */
  readonly partitions: Map<string, Partition>
  /** Start fetching `p` from `leader` (replacing any earlier fetch of it). */
  follow(p: Partition, leader: BrokerId): void
  /** Stop fetching the partition `key`; resolves once no fetch response is applied to it. */
  unfollow(key: string): Promise<void>
}

/**
 * The epochs of a log just opened; a clean-shutdown description it was opened with is
 * removed first, since it describes the log only until the log changes (Kafka deletes its
 * clean-shutdown file once the logs are loaded).
 */
async function ready(
  ctx: StateChangeContext,
  log: PartitionLog,
  checkpoint: PartitionCheckpoint,
): Promise<LeaderEpochCache> {
  const store = ctx.options.checkpoints
  if (store !== undefined && checkpoint.cleanShutdown) {
    await store.write([{ topicPartition: log.topicPartition, cleanShutdown: null }])
  }
  return loadEpochs(log, checkpoint)
}

async function openPartition(ctx: StateChangeContext, s: PartitionState): Promise<Partition> {
  const { options } = ctx
  const tp = { topic: s.topic, partition: s.partition }
  const config = options.topicConfig(s.topic)
  const checkpoint = await readCheckpoint(options.checkpoints, tp)
  const log = await options.logs.open(tp, config, {
    highWatermark: checkpoint.highWatermark,
    logStartOffset: checkpoint.logStartOffset,
    cleanShutdown: checkpoint.cleanShutdown,
  })
  const epochs = await ready(ctx, log, checkpoint).catch(async (err: unknown) => {
    await log.close().catch(() => undefined)
    throw err
  })
  const p = new Partition(tp, options.brokerId, log, epochs, config['min.insync.replicas'])
  ctx.partitions.set(p.key, p)
  return p
}

/** Apply one partition's state from a LeaderAndIsr. */
export async function applyPartitionState(
  ctx: StateChangeContext,
  s: PartitionState,
  liveLeaders: readonly BrokerInfo[],
): Promise<PartitionResult> {
  const done: PartitionResult = { topic: s.topic, partition: s.partition }
  const me = ctx.options.brokerId
  if (!Array.isArray(s.replicas) || !s.replicas.includes(me)) {
    return { ...done, error: 'UNKNOWN_TOPIC_OR_PARTITION' }
  }
  let p = ctx.partitions.get(partitionKey(s.topic, s.partition))
  if (p !== undefined) {
    if (s.leaderEpoch < p.leaderEpoch) return { ...done, error: 'FENCED_LEADER_EPOCH' }
    if (s.leaderEpoch === p.leaderEpoch && s.zkVersion <= p.zkVersion) return done
  } else {
    try {
      p = await openPartition(ctx, s)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const error = isLogkeeperError(err, 'CLOSED')
        ? 'NOT_LEADER_OR_FOLLOWER'
        : 'KAFKA_STORAGE_ERROR'
      return { ...done, error, errorMessage: message }
    }
  }
  const newEpoch = s.leaderEpoch !== p.leaderEpoch
  if (s.leader === me) {
    await ctx.unfollow(p.key)
    p.makeLeader(s, newEpoch, ctx.options.clock.now())
    return done
  }
  const sameLeader = !p.isLeader && p.leader === s.leader && !newEpoch
  if (sameLeader) {
    p.applyState(s) // an ISR change only: keep fetching as before
    return done
  }
  await ctx.unfollow(p.key)
  p.makeFollower(s)
  const live = liveLeaders.length === 0 || liveLeaders.some((b) => b.nodeId === s.leader)
  if (s.leader !== NO_LEADER && live) ctx.follow(p, s.leader)
  return done
}

/** Stop one partition (StopReplica): no more fetching or leading; with `remove`, delete its log. */
export async function stopPartition(
  ctx: StateChangeContext,
  s: { readonly topic: string; readonly partition: number },
  remove: boolean,
): Promise<PartitionResult> {
  const done: PartitionResult = { topic: s.topic, partition: s.partition }
  const key = partitionKey(s.topic, s.partition)
  const p = ctx.partitions.get(key)
  if (p !== undefined) {
    await ctx.unfollow(key)
    p.stopLeading()
  }
  if (!remove) return done
  // A log on disk that no LeaderAndIsr opened yet (the broker just restarted) goes too, or the
  // next LeaderAndIsr would bring the deleted topic back.
  ctx.partitions.delete(key)
  const { logs, checkpoints } = ctx.options
  const tp = { topic: s.topic, partition: s.partition }
  try {
    await p?.log.close()
    await logs.delete(tp)
    await checkpoints?.delete(tp)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return { ...done, error: 'KAFKA_STORAGE_ERROR', errorMessage: message }
  }
  return done
}

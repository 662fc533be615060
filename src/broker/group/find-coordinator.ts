/**
 * FindCoordinator (Kafka's `KafkaApis.handleFindCoordinatorRequest` for groups): the
 * coordinator of a group is the leader of the `__consumer_offsets` partition its id hashes
 * to. The first request creates the topic (`offsets.topic.num.partitions` partitions,
 * replication factor `min(offsets.topic.replication.factor, live brokers)`, compacted);
 * while a partition has no live leader the answer is COORDINATOR_NOT_AVAILABLE.
 */
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../api.js'
import type { BrokerConfig } from '../config.js'
import type { MetadataCache } from '../metadata-cache.js'
import { OFFSETS_TOPIC, partitionFor } from './partition-for.js'

/** What FindCoordinator needs from its broker. @internal */
export interface FindCoordinatorContext {
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** The metadata cache. */
  readonly cache: MetadataCache
  /** Create `__consumer_offsets` with the given settings (waiting a little for its leaders). */
  createTopic(
    numPartitions: number,
    replicationFactor: number,
    configs: Record<string, string>,
  ): Promise<void>
}

const NOT_AVAILABLE: FindCoordinatorResponse = {
  error: 'COORDINATOR_NOT_AVAILABLE',
  errorMessage: 'The coordinator is not available.',
  nodeId: -1,
  host: '',
  port: -1,
}

/** The settings `__consumer_offsets` is created with. @internal */
export function offsetsTopicConfigs(config: Readonly<BrokerConfig>): Record<string, string> {
  return {
    'cleanup.policy': 'compact',
    'segment.bytes': String(config['offsets.topic.segment.bytes']),
  }
}

/** Serve FindCoordinator. @internal */
export async function findCoordinator(
  ctx: FindCoordinatorContext,
  req: FindCoordinatorRequest,
): Promise<FindCoordinatorResponse> {
  if (req.keyType !== 0) {
    return {
      ...NOT_AVAILABLE,
      error: 'INVALID_REQUEST',
      errorMessage: 'only groups (keyType 0) have coordinators',
    }
  }
  if (typeof req.key !== 'string') {
    return { ...NOT_AVAILABLE, error: 'INVALID_REQUEST', errorMessage: 'the key must be a string' }
  }
  if (ctx.cache.partitions(OFFSETS_TOPIC) === undefined) {
    const live = ctx.cache.liveBrokers.length
    const rf = Math.min(ctx.config['offsets.topic.replication.factor'], live)
    if (rf < 1) return NOT_AVAILABLE
    await ctx
      .createTopic(ctx.config['offsets.topic.num.partitions'], rf, offsetsTopicConfigs(ctx.config))
      .catch(() => undefined)
  }
  const partitions = ctx.cache.partitions(OFFSETS_TOPIC)
  if (partitions === undefined || partitions.length === 0) return NOT_AVAILABLE
  const p = partitions[partitionFor(req.key, partitions.length)]
  const broker = ctx.cache.liveBrokers.find((b) => b.nodeId === p?.leader)
  if (broker === undefined) return NOT_AVAILABLE
  return { nodeId: broker.nodeId, host: broker.host, port: broker.port }
}

/**
 * The leader's side of ListOffsets (Kafka's `Partition.fetchOffsetForTimestamp`): the latest
 * offset (the high watermark for consumers, the log end for a follower's `replicaId`), the
 * earliest (the log start), or the first offset at or after a timestamp, which consumers see
 * only below the high watermark.
 */
import { type ErrorCode, isLogkeeperError } from '../../common/errors.js'
import {
  EARLIEST_OFFSET,
  LATEST_OFFSET,
  type ListOffsetsPartitionResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
} from '../api.js'
import { type Partition, partitionKey } from './partition.js'

type Query = ListOffsetsRequest['topics'][number]['partitions'][number]

function failed(partition: number, error: ErrorCode): ListOffsetsPartitionResponse {
  return { partition, error, timestamp: -1, offset: -1, leaderEpoch: -1 }
}

async function lookUp(
  p: Partition | undefined,
  q: Query,
  consumer: boolean,
): Promise<ListOffsetsPartitionResponse> {
  if (p === undefined) return failed(q.partition, 'UNKNOWN_TOPIC_OR_PARTITION')
  const epoch = q.currentLeaderEpoch
  if (epoch >= 0 && epoch < p.leaderEpoch) return failed(q.partition, 'FENCED_LEADER_EPOCH')
  if (epoch > p.leaderEpoch) return failed(q.partition, 'UNKNOWN_LEADER_EPOCH')
  if (!p.isLeader) return failed(q.partition, 'NOT_LEADER_OR_FOLLOWER')
  const log = p.log
  const ts = q.timestamp
  if (ts === LATEST_OFFSET) {
    const offset = consumer ? log.highWatermark : log.logEndOffset
    return { partition: q.partition, timestamp: -1, offset, leaderEpoch: p.leaderEpoch }
  }
  if (ts === EARLIEST_OFFSET) {
    const offset = log.logStartOffset
    const leaderEpoch = p.epochs.epochForOffset(offset)
    return { partition: q.partition, timestamp: -1, offset, leaderEpoch }
  }
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) {
    return failed(q.partition, 'INVALID_REQUEST')
  }
  try {
    const found = await log.offsetForTimestamp(ts)
    if (found === null || (consumer && found.offset >= log.highWatermark)) {
      return { partition: q.partition, timestamp: -1, offset: -1, leaderEpoch: -1 }
    }
    const leaderEpoch = p.epochs.epochForOffset(found.offset)
    return { partition: q.partition, timestamp: found.timestamp, offset: found.offset, leaderEpoch }
  } catch (err) {
    if (isLogkeeperError(err) && err.family === 'kafka') return failed(q.partition, err.code)
    return failed(q.partition, 'NOT_LEADER_OR_FOLLOWER')
  }
}

/** Serve ListOffsets as the leader of each partition asked for. */
export async function leaderListOffsets(
  partitions: ReadonlyMap<string, Partition>,
  req: ListOffsetsRequest,
): Promise<ListOffsetsResponse> {
  const consumer = req.replicaId < 0
  const topics: ListOffsetsResponse['topics'][number][] = []
  for (const t of req.topics) {
    const out: ListOffsetsPartitionResponse[] = []
    for (const q of t.partitions) {
      out.push(await lookUp(partitions.get(partitionKey(t.topic, q.partition)), q, consumer))
    }
    topics.push({ topic: t.topic, partitions: out })
  }
  return { topics }
}

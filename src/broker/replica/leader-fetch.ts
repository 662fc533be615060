/**
 * The leader's side of Fetch (Kafka's `ReplicaManager.fetchMessages` and
 * `Partition.fetchRecords`): check each partition's epoch and offset, tell a diverging
 * follower where its epoch ends, record a follower's position (which may grow the ISR and
 * raise the high watermark), read whole batches (consumers only below the high watermark),
 * and hold the request until enough bytes are ready ({@link DelayedFetch}).
 */
import type { Clock } from '../../common/clock.js'
import { type ErrorCode, InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type {
  BrokerId,
  FetchPartition,
  FetchPartitionResponse,
  FetchRequest,
  FetchResponse,
} from '../api.js'
import { DelayedFetch, type Watched } from './delayed-fetch.js'
import { type Partition, partitionKey } from './partition.js'

/** What the leader's fetch path needs from the replica manager. */
export interface LeaderFetchContext {
  /** Time and timers. */
  readonly clock: Clock
  /** The hosted partitions by {@link partitionKey}. */
  readonly partitions: ReadonlyMap<string, Partition>
  /** Start adding `replicaId` to the ISR of `partition` (asynchronously). */
  expandIsr(partition: Partition, replicaId: BrokerId): void
}

const EMPTY = new Uint8Array(0)

/** One pass over a fetch request. */
interface FetchRound {
  readonly response: FetchResponse
  /** Record bytes in the response. */
  readonly bytes: number
  /** Something must be answered now (an error, a divergence). */
  readonly final: boolean
  /** The partitions read without error. */
  readonly watched: Watched[]
}

function failed(partition: number, error: ErrorCode, p?: Partition): FetchPartitionResponse {
  const log = p?.log
  return {
    partition,
    error,
    highWatermark: log ? log.highWatermark : -1,
    lastStableOffset: log ? log.highWatermark : -1,
    logStartOffset: log ? log.logStartOffset : -1,
    records: EMPTY,
  }
}

/** The error of a fetch on `p` before reading, or undefined. */
function checkPartition(
  p: Partition | undefined,
  fp: FetchPartition,
  replicaId: BrokerId,
): ErrorCode | undefined {
  if (p === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION'
  const epoch = fp.currentLeaderEpoch
  if (epoch >= 0 && epoch < p.leaderEpoch) return 'FENCED_LEADER_EPOCH'
  if (epoch > p.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH'
  if (!p.isLeader) return 'NOT_LEADER_OR_FOLLOWER'
  if (replicaId >= 0 && !p.followers.has(replicaId)) return 'NOT_LEADER_OR_FOLLOWER'
  return undefined
}

interface PartitionRead {
  readonly response: FetchPartitionResponse
  readonly final: boolean
}

async function readPartition(
  ctx: LeaderFetchContext,
  p: Partition | undefined,
  fp: FetchPartition,
  replicaId: BrokerId,
  maxBytes: number,
  first: boolean,
): Promise<PartitionRead> {
  const error = checkPartition(p, fp, replicaId)
  if (error !== undefined || p === undefined) {
    return { response: failed(fp.partition, error ?? 'UNKNOWN_TOPIC_OR_PARTITION', p), final: true }
  }
  const log = p.log
  const follower = replicaId >= 0
  const offset = fp.fetchOffset
  if (follower && fp.lastFetchedEpoch >= 0) {
    const end = p.epochs.endOffsetFor(fp.lastFetchedEpoch, log.logEndOffset)
    if (end.epoch < fp.lastFetchedEpoch || end.endOffset < offset) {
      const hw = log.highWatermark
      const response: FetchPartitionResponse = {
        partition: fp.partition,
        highWatermark: hw,
        lastStableOffset: hw,
        logStartOffset: log.logStartOffset,
        divergingEpoch: end,
        records: EMPTY,
      }
      return { response, final: true }
    }
  }
  if (offset < log.logStartOffset || offset > log.logEndOffset) {
    return { response: failed(fp.partition, 'OFFSET_OUT_OF_RANGE', p), final: true }
  }
  if (follower) {
    p.updateFollower(replicaId, offset, ctx.clock.now())
    if (p.canJoinIsr(replicaId)) ctx.expandIsr(p, replicaId)
    p.maybeIncrementHighWatermark()
  }
  let records: Uint8Array = EMPTY
  if (maxBytes > 0 || first) {
    try {
      const read = await log.read(offset, {
        maxBytes: Math.max(1, maxBytes),
        maxOffset: follower ? undefined : log.highWatermark,
        // A follower keeps what it fetches as it is (see appendBatch): hand it views of the
        // stored bytes rather than a gathered copy it would hold on to.
        noCopy: follower,
      })
      records = read.bytes
    } catch (err) {
      if (!isLogkeeperError(err)) throw err
      const code = err.family === 'kafka' ? err.code : 'NOT_LEADER_OR_FOLLOWER'
      return { response: failed(fp.partition, code, p), final: true }
    }
  }
  const hw = log.highWatermark
  return {
    response: {
      partition: fp.partition,
      highWatermark: hw,
      lastStableOffset: hw,
      logStartOffset: log.logStartOffset,
      records,
    },
    final: false,
  }
}

async function readFetch(ctx: LeaderFetchContext, req: FetchRequest): Promise<FetchRound> {
  const replicaId = req.replicaId
  let left = req.maxBytes
  let bytes = 0
  let final = false
  const watched: Watched[] = []
  const topics: FetchResponse['topics'][number][] = []
  for (const t of req.topics) {
    const partitions: FetchPartitionResponse[] = []
    for (const fp of t.partitions) {
      const p = ctx.partitions.get(partitionKey(t.topic, fp.partition))
      const max = Math.min(fp.partitionMaxBytes, left)
      const read = await readPartition(ctx, p, fp, replicaId, max, bytes === 0)
      partitions.push(read.response)
      const n = read.response.records.length
      bytes += n
      left -= n
      if (read.final) final = true
      else if (p !== undefined) watched.push({ partition: p, fetchOffset: fp.fetchOffset })
    }
    topics.push({ topic: t.topic, partitions })
  }
  return { response: { topics }, bytes, final, watched }
}

function checkFetch(req: FetchRequest): void {
  if (typeof req !== 'object' || req === null || !Array.isArray(req.topics)) {
    throw new InvalidArgumentError('a fetch request needs a topics array')
  }
  for (const n of [req.maxWaitMs, req.minBytes, req.maxBytes, req.replicaId]) {
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new InvalidArgumentError('maxWaitMs, minBytes, maxBytes and replicaId must be numbers')
    }
  }
}

/** Serve a fetch as the leader: answer now when ready, else hold it (see {@link DelayedFetch}). */
export async function leaderFetch(
  ctx: LeaderFetchContext,
  req: FetchRequest,
): Promise<FetchResponse> {
  checkFetch(req)
  const round = await readFetch(ctx, req)
  if (
    round.final ||
    round.bytes >= req.minBytes ||
    req.maxWaitMs <= 0 ||
    round.watched.length === 0 ||
    req.signal?.aborted === true
  ) {
    return round.response
  }
  return new Promise<FetchResponse>((resolve, reject) => {
    const attempt = async (force: boolean): Promise<boolean> => {
      const again = await readFetch(ctx, req)
      if (!force && !again.final && again.bytes < req.minBytes) return false
      resolve(again.response)
      return true
    }
    new DelayedFetch(
      ctx.clock,
      round.watched,
      req.replicaId >= 0,
      req.maxWaitMs,
      req.signal,
      attempt,
      reject,
    )
  })
}

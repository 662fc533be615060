/**
 * A follower's fetcher for one leader broker (Kafka's `ReplicaFetcherThread`): one Fetch at a
 * time for every partition this broker follows from that leader, held by the leader until
 * records arrive or `replica.fetch.wait.max.ms` passes. It appends what comes back with the
 * leader's offsets, follows the leader's high watermark and log start, truncates where its log
 * diverges (`divergingEpoch`) or lies out of the leader's range, and backs a partition off
 * `replica.fetch.backoff.ms` after an error. Adding or removing a partition aborts the held
 * fetch, so the change takes effect at once.
 */
import type { Clock } from '../../common/clock.js'
import { fromCode, isLogkeeperError } from '../../common/errors.js'
import { BATCH, checkBatchFrame, readInt32, readInt64 } from '../../log/batch-header.js'
import type { AppendOptions } from '../../log/log-append.js'
import {
  type BrokerId,
  EARLIEST_OFFSET,
  type FetchPartition,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  LATEST_OFFSET,
} from '../api.js'
import type { BrokerConfig } from '../config.js'
import type { Transport } from '../transport.js'
import { UNDEFINED_EPOCH } from './leader-epoch-cache.js'
import { type Partition, partitionKey } from './partition.js'

/** What a fetcher needs from the replica manager. */
export interface FetcherContext {
  /** This broker (the fetches' `replicaId`). */
  readonly brokerId: BrokerId
  /** Time and timers. */
  readonly clock: Clock
  /** Fetch sizes, wait and backoff. */
  readonly config: Readonly<BrokerConfig>
  /** Where fetches go. */
  readonly transport: Transport
  /** Replace a partition's log by an empty one starting at `offset` (Kafka's `truncateFullyAndStartAt`). */
  resetLog(partition: Partition, offset: number): Promise<void>
}

/** A partition being fetched: the epoch it was added in, and a backoff after errors. */
interface FetchEntry {
  readonly partition: Partition
  readonly leaderEpoch: number
  delayedUntil: number
}

const FOLLOWER_APPEND: AppendOptions = Object.freeze({ assignOffsets: false })

/** Fetches the partitions this broker follows from one leader. */
export class ReplicaFetcher {
  readonly #entries = new Map<string, FetchEntry>()
  #inflight: AbortController | undefined
  #sleep: AbortController | undefined
  #processing: Promise<void> = Promise.resolve()
  #running: Promise<void> | undefined
  #stopped = false

  /**
   * A fetcher (idle until a partition is added).
   *
   * @param ctx - the replica manager's side
   * @param leaderId - the broker fetched from
   */
  constructor(
    private readonly ctx: FetcherContext,
    readonly leaderId: BrokerId,
  ) {}

  /** How many partitions it fetches. */
  get size(): number {
    return this.#entries.size
  }

  /** Whether it fetches `key`. */
  has(key: string): boolean {
    return this.#entries.has(key)
  }

  /** Fetch `partition` from now on (in its current leader epoch), starting at once. */
  add(partition: Partition): void {
    if (this.#stopped) return
    this.#entries.set(partition.key, {
      partition,
      leaderEpoch: partition.leaderEpoch,
      delayedUntil: 0,
    })
    this.#interrupt()
    this.#running ??= this.#run()
  }

  /** Stop fetching `key`; resolves once no response is being applied to it. */
  remove(key: string): Promise<void> {
    if (this.#entries.delete(key)) this.#interrupt()
    return this.#processing
  }

  /** Stop for good; resolves once no response is being applied. */
  stop(): Promise<void> {
    this.#stopped = true
    this.#entries.clear()
    this.#interrupt()
    return this.#processing
  }

  #interrupt(): void {
    this.#inflight?.abort()
    this.#sleep?.abort()
  }

  async #run(): Promise<void> {
    while (!this.#stopped && this.#entries.size > 0) {
      const now = this.ctx.clock.now()
      const { request, sent, waitMs } = this.#request(now)
      if (sent.length === 0) {
        await this.#pause(waitMs)
        continue
      }
      const inflight = new AbortController()
      this.#inflight = inflight
      let response: FetchResponse | undefined
      try {
        response = await this.ctx.transport.send(this.ctx.brokerId, this.leaderId, 'Fetch', {
          ...request,
          signal: inflight.signal,
        })
      } catch {
        this.#backOff(sent)
      }
      if (this.#inflight === inflight) this.#inflight = undefined
      if (this.#stopped || response === undefined) continue
      // An interrupted fetch (a partition was added) was answered early: a leader that had
      // not yet heard of its leadership then says so, and that is no reason to back off.
      const work = this.#apply(response, sent, inflight.signal.aborted)
      this.#processing = work
      await work
    }
    this.#running = undefined
    // A partition added as the loop ended starts it again.
    if (!this.#stopped && this.#entries.size > 0) this.#running = this.#run()
  }

  async #pause(ms: number): Promise<void> {
    const sleep = new AbortController()
    this.#sleep = sleep
    await this.ctx.clock.sleep(ms, sleep.signal).catch(() => undefined)
    if (this.#sleep === sleep) this.#sleep = undefined
  }

  #request(now: number): { request: FetchRequest; sent: FetchEntry[]; waitMs: number } {
    const config = this.ctx.config
    const byTopic = new Map<string, FetchPartition[]>()
    const sent: FetchEntry[] = []
    let waitMs = Number.POSITIVE_INFINITY
    for (const entry of this.#entries.values()) {
      if (entry.delayedUntil > now) {
        waitMs = Math.min(waitMs, entry.delayedUntil - now)
        continue
      }
      const p = entry.partition
      const tp = p.topicPartition
      let list = byTopic.get(tp.topic)
      if (list === undefined) {
        list = []
        byTopic.set(tp.topic, list)
      }
      list.push({
        partition: tp.partition,
        fetchOffset: p.log.logEndOffset,
        currentLeaderEpoch: entry.leaderEpoch,
        lastFetchedEpoch: p.epochs.latestEpoch,
        partitionMaxBytes: config['replica.fetch.max.bytes'],
      })
      sent.push(entry)
    }
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }))
    const request: FetchRequest = {
      replicaId: this.ctx.brokerId,
      maxWaitMs: config['replica.fetch.wait.max.ms'],
      minBytes: 1,
      maxBytes: config['replica.fetch.response.max.bytes'],
      isolationLevel: 0,
      topics,
    }
    return { request, sent, waitMs: Number.isFinite(waitMs) ? waitMs : 0 }
  }

  #backOff(entries: readonly FetchEntry[]): void {
    const until = this.ctx.clock.now() + this.ctx.config['replica.fetch.backoff.ms']
    for (const e of entries) e.delayedUntil = until
  }

  async #apply(
    response: FetchResponse,
    sent: readonly FetchEntry[],
    interrupted: boolean,
  ): Promise<void> {
    const sentKeys = new Set(sent)
    for (const t of response.topics) {
      for (const pr of t.partitions) {
        const entry = this.#entries.get(partitionKey(t.topic, pr.partition))
        if (entry === undefined || !sentKeys.has(entry)) continue
        try {
          if (interrupted && pr.error !== undefined && LEADER_BEHIND.has(pr.error)) continue
          await this.#applyPartition(entry, pr)
        } catch {
          this.#backOff([entry])
        }
      }
    }
  }

  async #applyPartition(entry: FetchEntry, pr: FetchPartitionResponse): Promise<void> {
    const p = entry.partition
    if (pr.error === 'OFFSET_OUT_OF_RANGE') return this.#outOfRange(entry)
    if (pr.error !== undefined) return this.#backOff([entry])
    if (pr.divergingEpoch !== undefined) return this.#truncateDiverging(p, pr.divergingEpoch)
    appendAsFollower(p, pr.records)
    const log = p.log
    // The next fetch tells the leader this log end, which may complete an acks=all produce:
    // the bytes must be written to the OS by then, or a crash of the process could lose a
    // record acknowledged as replicated here (Kafka's follower writes before it fetches again).
    if (pr.records.length > 0) await log.written()
    const hw = Math.min(pr.highWatermark, log.logEndOffset)
    if (hw > log.highWatermark) log.setHighWatermark(hw)
    const start = Math.min(pr.logStartOffset, log.highWatermark)
    if (start > log.logStartOffset) {
      await log.deleteRecordsBefore(start)
      p.epochs.truncateFromStart(log.logStartOffset)
    }
  }

  /** Truncate where the leader says this log diverges (Kafka's `getOffsetTruncationState`). */
  async #truncateDiverging(
    p: Partition,
    diverging: NonNullable<FetchPartitionResponse['divergingEpoch']>,
  ): Promise<void> {
    const log = p.log
    const end = log.logEndOffset
    let target: number
    if (diverging.endOffset < 0) target = log.highWatermark
    else {
      const mine = p.epochs.endOffsetFor(diverging.epoch, end)
      if (mine.epoch === UNDEFINED_EPOCH) target = Math.min(diverging.endOffset, end)
      else if (mine.epoch !== diverging.epoch) target = Math.min(mine.endOffset, end)
      else target = Math.min(mine.endOffset, diverging.endOffset, end)
    }
    await truncate(p, target)
  }

  /** Kafka's `fetchOffsetAndTruncate`: the log is ahead of the leader's end, or behind its start. */
  async #outOfRange(entry: FetchEntry): Promise<void> {
    const p = entry.partition
    const log = p.log
    const leaderEnd = await this.#listOffset(entry, LATEST_OFFSET)
    if (leaderEnd < log.logEndOffset) {
      if (leaderEnd < log.logStartOffset) await this.ctx.resetLog(p, leaderEnd)
      else await truncate(p, leaderEnd)
      return
    }
    const leaderStart = await this.#listOffset(entry, EARLIEST_OFFSET)
    if (leaderStart > log.logEndOffset) await this.ctx.resetLog(p, leaderStart)
  }

  async #listOffset(entry: FetchEntry, timestamp: number): Promise<number> {
    const tp = entry.partition.topicPartition
    const response = await this.ctx.transport.send(
      this.ctx.brokerId,
      this.leaderId,
      'ListOffsets',
      {
        replicaId: this.ctx.brokerId,
        isolationLevel: 0,
        topics: [
          {
            topic: tp.topic,
            partitions: [
              { partition: tp.partition, timestamp, currentLeaderEpoch: entry.leaderEpoch },
            ],
          },
        ],
      },
    )
    const found = response.topics[0]?.partitions[0]
    if (found === undefined) throw fromCode('UNKNOWN_SERVER_ERROR', 'empty ListOffsets answer')
    if (found.error !== undefined) throw fromCode(found.error, `ListOffsets: ${found.error}`)
    return found.offset
  }
}

/**
 * Append the whole batches of `records` past the log end with the leader's offsets, and take
 * each new epoch into the epoch cache. A cut-off last batch is left for the next fetch.
 */
export function appendAsFollower(p: Partition, records: Uint8Array): void {
  const log = p.log
  const epochs = p.epochs
  for (let pos = 0; pos < records.length; ) {
    let size: number
    try {
      size = checkBatchFrame(records, pos)
    } catch (err) {
      if (isLogkeeperError(err, 'CORRUPT_MESSAGE') && pos > 0) return
      throw err
    }
    const baseOffset = readInt64(records, pos + BATCH.BASE_OFFSET)
    if (baseOffset >= log.logEndOffset) {
      const epoch = readInt32(records, pos + BATCH.PARTITION_LEADER_EPOCH)
      log.append(records.subarray(pos, pos + size), FOLLOWER_APPEND)
      if (epoch !== epochs.latestEpoch) epochs.assign(epoch, baseOffset)
    }
    pos += size
  }
}

/** Cut the log of `p` at `offset` (whole batches) and its epochs with it. */
export async function truncate(p: Partition, offset: number): Promise<void> {
  const end = await p.log.truncateTo(offset)
  p.epochs.truncateFromEnd(end)
}

/** Errors of a leader that has not yet applied the state its follower has. */
const LEADER_BEHIND: ReadonlySet<string> = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'UNKNOWN_LEADER_EPOCH',
  'NOT_LEADER_OR_FOLLOWER',
])

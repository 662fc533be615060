/**
 * Fetching (Kafka's `Fetcher`): the fetchable partitions are grouped by leader, one Fetch per
 * leader is in flight at a time, held by the leader up to `maxWaitTimeMs` for data. Each
 * answer's batches are opened and CRC checked (records.ts: decoded later, as they are handed
 * over; records below the position skipped and none past the high watermark kept), and wait in
 * a buffer (one chunk per partition) until the consumer takes them. A chunk whose partition
 * moved on meanwhile (a seek, a revocation) is dropped. A leader error refreshes the metadata and backs the partition off for
 * `retryBackoffMs`; `OFFSET_OUT_OF_RANGE` resets the position per `autoOffsetReset`.
 */

import type { EventEmitter } from 'eventemitter3'
import { CONSUMER_REPLICA_ID, type FetchPartitionResponse } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import type { ConsumerEvents } from './events.js'
import type { ResolvedConsumerOptions } from './options.js'
import { type Chunk, failPartition, failureAt, openBatches } from './records.js'
import { type PartitionState, type SubscriptionState, tpKey } from './subscription-state.js'

/** Errors that mean "the leader moved": refresh the metadata and try again. */
const LEADER_ERRORS = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'NETWORK_EXCEPTION',
  'REPLICA_NOT_AVAILABLE',
  'KAFKA_STORAGE_ERROR',
])

/** The fetcher: see the module comment. */
export class Fetcher {
  readonly #client: ClusterClient
  readonly #clock: Clock
  readonly #o: ResolvedConsumerOptions
  readonly #state: SubscriptionState
  readonly #events: EventEmitter<ConsumerEvents>
  readonly #buffer = new Map<string, Chunk>()
  readonly #inflightLeaders = new Set<number>()
  readonly #inflightPartitions = new Set<string>()
  #abort = new AbortController()
  readonly #listeners = new Set<() => void>()
  /** Set when a leader error asks for fresh metadata before the next fetch. */
  metadataStale = false

  /** A fetcher over the consumer's subscription state. */
  constructor(
    client: ClusterClient,
    clock: Clock,
    options: ResolvedConsumerOptions,
    state: SubscriptionState,
    events: EventEmitter<ConsumerEvents>,
  ) {
    this.#client = client
    this.#clock = clock
    this.#o = options
    this.#state = state
    this.#events = events
  }

  /** Call `fn` when any fetch answers (until it is removed). */
  onCompletion(fn: () => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  /** Whether any chunk is buffered for a partition that can take it. */
  hasData(): boolean {
    for (const c of this.#buffer.values()) if (this.#valid(c)) return true
    return false
  }

  /** Whether any fetch is in flight. */
  get inFlight(): boolean {
    return this.#inflightLeaders.size > 0
  }

  #valid(c: Chunk): boolean {
    const s = this.#state.get(c.topic, c.partition)
    return s !== undefined && !s.paused && s.position === c.fetchOffset
  }

  /** Take the buffered chunks (dropping stale ones), at most one per partition. */
  take(): Chunk[] {
    const out: Chunk[] = []
    for (const [key, c] of this.#buffer) {
      this.#buffer.delete(key)
      if (this.#valid(c) && c.count > 0) out.push(c)
    }
    return out
  }

  /** Drop the buffered chunk of a partition (it was sought, paused or revoked). */
  drop(topic: string, partition: number): void {
    this.#buffer.delete(tpKey(topic, partition))
  }

  /** Send a Fetch to every leader of fetchable partitions that has none in flight. */
  sendFetches(): void {
    const snap = this.#client.snapshot
    if (snap === undefined) return
    const byLeader = new Map<number, PartitionState[]>()
    for (const s of this.#state.fetchable(this.#clock.now())) {
      const key = tpKey(s.topic, s.partition)
      if (this.#buffer.has(key) || this.#inflightPartitions.has(key)) continue
      const leader = snap.leaderOf(s.topic, s.partition)
      if (leader < 0) {
        this.metadataStale = true
        continue
      }
      if (this.#inflightLeaders.has(leader)) continue
      const list = byLeader.get(leader) ?? []
      list.push(s)
      byLeader.set(leader, list)
    }
    for (const [leader, parts] of byLeader) void this.#fetch(leader, parts)
  }

  async #fetch(leader: number, parts: PartitionState[]): Promise<void> {
    const sent = parts.map((s) => ({ s, offset: s.position as number }))
    const keys = sent.map(({ s }) => tpKey(s.topic, s.partition))
    this.#inflightLeaders.add(leader)
    for (const k of keys) this.#inflightPartitions.add(k)
    const byTopic = new Map<string, { partition: number; offset: number }[]>()
    for (const { s, offset } of sent) {
      byTopic.set(s.topic, [...(byTopic.get(s.topic) ?? []), { partition: s.partition, offset }])
    }
    const started = this.#clock.now()
    const signal = this.#abort.signal
    let records = 0
    try {
      const response = await this.#client.send(leader, 'Fetch', {
        replicaId: CONSUMER_REPLICA_ID,
        maxWaitMs: this.#o.maxWaitTimeMs,
        minBytes: this.#o.minBytes,
        maxBytes: this.#o.maxBytes,
        isolationLevel: this.#o.readUncommitted ? 0 : 1,
        topics: [...byTopic].map(([topic, list]) => ({
          topic,
          partitions: list.map(({ partition, offset }) => ({
            partition,
            fetchOffset: offset,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
            partitionMaxBytes: this.#o.maxBytesPerPartition,
          })),
        })),
        signal,
      })
      if (signal.aborted) return
      for (const t of response.topics) {
        for (const p of t.partitions) {
          const asked = byTopic.get(t.topic)?.find((x) => x.partition === p.partition)
          if (asked !== undefined) records += this.#apply(t.topic, p, asked.offset)
        }
      }
    } catch (err) {
      if (signal.aborted) return
      this.metadataStale = true
      for (const { s } of sent) s.backoffUntil = this.#clock.now() + this.#o.retryBackoffMs
      void err
    } finally {
      this.#inflightLeaders.delete(leader)
      for (const k of keys) this.#inflightPartitions.delete(k)
    }
    if (signal.aborted) return
    this.#events.emit('fetch', {
      nodeId: leader,
      numberOfRecords: records,
      duration: this.#clock.now() - started,
    })
    for (const fn of [...this.#listeners]) fn()
  }

  /** Take one partition's answer; returns the number of records buffered. */
  #apply(topic: string, p: FetchPartitionResponse, fetchOffset: number): number {
    const s = this.#state.get(topic, p.partition)
    if (s === undefined || s.position !== fetchOffset) return 0
    if (p.error !== undefined) {
      if (p.error === 'OFFSET_OUT_OF_RANGE') {
        if (this.#o.autoOffsetReset === 'none') {
          s.failure = fromCode(
            'OFFSET_OUT_OF_RANGE',
            `offset ${fetchOffset} of ${topic}-${p.partition} is out of range (log ${p.logStartOffset}..${p.highWatermark}) and autoOffsetReset is 'none'`,
          )
        } else {
          s.position = undefined
          s.reset = this.#o.autoOffsetReset
        }
        return 0
      }
      if (p.error === 'CORRUPT_MESSAGE') {
        // The leader cannot read its own log there (Java: "Encountered corrupt message when
        // fetching offset ..."): asking again gets the same answer.
        const cause = fromCode('CORRUPT_MESSAGE', p.errorMessage ?? 'the leader found it corrupt')
        failPartition(s, failureAt(topic, p.partition, fetchOffset, cause))
        return 0
      }
      if (LEADER_ERRORS.has(p.error)) this.metadataStale = true
      s.backoffUntil = this.#clock.now() + this.#o.retryBackoffMs
      return 0
    }
    s.highWatermark = p.highWatermark
    const opened = openBatches(topic, p.partition, p.records, fetchOffset, p.highWatermark)
    const { batches, count, failure } = opened
    if (count > 0) {
      this.#buffer.set(tpKey(topic, p.partition), {
        topic,
        partition: p.partition,
        fetchOffset,
        highWatermark: p.highWatermark,
        batches,
        count,
        failure,
      })
    } else failPartition(s, failure)
    return count
  }

  /** Abort the fetches in flight (their answers are dropped) and forget the buffer. */
  abortInFlight(): void {
    this.#abort.abort(fromCode('CLOSED', 'fetching stopped'))
    this.#abort = new AbortController()
    this.#buffer.clear()
  }

  /** Abort every held fetch and forget the buffer. */
  close(): void {
    this.#abort.abort(fromCode('CLOSED', 'the consumer is disconnected'))
    this.#buffer.clear()
    this.#listeners.clear()
  }
}

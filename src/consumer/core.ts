/**
 * The consumer's engine, shared by `poll()`, the async iterator and `run()`: before each
 * round it refreshes metadata when due (re-matching patterns; the leader re-checks partition
 * counts), runs a rebalance when one is wanted, and finds the positions of new partitions
 * (the committed offset, else `autoOffsetReset` through ListOffsets); then it hands over the
 * buffered records or sends fetches and waits, on the clock, for an answer, a wake-up or the
 * timeout. It also commits positions and reacts to rebalances (commit, revoke, assign).
 */
import type { EventEmitter } from 'eventemitter3'
import type { ClusterClient } from '../client/cluster-client.js'
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import { wakeOrTimeout } from '../common/wake.js'
import type { RebalanceProtocol } from './assignors/types.js'
import type { ConsumerEvents } from './events.js'
import { Fetcher } from './fetcher.js'
import type { OffsetToCommit } from './group-client.js'
import { EARLIEST_OFFSET, LATEST_OFFSET, listOffsets } from './list-offsets.js'
import { Membership } from './membership.js'
import type { ResolvedConsumerOptions } from './options.js'
import { type Chunk, PartitionFailure } from './records.js'
import { type PartitionState, SubscriptionState, sortTps, tpKey } from './subscription-state.js'
import type { TopicPartition } from './types.js'

/** What the core is built from. */
export interface CoreConfig {
  /** The cluster client. */
  readonly client: ClusterClient
  /** Time. */
  readonly clock: Clock
  /** Options. */
  readonly options: ResolvedConsumerOptions
  /** Where events go. */
  readonly events: EventEmitter<ConsumerEvents>
}

/** The consumer's engine: see the module comment. */
export class ConsumerCore {
  /** The subscription and positions. */
  readonly state = new SubscriptionState()
  /** The fetcher. */
  readonly fetcher: Fetcher
  /** Group membership, when the consumer has a group id. */
  readonly membership: Membership | undefined
  /** Topics and patterns that start at the earliest offset (`fromBeginning`). */
  readonly earliest = { topics: new Set<string>(), patterns: [] as RegExp[] }
  /** Whether positions are committed automatically now (poll's option or run's). */
  autoCommit: boolean
  /** When the application last polled. */
  lastPollAt: number
  readonly #c: CoreConfig
  #metadataAt = Number.NEGATIVE_INFINITY
  #wake: (() => void) | undefined
  #committing: Promise<void> | undefined

  /** A core with nothing subscribed. */
  constructor(config: CoreConfig) {
    this.#c = config
    const o = config.options
    this.autoCommit = o.autoCommit
    this.lastPollAt = config.clock.now()
    this.fetcher = new Fetcher(config.client, config.clock, o, this.state, config.events)
    const groupId = o.groupId
    this.membership =
      groupId === undefined
        ? undefined
        : new Membership(
            config.client,
            config.clock,
            { ...o, groupId },
            {
              topics: () => this.state.subscribedTopics(),
              owned: () => this.state.assigned(),
              onJoinPrepare: (valid, protocol) => this.#onJoinPrepare(valid, protocol),
              onJoinComplete: (assigned, protocol) => this.#onJoinComplete(assigned, protocol),
              wakeup: () => this.wakeup(),
              lastPollAt: () => this.lastPollAt,
            },
            config.events,
          )
  }

  /** A preparation a bounded poll stopped waiting for (the next poll waits for it). */
  #preparing: Promise<void> | undefined

  /** Wake a waiting round (a rebalance is wanted, or the consumer stops). */
  wakeup(): void {
    this.#wake?.()
  }

  /** Ask for fresh metadata at the next round. */
  refreshMetadataSoon(): void {
    this.#metadataAt = Number.NEGATIVE_INFINITY
  }

  /**
   * One round: prepare, then the buffered chunks or wait up to `timeoutMs` for some. A
   * partition that has failed (and is not paused) throws its {@link PartitionFailure} first.
   */
  async pollChunks(
    timeoutMs: number,
    isActive: () => boolean,
    options: { readonly bounded?: boolean } = {},
  ): Promise<Chunk[]> {
    const clock = this.#c.clock
    const deadline = clock.now() + timeoutMs
    for (;;) {
      this.lastPollAt = clock.now()
      if (options.bounded) {
        if (!(await this.#prepareBy(deadline))) return []
      } else {
        // A preparation a bounded poll left running is finished first.
        await this.#preparing?.catch(() => undefined)
        await this.prepare()
      }
      const failed = this.state.failure()
      if (failed !== undefined) throw new PartitionFailure(failed)
      const chunks = this.fetcher.take()
      if (chunks.length > 0 || !isActive()) return chunks
      this.fetcher.sendFetches()
      if (this.fetcher.hasData()) continue
      const left = deadline - clock.now()
      if (left <= 0) return []
      await this.#waitForData(left)
      if (!isActive()) return []
    }
  }

  /**
   * {@link prepare}, waited for until `deadline` at most (Java's `poll(Duration)` returns at its
   * timeout even in the middle of a rebalance): true once prepared, false at the deadline. A
   * preparation still running goes on, and the next call waits for the same one; its failure
   * is thrown there.
   */
  async #prepareBy(deadline: number): Promise<boolean> {
    this.#preparing ??= this.prepare()
    const running = this.#preparing
    running.then(
      () => {
        if (this.#preparing === running) this.#preparing = undefined
      },
      () => undefined,
    )
    try {
      return await this.#settledBy(running, deadline)
    } catch (err) {
      if (this.#preparing === running) this.#preparing = undefined
      throw err
    }
  }

  /** True when `promise` resolves before `deadline` (on the clock), false at the deadline. */
  async #settledBy(promise: Promise<void>, deadline: number): Promise<boolean> {
    const clock = this.#c.clock
    const stop = new AbortController()
    const timedOut = clock.sleep(Math.max(0, deadline - clock.now()), stop.signal).then(
      () => false,
      () => false,
    )
    try {
      return await Promise.race([promise.then(() => true), timedOut])
    } finally {
      stop.abort()
    }
  }

  /** Metadata when due, a rebalance when wanted, positions of new partitions. */
  async prepare(): Promise<void> {
    await this.#refreshMetadata()
    if (this.membership && this.state.mode === 'subscribe') await this.membership.ensureActive()
    await this.#updatePositions()
  }

  #waitForData(ms: number): Promise<void> {
    const clock = this.#c.clock
    const backoffs = [...this.state.states()]
      .map((s) => s.backoffUntil)
      .filter((t) => t > clock.now() && Number.isFinite(t))
    const wait = Math.min(ms, ...backoffs.map((t) => t - clock.now()))
    const subscribe = (wake: () => void) => {
      const off = this.fetcher.onCompletion(wake)
      this.#wake = wake
      return () => {
        off()
        this.#wake = undefined
      }
    }
    return wakeOrTimeout(clock, wait, subscribe).then(() => undefined)
  }

  async #refreshMetadata(): Promise<void> {
    const { clock, client, options } = this.#c
    const due = clock.now() - this.#metadataAt >= options.metadataMaxAgeMs
    if (!due && !this.fetcher.metadataStale && client.snapshot !== undefined) return
    const patterns = this.state.patterns.length > 0
    const topics = [
      ...new Set([...this.state.subscribedTopics(), ...this.state.assigned().map((t) => t.topic)]),
    ]
    this.fetcher.metadataStale = false
    const snap = await client.metadata(patterns ? null : topics, { force: true })
    this.#metadataAt = clock.now()
    if (patterns) {
      const matched = this.state.match([...snap.topics.keys()])
      const before = [...this.state.matched].sort().join(',')
      if ([...matched].sort().join(',') !== before) {
        this.state.matched = matched
        this.membership?.requestRejoin('the topics matching the subscription changed')
      }
    }
    this.membership?.checkPartitionCounts((t) => snap.partitionCount(t))
  }

  /** The reset strategy of a partition without a committed offset. */
  #resetOf(s: PartitionState): 'earliest' | 'latest' | 'none' {
    if (s.reset !== undefined) return s.reset
    const e = this.earliest
    if (e.topics.has(s.topic) || e.patterns.some((p) => p.test(s.topic))) return 'earliest'
    return this.#c.options.autoOffsetReset
  }

  async #updatePositions(): Promise<void> {
    const need = this.state.needingPosition()
    if (need.length === 0) return
    const lookup = need.filter((s) => s.reset === undefined)
    if (this.membership && lookup.length > 0) {
      const committed = await this.membership.group.fetchCommitted(lookup)
      for (const s of lookup) {
        const c = committed.get(tpKey(s.topic, s.partition)) ?? -1
        if (c >= 0 && this.state.get(s.topic, s.partition) === s && s.position === undefined) {
          s.position = c
          s.committed = c
        }
      }
    }
    const toReset = need.filter((s) => s.position === undefined)
    const none = toReset.find((s) => this.#resetOf(s) === 'none')
    if (none !== undefined) {
      throw fromCode(
        'OFFSET_OUT_OF_RANGE',
        `${none.topic}-${none.partition} has no committed offset and autoOffsetReset is 'none'`,
      )
    }
    if (toReset.length === 0) return
    const { client, clock, options } = this.#c
    const found = await listOffsets(
      client,
      clock,
      toReset.map((s) => ({
        topic: s.topic,
        partition: s.partition,
        timestamp: this.#resetOf(s) === 'earliest' ? EARLIEST_OFFSET : LATEST_OFFSET,
      })),
      options.readUncommitted ? 0 : 1,
    )
    for (const s of toReset) {
      const offset = found.get(tpKey(s.topic, s.partition))
      if (offset === undefined || this.state.get(s.topic, s.partition) !== s) continue
      if (s.position === undefined) {
        s.position = offset
        s.reset = undefined
      }
    }
  }

  /** The identity commits carry: the generation, or none for a manual assignment. */
  #identity() {
    const m = this.membership
    if (m === undefined) throw fromCode('INVALID_GROUP_ID', 'the consumer has no groupId')
    if (this.state.mode === 'assign' || !m.generationValid) {
      if (this.state.mode !== 'assign') {
        throw fromCode('REBALANCE_IN_PROGRESS', 'the consumer is not in a generation now')
      }
      return { generationId: -1, memberId: '', groupInstanceId: null }
    }
    return {
      generationId: m.generationId,
      memberId: m.memberId,
      groupInstanceId: this.#c.options.groupInstanceId,
    }
  }

  /** Commit explicit offsets (a failure of the generation asks for a rejoin and rejects). */
  async commit(offsets: readonly OffsetToCommit[], signal?: AbortSignal): Promise<void> {
    if (offsets.length === 0) return
    const identity = this.#identity()
    const m = this.membership as Membership
    try {
      await m.group.commit(identity, offsets, signal)
    } catch (err) {
      m.onCommitError(err)
      throw err
    }
    for (const o of offsets) {
      const s = this.state.get(o.topic, o.partition)
      if (s !== undefined) s.committed = o.offset
    }
    this.#c.events.emit('commit.offsets', {
      groupId: m.group.groupId,
      memberId: identity.memberId,
      groupGenerationId: identity.generationId,
      topics: sortTps(offsets).map((o) => ({ ...o, offset: String(o.offset) })),
    })
  }

  /**
   * Commit the positions that moved (of `only`, when given); one commit at a time. `signal`
   * gives up (a closing consumer's deadline).
   */
  async commitPositions(only?: readonly TopicPartition[], signal?: AbortSignal): Promise<void> {
    while (this.#committing) await this.#committing.catch(() => undefined)
    if (this.membership === undefined) return
    const keys = only && new Set(only.map((t) => tpKey(t.topic, t.partition)))
    const offsets = this.state
      .uncommitted()
      .filter((s) => keys === undefined || keys.has(tpKey(s.topic, s.partition)))
      .map((s) => ({ topic: s.topic, partition: s.partition, offset: s.position as number }))
    if (offsets.length === 0) return
    this.#committing = this.commit(offsets, signal).finally(() => {
      this.#committing = undefined
    })
    return this.#committing
  }

  async #onJoinPrepare(generationValid: boolean, protocol: RebalanceProtocol): Promise<void> {
    const events = this.#c.events
    const owned = this.state.assigned()
    if (!generationValid) {
      this.#drop(owned)
      if (owned.length > 0) events.emit('partitions.lost', { partitions: owned })
      return
    }
    if (this.autoCommit) await this.commitPositions().catch(() => undefined)
    if (protocol === 'eager') {
      this.#drop(owned)
      if (owned.length > 0) events.emit('partitions.revoked', { partitions: owned })
    }
  }

  async #onJoinComplete(assigned: TopicPartition[], protocol: RebalanceProtocol): Promise<void> {
    const events = this.#c.events
    const owned = this.state.assigned()
    const has = (list: TopicPartition[]) => {
      const set = new Set(list.map((t) => tpKey(t.topic, t.partition)))
      return (t: TopicPartition) => set.has(tpKey(t.topic, t.partition))
    }
    const inNew = has(assigned)
    const inOld = has(owned)
    const revoked = owned.filter((t) => !inNew(t))
    const added = sortTps(assigned.filter((t) => !inOld(t)))
    if (revoked.length > 0) {
      if (this.autoCommit) await this.commitPositions(revoked).catch(() => undefined)
      this.#drop(revoked)
      events.emit('partitions.revoked', { partitions: revoked })
      // Cooperative: what was revoked is assigned in a further rebalance.
      if (protocol === 'cooperative') this.membership?.requestRejoin('partitions were revoked')
    }
    this.state.add(added)
    events.emit('partitions.assigned', { partitions: added })
  }

  #drop(tps: readonly TopicPartition[]): void {
    for (const t of tps) this.fetcher.drop(t.topic, t.partition)
    this.state.remove(tps)
  }
}

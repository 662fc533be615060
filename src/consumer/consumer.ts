/**
 * The consumer: Kafka's consumer semantics with kafkajs's API. `subscribe` (topics or
 * patterns; the group assigns partitions) or `assign` (manual, no group membership), then
 * either `run({ eachMessage | eachBatch })`, `poll()`, or `for await (const record of
 * consumer)`. Positions start at the group's committed offsets, else at `autoOffsetReset`;
 * `seek`, `pause` / `resume` and `commitOffsets` steer it. `stop()` ends `run` and leaves the
 * group; `disconnect()` also ends everything else, leaving no timer behind.
 */
import { EventEmitter } from 'eventemitter3'
import type { ClusterClient } from '../client/cluster-client.js'
import type { Clock } from '../common/clock.js'
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe, toOffset, toPositiveInt } from '../common/validate.js'
import { validateTopicName } from '../log/topic-name.js'
import { type DescribedConsumerGroup, describeOneGroup } from './admin-groups.js'
import { ConsumerCore } from './core.js'
import type { ConsumerEvents } from './events.js'
import {
  type ConsumerOptions,
  type ResolvedConsumerOptions,
  resolveConsumerOptions,
} from './options.js'
import { Puller } from './puller.js'
import { resolveRunOptions } from './run-options.js'
import { Runner } from './runner.js'
import type {
  ConsumerRecord,
  PollOptions,
  RunOptions,
  SubscribeOptions,
  TopicPartition,
  TopicPartitionOffset,
  TopicPartitions,
} from './types.js'

/** How long `stop()` / `disconnect()` give the last commit and the LeaveGroup (Java's default close timeout). */
export const CLOSE_TIMEOUT_MS = 30_000

/** What a {@link Consumer} is built from. */
export interface ConsumerConfig {
  /** The cluster client (the caller owns it: the consumer does not close it). */
  readonly client: ClusterClient
  /** Time: heartbeats, fetch waits, backoff. */
  readonly clock: Clock
  /** Consumer options (kafkajs names). */
  readonly options?: ConsumerOptions
}

/**
 * A consumer. Build it with `cluster.consumer(options)`, or directly from a `ClusterClient`.
 *
 * @example
 * ```ts
 * const consumer = cluster.consumer({ groupId: 'billing' })
 * await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
 * await consumer.run({ eachMessage: async ({ partition, message }) => {
 *   console.log(partition, message.offset, message.value?.toString())
 * } })
 * // ... later
 * await consumer.disconnect()
 * ```
 */
export class Consumer extends EventEmitter<ConsumerEvents> {
  /** The options in force, defaults applied. */
  readonly options: ResolvedConsumerOptions
  readonly #client: ClusterClient
  readonly #clock: Clock
  readonly #core: ConsumerCore
  readonly #puller: Puller
  #runner: Runner | undefined
  #closing: Promise<void> | undefined

  /**
   * A consumer over `config.client`; options are checked here (`INVALID_ARGUMENT`).
   *
   * @param config - client, clock and options
   */
  constructor(config: ConsumerConfig) {
    super()
    this.options = resolveConsumerOptions(config.options)
    this.#client = config.client
    this.#clock = config.clock
    this.#core = new ConsumerCore({
      client: config.client,
      clock: config.clock,
      options: this.options,
      events: this,
    })
    this.#puller = new Puller(this.#core, config.clock, this.options, () => !this.#closing)
  }

  /** The group id, if any. */
  get groupId(): string | undefined {
    return this.options.groupId
  }

  /** This member's id in its group ('' before it joins). */
  get memberId(): string {
    return this.#core.membership?.memberId ?? ''
  }

  /** The current generation (-1 outside one). */
  get generationId(): number {
    return this.#core.membership?.generationId ?? -1
  }

  /** Whether `run()` is running. */
  get running(): boolean {
    return this.#runner?.running ?? false
  }

  /** The partitions assigned now. */
  assignment(): TopicPartition[] {
    return this.#core.state.assigned()
  }

  /** The next offset to hand over of an assigned partition (undefined while unknown). */
  position(topic: string, partition: number): string | undefined {
    const p = this.#core.state.get(topic, partition)?.position
    return p === undefined ? undefined : String(p)
  }

  #checkOpen(): void {
    if (this.#closing) throw fromCode('CLOSED', 'the consumer is disconnected')
  }

  /**
   * Subscribe to topics (names or regular expressions) or a pattern; the group assigns their
   * partitions. Subscribing again adds to the subscription and rejoins. Needs a `groupId`.
   */
  async subscribe(options: SubscribeOptions): Promise<void> {
    this.#checkOpen()
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(
        `subscribe takes { topics | topic | pattern }, got ${describe(options)}`,
      )
    }
    if (this.options.groupId === undefined) {
      throw new InvalidArgumentError('subscribe needs a groupId; use assign() without one')
    }
    const state = this.#core.state
    if (state.mode === 'assign') throw new InvalidArgumentError('the consumer uses assign()')
    if (options.topics !== undefined && !Array.isArray(options.topics)) {
      throw new InvalidArgumentError(`topics must be an array, got ${describe(options.topics)}`)
    }
    const items = [
      ...(options.topics ?? []),
      ...(options.topic === undefined ? [] : [options.topic]),
      ...(options.pattern === undefined ? [] : [options.pattern]),
    ]
    if (items.length === 0)
      throw new InvalidArgumentError('subscribe needs topics, topic or pattern')
    for (const t of items) {
      if (t instanceof RegExp) {
        state.patterns.push(t)
        if (options.fromBeginning) this.#core.earliest.patterns.push(t)
      } else {
        validateTopicName(t)
        state.topics.add(t)
        if (options.fromBeginning) this.#core.earliest.topics.add(t)
      }
    }
    state.mode = 'subscribe'
    this.#core.refreshMetadataSoon()
    this.#core.membership?.requestRejoin('the subscription changed')
  }

  /** Read these partitions without a group (Java's `assign`); commits need a `groupId`. */
  assign(partitions: readonly TopicPartition[]): void {
    this.#checkOpen()
    if (!Array.isArray(partitions)) {
      throw new InvalidArgumentError(
        `assign takes [{ topic, partition }], got ${describe(partitions)}`,
      )
    }
    const state = this.#core.state
    if (state.mode === 'subscribe') throw new InvalidArgumentError('the consumer uses subscribe()')
    for (const p of partitions) {
      validateTopicName(p?.topic)
      if (!Number.isSafeInteger(p.partition) || p.partition < 0) {
        throw new InvalidArgumentError(
          `partition must be a non-negative integer, got ${describe(p.partition)}`,
        )
      }
    }
    state.mode = 'assign'
    const keep = new Set(partitions.map((p) => `${p.topic}:${p.partition}`))
    state.remove(state.assigned().filter((p) => !keep.has(`${p.topic}:${p.partition}`)))
    state.add(partitions)
    this.#core.refreshMetadataSoon()
    this.#core.wakeup()
  }

  /** Hand records to `eachMessage` or `eachBatch` until `stop()` (see the runner's error policy). */
  async run(options: RunOptions): Promise<void> {
    this.#checkOpen()
    const run = resolveRunOptions(options, this.options)
    if (this.#runner?.running) throw new InvalidArgumentError('the consumer is already running')
    if (this.#core.state.mode === 'none')
      throw new InvalidArgumentError('subscribe or assign first')
    this.#runner = new Runner(this.#core, this.#clock, this.options, run, this, () => {
      void this.stop()
    })
  }

  /**
   * The next records: those buffered, else those that arrive within `timeoutMs` (held
   * fetches on the clock: it never spins). Positions move past the records returned;
   * auto-commit commits them at a later poll.
   */
  async poll(options: PollOptions = {}): Promise<ConsumerRecord[]> {
    this.#checkOpen()
    if (this.#runner?.running)
      throw new InvalidArgumentError('poll() cannot be used while run() runs')
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(
        `poll takes { timeoutMs, maxRecords }, got ${describe(options)}`,
      )
    }
    const timeoutMs = options.timeoutMs ?? 1000
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) {
      throw new InvalidArgumentError(
        `timeoutMs must be a non-negative integer, got ${describe(timeoutMs)}`,
      )
    }
    const max =
      options.maxRecords === undefined ? 500 : toPositiveInt(options.maxRecords, 'maxRecords')
    return this.#puller.poll(timeoutMs, max)
  }

  /**
   * Records one at a time, as they arrive; a record's position is passed when the next one is
   * asked for (at-least-once with auto-commit). `break` ends the iteration, not the consumer.
   */
  [Symbol.asyncIterator](): AsyncGenerator<ConsumerRecord, void, undefined> {
    return this.#puller.records()
  }

  /** Move a partition's position (`'-1'`/`'latest'`: the end, `'-2'`/`'earliest'`: the start). */
  seek(position: TopicPartitionOffset): void {
    this.#checkOpen()
    if (typeof position !== 'object' || position === null) {
      throw new InvalidArgumentError(
        `seek takes { topic, partition, offset }, got ${describe(position)}`,
      )
    }
    const { topic, partition, offset } = position
    validateTopicName(topic)
    if (!isIndex(partition)) {
      throw new InvalidArgumentError(
        `partition must be a partition index, got ${describe(partition)}`,
      )
    }
    const o = String(offset)
    const to =
      o === '-1' || o === 'latest'
        ? 'latest'
        : o === '-2' || o === 'earliest'
          ? 'earliest'
          : toOffset(offset)
    this.#core.state.seek(topic, partition, to)
    this.#core.fetcher.drop(topic, partition)
    this.#puller.drop(topic, partition)
    this.#core.wakeup()
  }

  /** Stop fetching these partitions (all of a topic's when none are named). */
  pause(topics: readonly TopicPartitions[]): void {
    this.#checkOpen()
    for (const { topic, partitions } of this.#topicPartitions(topics)) {
      this.#core.state.setPaused(topic, partitions, true)
    }
  }

  /** Fetch these partitions again. */
  resume(topics: readonly TopicPartitions[]): void {
    this.#checkOpen()
    for (const { topic, partitions } of this.#topicPartitions(topics)) {
      this.#core.state.setPaused(topic, partitions, false)
    }
    this.#core.wakeup()
  }

  /** The paused partitions. */
  paused(): { topic: string; partitions: number[] }[] {
    return this.#core.state.paused()
  }

  #topicPartitions(topics: readonly TopicPartitions[]): TopicPartitions[] {
    if (!Array.isArray(topics)) {
      throw new InvalidArgumentError(`takes [{ topic, partitions? }], got ${describe(topics)}`)
    }
    for (const t of topics) {
      validateTopicName(t?.topic)
      const { partitions } = t
      if (partitions !== undefined && (!Array.isArray(partitions) || !partitions.every(isIndex))) {
        throw new InvalidArgumentError(
          `partitions must be an array of partition indexes, got ${describe(partitions)}`,
        )
      }
    }
    return [...topics]
  }

  /** Commit offsets (the next offset to read) for the group, in its current generation. */
  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#checkOpen()
    if (!Array.isArray(offsets)) {
      throw new InvalidArgumentError(
        `commitOffsets takes [{ topic, partition, offset }], got ${describe(offsets)}`,
      )
    }
    const list = offsets.map((o) => {
      validateTopicName(o?.topic)
      return { topic: o.topic, partition: o.partition, offset: toOffset(o.offset) }
    })
    await this.#core.commit(list)
  }

  /** The group as its coordinator describes it. */
  async describeGroup(): Promise<DescribedConsumerGroup> {
    const m = this.#core.membership
    if (m === undefined) throw fromCode('INVALID_GROUP_ID', 'the consumer has no groupId')
    return describeOneGroup(m.group)
  }

  /** End `run()` (the current handler call finishes), commit (auto-commit), leave the group. */
  async stop(): Promise<void> {
    const runner = this.#runner
    if (runner === undefined) return this.#leave()
    this.#runner = undefined
    this.#core.fetcher.abortInFlight()
    this.#core.membership?.abortJoin()
    await runner.stop()
    await this.#leave()
    this.emit('stop')
  }

  /**
   * Commit (auto-commit) and leave the group, within {@link CLOSE_TIMEOUT_MS} in all (Java's
   * `close()` bounds both by its timeout): a coordinator out of reach does not hold the close
   * for the commit's minute of retries.
   */
  async #leave(): Promise<void> {
    const m = this.#core.membership
    if (m === undefined) return
    const deadline = new AbortController()
    const timer = this.#clock.setTimeout(
      () => deadline.abort(fromCode('REQUEST_TIMED_OUT', 'the consumer could not close in time')),
      CLOSE_TIMEOUT_MS,
    )
    try {
      if (this.#core.autoCommit && m.generationValid)
        await this.#core.commitPositions(undefined, deadline.signal).catch(() => undefined)
      const owned = this.#core.state.assigned()
      if (this.#core.state.mode === 'subscribe') {
        this.#core.state.clear()
        if (owned.length > 0) this.emit('partitions.revoked', { partitions: owned })
        m.requestRejoin('left the group')
      }
      await m.leave('the consumer is stopping', deadline.signal)
    } finally {
      this.#clock.clearTimeout(timer)
    }
  }

  /** Stop, leave the group at once, abort held requests; no timer is left. Idempotent. */
  disconnect(): Promise<void> {
    this.#closing ??= (async () => {
      await this.stop().catch(() => undefined)
      this.#core.membership?.close()
      this.#core.fetcher.close()
      this.#core.wakeup()
      this.emit('disconnect')
    })()
    return this.#closing
  }
}

function isIndex(p: unknown): boolean {
  return Number.isSafeInteger(p) && (p as number) >= 0
}

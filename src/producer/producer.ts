/**
 * The producer: Kafka's guarantees with kafkajs's API. `send` checks every message, finds
 * each one's partition, and queues it in its partition's batch; the {@link Sender} sends
 * batches to the leaders, retries, and keeps order; the send's promise settles when every batch
 * holding its records is acknowledged (or one fails). A send whose input is bad in any way
 * (a value that is not bytes, a record too large, a partition out of range, an unknown topic)
 * rejects before anything of it is queued, so nothing of it is written.
 */
import { EventEmitter } from 'eventemitter3'
import type { ClusterClient } from '../client/cluster-client.js'
import type { Clock } from '../common/clock.js'
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import type { Random } from '../common/random.js'
import { describe, toPositiveInt } from '../common/validate.js'
import { validateTopicName } from '../log/topic-name.js'
import { Accumulator } from './accumulator.js'
import type { ProducerEvents } from './events.js'
import { ProducerIdManager } from './idempotence.js'
import {
  type Message,
  type PreparedRecord,
  type ProducerBatchRecord,
  type ProducerRecord,
  prepareMessage,
  type RecordMetadata,
  singleRecordBatchSize,
  type TopicMessages,
} from './message.js'
import {
  type ProducerOptions,
  type ResolvedProducerOptions,
  resolveProducerOptions,
  toAcks,
} from './options.js'
import { createPartitioner, type Partitioner } from './partitioners.js'
import { SendTracker } from './send-tracker.js'
import { Sender } from './sender.js'
import { TopicInfo } from './topic-info.js'

/** What a {@link Producer} is built from. */
export interface ProducerConfig {
  /** The cluster client (the caller owns it: the producer does not close it). */
  readonly client: ClusterClient
  /** Time: linger, backoff, timeouts. */
  readonly clock: Clock
  /** Chance: the sticky partitioners. */
  readonly random: Random
  /** Producer options (kafkajs names, Kafka defaults). */
  readonly options?: ProducerOptions
}

interface Checked {
  readonly entries: readonly TopicMessages[]
  readonly records: PreparedRecord[][]
  readonly acks: -1 | 0 | 1
  readonly timeoutMs: number
}

/**
 * A producer. Build it with `cluster.producer(options)`, or directly from a `ClusterClient`.
 *
 * @example
 * ```ts
 * const producer = cluster.producer({ idempotent: true, lingerMs: 5 })
 * const [meta] = await producer.send({ topic: 'orders', messages: [{ key: 'k1', value: 'v' }] })
 * await producer.disconnect()
 * ```
 */
export class Producer extends EventEmitter<ProducerEvents> {
  /** The options in force, defaults applied. */
  readonly options: ResolvedProducerOptions
  readonly #client: ClusterClient
  readonly #clock: Clock
  readonly #partitioner: Partitioner
  readonly #accumulator: Accumulator
  readonly #sender: Sender
  readonly #topics: TopicInfo
  #closing: Promise<void> | undefined
  /** Sends waiting for metadata, or behind one that does, in send order. */
  readonly #waiting: WaitingSend[] = []

  /**
   * A producer over `config.client`; options are checked here (`INVALID_ARGUMENT`).
   *
   * @param config - client, clock, random and options
   */
  constructor(config: ProducerConfig) {
    super()
    const options = resolveProducerOptions(config.options)
    this.options = options
    this.#client = config.client
    this.#clock = config.clock
    this.#partitioner = createPartitioner(options.partitioner, config.random.fork('partitioner'))
    this.#topics = new TopicInfo({
      client: config.client,
      clock: config.clock,
      allowAutoTopicCreation: options.allowAutoTopicCreation,
      retryBackoffMs: options.retryBackoffMs,
      maxWaitMs: options.requestTimeoutMs,
    })
    this.#accumulator = new Accumulator({
      batchSize: options.batchSize,
      deliveryTimeoutMs: options.deliveryTimeoutMs,
      onOpen: (batch) => {
        if (options.lingerMs > 0) this.#sender.wakeAt(batch.createdAt + options.lingerMs)
      },
      onClose: (topic, partition) => this.#batchClosed(topic, partition),
    })
    this.#sender = new Sender({
      client: config.client,
      clock: config.clock,
      accumulator: this.#accumulator,
      options,
      idempotence: options.idempotent
        ? new ProducerIdManager(config.client, options.requestTimeoutMs)
        : undefined,
      events: this,
    })
  }

  /** Whether `disconnect()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined
  }

  /**
   * Produce messages to one topic. Resolves with one {@link RecordMetadata} per partition
   * written (the offset of this send's first record there) once every record is
   * acknowledged as `acks` asks; rejects with the first error.
   */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    try {
      if (typeof record !== 'object' || record === null) {
        throw new InvalidArgumentError(`send takes { topic, messages }, got ${describe(record)}`)
      }
      return this.#produce([record], record.acks, record.timeoutMs)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Produce messages to several topics in one call (kafkajs's `sendBatch`). */
  sendBatch(batch: ProducerBatchRecord): Promise<RecordMetadata[]> {
    try {
      if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.topicMessages)) {
        throw new InvalidArgumentError(
          `sendBatch takes { topicMessages: [...] }, got ${describe(batch)}`,
        )
      }
      // A copy without holes: each entry of a sparse array is checked (and refused).
      return this.#produce(Array.from(batch.topicMessages), batch.acks, batch.timeoutMs)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Send every lingering batch now; resolves when every batch queued so far is done. */
  async flush(): Promise<void> {
    const pending = this.#accumulator.pendingBatches()
    this.#sender.flush()
    await Promise.all(pending.map((b) => b.whenDone()))
  }

  /**
   * Flush, wait for every batch in flight, then stop: later sends fail with `CLOSED`, and no
   * timer is left behind. Idempotent. The cluster client stays open (its owner closes it).
   */
  disconnect(): Promise<void> {
    this.#closing ??= this.flush().then(() => {
      this.#sender.stop()
      this.emit('disconnect')
    })
    return this.#closing
  }

  #produce(
    entries: readonly TopicMessages[],
    acksOption: unknown,
    timeoutOption: unknown,
  ): Promise<RecordMetadata[]> {
    if (this.#closing) throw fromCode('CLOSED', 'the producer is disconnected')
    const checked = this.#check(entries, acksOption, timeoutOption)
    const snap = this.#client.snapshot
    let missing: string[] | undefined
    for (const e of entries) {
      if (this.#topics.known(snap, e.topic) || missing?.includes(e.topic)) continue
      missing ??= []
      missing.push(e.topic)
    }
    if (missing === undefined && this.#waiting.length === 0) return this.#enqueue(checked)
    // A send that waits for metadata holds back every later send, so records are queued (and
    // land) in send order; sends released together are queued in one turn, so they can share
    // a batch.
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      const entry: WaitingSend = { checked, ready: missing === undefined, resolve, reject }
      this.#waiting.push(entry)
      if (missing === undefined) return
      this.#topics.resolve(missing).then(
        () => {
          entry.ready = true
          this.#release()
        },
        (err: unknown) => {
          entry.error = err
          entry.ready = true
          this.#release()
        },
      )
    })
  }

  /** Queue the waiting sends from the head whose metadata is in, in order. */
  #release(): void {
    while (this.#waiting.length > 0 && (this.#waiting[0] as WaitingSend).ready) {
      const w = this.#waiting.shift() as WaitingSend
      if (w.error !== undefined) {
        w.reject(w.error)
        continue
      }
      try {
        this.#enqueue(w.checked).then(w.resolve, w.reject)
      } catch (err) {
        w.reject(err)
      }
    }
  }

  #check(entries: readonly TopicMessages[], acksOption: unknown, timeoutOption: unknown): Checked {
    const acks = acksOption === undefined ? this.options.acks : toAcks(acksOption)
    if (this.options.idempotent && acks !== -1) {
      throw new InvalidArgumentError(
        `an idempotent producer sends with acks=all, got ${acksOption}`,
      )
    }
    const timeoutMs =
      timeoutOption === undefined
        ? this.options.requestTimeoutMs
        : toPositiveInt(timeoutOption, 'timeoutMs')
    const now = this.#clock.now()
    const records = entries.map((e, t) => {
      const what = entries.length === 1 ? 'messages' : `topicMessages[${t}].messages`
      if (typeof e !== 'object' || e === null) {
        throw new InvalidArgumentError(`topicMessages[${t}] must be an object, got ${describe(e)}`)
      }
      validateTopicName(e.topic)
      if (!Array.isArray(e.messages)) {
        throw new InvalidArgumentError(`${what} must be an array, got ${describe(e.messages)}`)
      }
      // Array.from, not map: a hole in a sparse array is checked (and refused) as `undefined`.
      return Array.from(e.messages, (m, i) => prepareMessage(m, `${what}[${i}]`, now))
    })
    return { entries, records, acks, timeoutMs }
  }

  /** Choose partitions (every check first), then queue the records. */
  #enqueue(c: Checked): Promise<RecordMetadata[]> {
    if (this.#closing) throw fromCode('CLOSED', 'the producer is disconnected')
    const partitions = c.entries.map((e, t) =>
      this.#partitionsOf(e, c.records[t] as PreparedRecord[]),
    )
    let tracker!: SendTracker
    const promise = new Promise<RecordMetadata[]>((resolve, reject) => {
      tracker = new SendTracker(resolve, reject)
    })
    const { maxRequestSize } = this.options
    const now = this.#clock.now()
    let ready = false
    for (let t = 0; t < c.entries.length; t++) {
      const topic = (c.entries[t] as TopicMessages).topic
      const limit = Math.min(
        this.options.batchSize,
        maxRequestSize,
        this.#topics.maxMessageBytes(topic),
      )
      const records = c.records[t] as PreparedRecord[]
      const parts = partitions[t] as number[]
      for (let i = 0; i < records.length; i++) {
        const q = this.#accumulator.queue(topic, parts[i] as number)
        const record = records[i] as PreparedRecord
        if (this.#accumulator.append(q, record, tracker, c.acks, c.timeoutMs, limit, now))
          ready = true
      }
    }
    tracker.seal()
    if (ready || this.options.lingerMs === 0) this.#sender.schedule()
    return promise
  }

  /** Every record's partition, after the size and range checks of the whole topic's records. */
  #partitionsOf(entry: TopicMessages, records: PreparedRecord[]): number[] {
    const { topic, messages } = entry
    const meta = this.#client.snapshot?.topic(topic)
    if (meta === undefined)
      throw fromCode('UNKNOWN_TOPIC_OR_PARTITION', `topic ${topic} is unknown`)
    const view = this.#topics.view(meta)
    const max = Math.min(this.options.maxRequestSize, this.#topics.maxMessageBytes(topic))
    const out = new Array<number>(records.length)
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as PreparedRecord
      const size = singleRecordBatchSize(r)
      if (size > max) {
        throw fromCode(
          'MESSAGE_TOO_LARGE',
          `messages[${i}] of topic ${topic} needs ${size} bytes, more than the ${max} allowed (maxRequestSize / max.message.bytes)`,
        )
      }
      if (r.partition >= view.partitionCount) {
        throw fromCode(
          'UNKNOWN_TOPIC_OR_PARTITION',
          `messages[${i}].partition ${r.partition}: topic ${topic} has ${view.partitionCount} partitions`,
        )
      }
      out[i] =
        r.partition >= 0
          ? r.partition
          : this.#partitioner.partition(topic, r.key, messages[i] as Message, view)
    }
    return out
  }

  #batchClosed(topic: string, partition: number): void {
    const meta = this.#client.snapshot?.topic(topic)
    if (meta !== undefined) this.#partitioner.onNewBatch(topic, partition, this.#topics.view(meta))
  }
}

/** A send waiting for its topics' metadata, or for an earlier send that waits. */
interface WaitingSend {
  readonly checked: Checked
  ready: boolean
  error?: unknown
  readonly resolve: (value: RecordMetadata[]) => void
  readonly reject: (err: unknown) => void
}

/**
 * The record accumulator (Kafka's RecordAccumulator): per partition, the open batch that takes
 * new records, the closed batches waiting to be sent (retries put back in their original
 * order) and the batches in flight. A batch closes when the next record would not fit
 * (`batchSize`, or the request and topic limits), when the acks change, when `lingerMs` has
 * passed, or on flush; closing one tells the partitioner (sticky partitioners move on).
 */

import { ProducerBatch } from './batch.js'
import type { PreparedRecord } from './message.js'
import type { SendTracker } from './send-tracker.js'

/** One partition's batches. */
export class PartitionQueue {
  /** The batch taking records, if any. */
  open: ProducerBatch | undefined
  /** Closed batches to send, in order (retries included, by their original order). */
  readonly ready: ProducerBatch[] = []
  /** Sent, unanswered batches, in send order. */
  readonly inFlight: ProducerBatch[] = []
  /** The next sequence number (idempotence). */
  nextSequence = 0

  /**
   * The queue of `topic`/`partition`.
   *
   * @param topic - the topic
   * @param partition - the partition
   */
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Whether the queue holds any batch not yet done. */
  get busy(): boolean {
    return this.open !== undefined || this.ready.length > 0 || this.inFlight.length > 0
  }

  /** Put a batch back to be sent again, before every later batch. */
  requeue(batch: ProducerBatch): void {
    const i = this.inFlight.indexOf(batch)
    if (i >= 0) this.inFlight.splice(i, 1)
    let at = 0
    while (at < this.ready.length && (this.ready[at] as ProducerBatch).order < batch.order) at++
    this.ready.splice(at, 0, batch)
  }

  /** Forget an in-flight batch that is done. */
  landed(batch: ProducerBatch): void {
    const i = this.inFlight.indexOf(batch)
    if (i >= 0) this.inFlight.splice(i, 1)
  }

  /** Whether a batch older than `batch` is still unacknowledged (sent or to be resent). */
  hasOlderUnacknowledged(batch: ProducerBatch): boolean {
    for (const b of this.inFlight) if (b.order < batch.order && b.bytes) return true
    for (const b of this.ready) if (b.order < batch.order && b.bytes) return true
    return false
  }
}

/** Settings of the {@link Accumulator}. */
export interface AccumulatorSettings {
  /** `batch.size`. */
  readonly batchSize: number
  /** `delivery.timeout.ms`. */
  readonly deliveryTimeoutMs: number
  /** Called when a batch of a partition opens (linger timers). */
  readonly onOpen: (batch: ProducerBatch) => void
  /** Called when a batch of a partition closes (sticky partitioners move on). */
  readonly onClose: (topic: string, partition: number) => void
}

/** Every partition's queue. */
export class Accumulator {
  readonly #topics = new Map<string, PartitionQueue[]>()
  /** Queues with batches not yet done (the sender visits only these). */
  readonly active = new Set<PartitionQueue>()
  #order = 0

  /**
   * An empty accumulator.
   *
   * @param settings - sizes, timeouts and the close hook
   */
  constructor(private readonly settings: AccumulatorSettings) {}

  /** The queue of a partition, made on first use. */
  queue(topic: string, partition: number): PartitionQueue {
    let queues = this.#topics.get(topic)
    if (queues === undefined) {
      queues = []
      this.#topics.set(topic, queues)
    }
    let q = queues[partition]
    if (q === undefined) {
      q = new PartitionQueue(topic, partition)
      queues[partition] = q
    }
    return q
  }

  /**
   * Add a record to its partition's open batch (closing it first when the record does not fit
   * `limitBytes` or the acks differ). Returns whether a batch is now ready to send.
   */
  append(
    q: PartitionQueue,
    record: PreparedRecord,
    tracker: SendTracker,
    acks: -1 | 0 | 1,
    timeoutMs: number,
    limitBytes: number,
    now: number,
  ): boolean {
    let closed = false
    let open = q.open
    if (
      open !== undefined &&
      (open.acks !== acks ||
        open.timeoutMs !== timeoutMs ||
        open.sizeBytes + record.sizeBytes > limitBytes)
    ) {
      this.close(q)
      open = undefined
      closed = true
    }
    if (open === undefined) {
      open = new ProducerBatch(
        q.topic,
        q.partition,
        acks,
        timeoutMs,
        this.#order++,
        now,
        this.settings.deliveryTimeoutMs,
      )
      q.open = open
      this.active.add(q)
      this.settings.onOpen(open)
    }
    open.add(record, tracker)
    if (open.sizeBytes >= this.settings.batchSize) {
      this.close(q)
      closed = true
    }
    return closed
  }

  /** Close a partition's open batch: it joins the batches ready to send. */
  close(q: PartitionQueue): void {
    const open = q.open
    if (open === undefined) return
    q.open = undefined
    q.ready.push(open)
    this.settings.onClose(q.topic, q.partition)
  }

  /** Every queue's batches that are not done, oldest first per queue (for flush). */
  pendingBatches(): ProducerBatch[] {
    const out: ProducerBatch[] = []
    for (const q of this.active) {
      out.push(...q.inFlight, ...q.ready)
      if (q.open) out.push(q.open)
    }
    return out
  }
}

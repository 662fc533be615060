/**
 * A producer batch: the records bound for one partition with the same acks, until it is
 * closed, then encoded once (a RecordBatch v2, with the idempotent producer's id, epoch and
 * sequence) and sent, perhaps several times (a retry resends the very same bytes). It reports
 * its outcome to the sends whose records it holds.
 */
import { fromCode } from '../common/errors.js'
import {
  BATCH,
  BATCH_HEADER_BYTES,
  writeBatchCrc,
  writeInt16,
  writeInt32,
  writeInt64,
} from '../log/batch-header.js'
import { encodeCheckedBatch } from '../log/record-encoder.js'
import type { PreparedRecord } from './message.js'
import type { SendTracker } from './send-tracker.js'

const NO_RECORDS: PreparedRecord[] = []

/** The producer id, epoch and first sequence a batch is written with (−1s without idempotence). */
export interface BatchIdentity {
  /** The producer id, or -1. */
  readonly producerId: number
  /** The producer epoch, or -1. */
  readonly producerEpoch: number
  /** The first record's sequence, or -1. */
  readonly baseSequence: number
}

/** One batch of one partition. */
export class ProducerBatch {
  /** Records until encoded (then released). */
  records: PreparedRecord[] = []
  /** Upper bound of the encoded size so far. */
  sizeBytes = BATCH_HEADER_BYTES
  /** The encoded bytes, once sent for the first time. */
  bytes: Buffer | undefined
  /** The identity the bytes carry. */
  identity: BatchIdentity | undefined
  /** Times sent. */
  attempts = 0
  /** Clock time before which a retry waits. */
  retryAt = 0
  /** The last error of a failed attempt. */
  lastError: unknown
  /** Whether the batch has succeeded or failed for good. */
  done = false
  /** Trackers, slot indexes and first offset deltas of the sends whose records it holds. */
  readonly #trackers: SendTracker[] = []
  readonly #slots: number[] = []
  readonly #deltas: number[] = []
  #waiters: (() => void)[] | undefined

  /**
   * An empty batch.
   *
   * @param topic - the topic
   * @param partition - the partition
   * @param acks - the acks its records were sent with
   * @param timeoutMs - the leader's ISR wait for acks=-1
   * @param order - its place among every batch of the producer (retries keep order by it)
   * @param createdAt - the clock time of its first record
   * @param deliveryTimeoutMs - how long it may take to be acknowledged
   */
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly acks: -1 | 0 | 1,
    readonly timeoutMs: number,
    readonly order: number,
    readonly createdAt: number,
    deliveryTimeoutMs: number,
  ) {
    this.deadline = createdAt + deliveryTimeoutMs
  }

  /** The clock time by which it must be acknowledged (delivery timeout). */
  readonly deadline: number

  /** Records in the batch. */
  recordCount = 0

  /** Add one record of the send tracked by `tracker`. */
  add(record: PreparedRecord, tracker: SendTracker): void {
    const last = this.#trackers.length - 1
    if (last < 0 || this.#trackers[last] !== tracker) {
      this.#trackers.push(tracker)
      this.#slots.push(tracker.slot(this.topic, this.partition))
      this.#deltas.push(this.recordCount)
      tracker.addBatch()
    }
    this.records.push(record)
    this.recordCount++
    this.sizeBytes += record.sizeBytes
  }

  /** Encode the records once with `identity`; the records are released. */
  encode(identity: BatchIdentity): Buffer {
    // The records were checked by `prepareMessage`: the encoder takes them as they are.
    this.bytes = encodeCheckedBatch(this.records, identity)
    this.identity = identity
    this.records = NO_RECORDS
    return this.bytes
  }

  /**
   * Give already-sent bytes a new identity (a reset producer id): a copy, since the broker may
   * keep the bytes it was handed, with the header fields and the CRC rewritten.
   */
  reidentify(identity: BatchIdentity): void {
    const old = this.bytes
    if (old === undefined) return
    const bytes = Buffer.from(old)
    writeInt64(bytes, BATCH.PRODUCER_ID, identity.producerId)
    writeInt16(bytes, BATCH.PRODUCER_EPOCH, identity.producerEpoch)
    writeInt32(bytes, BATCH.BASE_SEQUENCE, identity.baseSequence)
    writeBatchCrc(bytes, 0, bytes.length)
    this.bytes = bytes
    this.identity = identity
  }

  /** The batch was acknowledged: its first record is at `baseOffset` (−1 with acks=0). */
  succeed(baseOffset: number, logAppendTime: number, logStartOffset: number): void {
    if (this.done) return
    this.done = true
    for (let i = 0; i < this.#trackers.length; i++) {
      const offset = baseOffset < 0 ? -1 : baseOffset + (this.#deltas[i] as number)
      ;(this.#trackers[i] as SendTracker).batchDone(
        this.#slots[i] as number,
        offset,
        logAppendTime,
        logStartOffset,
      )
    }
    this.#wake()
  }

  /** The batch failed for good with `err`. */
  fail(err: unknown): void {
    if (this.done) return
    this.done = true
    this.records = NO_RECORDS
    for (const tracker of this.#trackers) tracker.batchFailed(err)
    this.#wake()
  }

  /** The delivery timeout passed: fail with `REQUEST_TIMED_OUT` (the last error as its cause). */
  expire(now: number, deliveryTimeoutMs: number): void {
    const tp = `${this.topic}-${this.partition}`
    this.fail(
      fromCode(
        'REQUEST_TIMED_OUT',
        `expiring ${this.recordCount} record(s) for ${tp}: ${deliveryTimeoutMs} ms (delivery timeout) have passed since batch creation (now ${now})`,
        this.lastError === undefined ? {} : { cause: this.lastError },
      ),
    )
  }

  /** Resolves once the batch is done (for `flush`). */
  whenDone(): Promise<void> {
    if (this.done) return Promise.resolve()
    this.#waiters ??= []
    const waiters = this.#waiters
    return new Promise((resolve) => waiters.push(resolve))
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = undefined
    if (waiters) for (const w of waiters) w()
  }
}

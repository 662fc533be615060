/**
 * One `send` call's promise and results. The records of a send may land in several batches
 * (several partitions, or a batch boundary); each batch reports to the trackers whose records
 * it holds, and the tracker settles once every one of them is done: with one
 * {@link RecordMetadata} per partition touched (the offset of the send's first record there),
 * or with the first error. One tracker (one promise) per send, never one per record.
 */
import type { RecordMetadata } from './message.js'

/** What a send learnt of one partition. */
interface Slot {
  readonly topic: string
  readonly partition: number
  offset: number
  appendTime: number
  logStart: number
}

/** Collects the outcome of one send. */
export class SendTracker {
  readonly #resolve: (value: RecordMetadata[]) => void
  readonly #reject: (err: unknown) => void
  readonly #slots: Slot[] = []
  #pending = 0
  #sealed = false
  #error: unknown

  /**
   * A tracker settling through `resolve` / `reject` (the send's promise).
   *
   * @param resolve - called once with the results
   * @param reject - called once with the first error
   */
  constructor(resolve: (value: RecordMetadata[]) => void, reject: (err: unknown) => void) {
    this.#resolve = resolve
    this.#reject = reject
  }

  /** The result slot of a partition, made on first use (results keep first-use order). */
  slot(topic: string, partition: number): number {
    const slots = this.#slots
    const n = slots.length
    for (let i = 0; i < n; i++) {
      const s = slots[i] as Slot
      if (s.partition === partition && s.topic === topic) return i
    }
    slots.push({ topic, partition, offset: Number.POSITIVE_INFINITY, appendTime: -1, logStart: -1 })
    return n
  }

  /** One more batch holds records of this send. */
  addBatch(): void {
    this.#pending++
  }

  /** Every record is queued: the tracker may settle once its batches are done. */
  seal(): void {
    this.#sealed = true
    this.#settleIfDone()
  }

  /** A batch holding records of this send from offset `baseOffset` on (−1 with acks=0) succeeded. */
  batchDone(slot: number, baseOffset: number, logAppendTime: number, logStart: number): void {
    const s = this.#slots[slot] as Slot
    if (baseOffset >= 0 && baseOffset < s.offset) s.offset = baseOffset
    if (logAppendTime > s.appendTime) s.appendTime = logAppendTime
    if (logStart > s.logStart) s.logStart = logStart
    this.#pending--
    this.#settleIfDone()
  }

  /** A batch holding records of this send failed: the send rejects (with its first error). */
  batchFailed(err: unknown): void {
    if (this.#error === undefined) this.#error = err
    this.#pending--
    this.#settleIfDone()
  }

  #settleIfDone(): void {
    if (!this.#sealed || this.#pending > 0) return
    this.#sealed = false
    if (this.#error !== undefined) {
      this.#reject(this.#error)
      return
    }
    this.#resolve(
      this.#slots.map((s) => ({
        topicName: s.topic,
        partition: s.partition,
        errorCode: 0,
        baseOffset: String(s.offset === Number.POSITIVE_INFINITY ? -1 : s.offset),
        logAppendTime: String(s.appendTime),
        logStartOffset: String(s.logStart),
      })),
    )
  }
}

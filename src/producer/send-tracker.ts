/**
 * One `send` call's promise and results. The records of a send may land in several batches
 * (several partitions, or a batch boundary); each batch reports to the trackers whose records
 * it holds, and the tracker settles once every one of them is done: with one
 * {@link RecordMetadata} per partition touched (the offset of the send's first record there),
 * or with the first error. One tracker (one promise) per send, never one per record.
 */
import type { RecordMetadata } from './message.js'

/** Collects the outcome of one send. */
export class SendTracker {
  readonly #resolve: (value: RecordMetadata[]) => void
  readonly #reject: (err: unknown) => void
  readonly #topics: string[] = []
  readonly #partitions: number[] = []
  readonly #offsets: number[] = []
  readonly #appendTimes: number[] = []
  readonly #logStarts: number[] = []
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
    const n = this.#topics.length
    for (let i = 0; i < n; i++) {
      if (this.#partitions[i] === partition && this.#topics[i] === topic) return i
    }
    this.#topics.push(topic)
    this.#partitions.push(partition)
    this.#offsets.push(Number.POSITIVE_INFINITY)
    this.#appendTimes.push(-1)
    this.#logStarts.push(-1)
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
    const current = this.#offsets[slot] as number
    if (baseOffset >= 0 && baseOffset < current) this.#offsets[slot] = baseOffset
    if (logAppendTime > (this.#appendTimes[slot] as number)) this.#appendTimes[slot] = logAppendTime
    if (logStart > (this.#logStarts[slot] as number)) this.#logStarts[slot] = logStart
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
    const out: RecordMetadata[] = new Array(this.#topics.length)
    for (let i = 0; i < out.length; i++) {
      const offset = this.#offsets[i] as number
      out[i] = {
        topicName: this.#topics[i] as string,
        partition: this.#partitions[i] as number,
        errorCode: 0,
        baseOffset: String(offset === Infinity ? -1 : offset),
        logAppendTime: String(this.#appendTimes[i]),
        logStartOffset: String(this.#logStarts[i]),
      }
    }
    this.#resolve(out)
  }
}

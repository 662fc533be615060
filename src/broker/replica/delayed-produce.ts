/**
 * acks=-1 produces waiting for the ISR (Kafka's `DelayedProduce` and its purgatory). A produce
 * request waits as one {@link DelayedProduce}; each partition it appended to holds its entry
 * in that partition's {@link ProduceQueue}, in offset order, until the high watermark passes
 * the batch. Then the partition answers success, or `NOT_ENOUGH_REPLICAS_AFTER_APPEND` when
 * the ISR is below `min.insync.replicas` by then (Kafka's `checkEnoughReplicasReachOffset`).
 * The request answers when every partition has, or with `REQUEST_TIMED_OUT` for the rest when
 * its timeout passes; a lost leadership answers `NOT_LEADER_OR_FOLLOWER`.
 */
import type { Clock, Timer } from '../../common/clock.js'
import type { ErrorCode } from '../../common/errors.js'

/** One partition's result of a produce, filled in as it completes. */
export interface ProduceSlot {
  /** The partition index. */
  partition: number
  /** Offset of the batch's first record (-1 on error before the append). */
  baseOffset: number
  /** The append time with LogAppendTime, else -1. */
  logAppendTimeMs: number
  /** The log start offset after the append. */
  logStartOffset: number
  /** The error, absent on success. */
  error?: ErrorCode
  /** More about the error. */
  errorMessage?: string
}

/** One acks=-1 produce request waiting for some of its partitions. */
export class DelayedProduce {
  readonly #waiting = new Set<ProduceSlot>()
  #timer: Timer | undefined
  #resolve: (() => void) | undefined

  /**
   * A produce that answers through `resolve` once every slot given to {@link wait} is done.
   *
   * @param clock - for the timeout
   * @param resolve - called once, when the request may answer
   */
  constructor(
    private readonly clock: Clock,
    resolve: () => void,
  ) {
    this.#resolve = resolve
  }

  /** Wait for `slot` (its partition's high watermark). */
  wait(slot: ProduceSlot): void {
    this.#waiting.add(slot)
  }

  /** Whether a slot still waits. */
  get pending(): boolean {
    return this.#waiting.size > 0
  }

  /** Start the timeout; answers at once when nothing waits. */
  start(timeoutMs: number): void {
    if (this.#waiting.size === 0) this.#answer()
    else this.#timer = this.clock.setTimeout(() => this.#expire(), timeoutMs)
  }

  /** `slot` is done, with `error` or successfully. Later calls for it do nothing. */
  finish(slot: ProduceSlot, error?: ErrorCode): void {
    if (!this.#waiting.delete(slot)) return
    if (error !== undefined) slot.error = error
    if (this.#waiting.size === 0) this.#answer()
  }

  #expire(): void {
    this.#timer = undefined
    for (const slot of this.#waiting) {
      slot.error = 'REQUEST_TIMED_OUT'
      slot.errorMessage = 'the ISR did not reach the batch in time'
    }
    this.#waiting.clear()
    this.#answer()
  }

  #answer(): void {
    this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    const resolve = this.#resolve
    this.#resolve = undefined
    resolve?.()
  }
}

interface Waiting {
  readonly requiredOffset: number
  readonly op: DelayedProduce
  readonly slot: ProduceSlot
}

/** A partition's produces waiting for its high watermark, in append order. */
export class ProduceQueue {
  #entries: Waiting[] = []
  #head = 0

  /** Entries still queued (some may belong to requests that timed out). */
  get size(): number {
    return this.#entries.length - this.#head
  }

  /** Wait until the high watermark reaches `requiredOffset` (the batch's last offset + 1). */
  add(requiredOffset: number, op: DelayedProduce, slot: ProduceSlot): void {
    op.wait(slot)
    this.#entries.push({ requiredOffset, op, slot })
  }

  /**
   * The high watermark is `hw`: finish the entries it covers, with
   * `NOT_ENOUGH_REPLICAS_AFTER_APPEND` unless `enoughReplicas`.
   */
  complete(hw: number, enoughReplicas: boolean): void {
    const entries = this.#entries
    let head = this.#head
    while (head < entries.length) {
      const e = entries[head] as Waiting
      if (e.requiredOffset > hw) break
      head++
      e.op.finish(e.slot, enoughReplicas ? undefined : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND')
    }
    if (head === entries.length) {
      this.#entries = []
      this.#head = 0
    } else if (head > 1024 && head * 2 > entries.length) {
      this.#entries = entries.slice(head)
      this.#head = 0
    } else this.#head = head
  }

  /** Finish every entry with `code` (leadership lost, partition stopped, shutdown). */
  failAll(code: ErrorCode): void {
    const entries = this.#entries
    this.#entries = []
    for (let i = this.#head; i < entries.length; i++) {
      const e = entries[i] as Waiting
      e.op.finish(e.slot, code)
    }
    this.#head = 0
  }
}

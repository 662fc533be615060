/**
 * A fetch held by the leader until it can answer (Kafka's `DelayedFetch` and its purgatory):
 * until enough bytes are ready (`minBytes`), `maxWaitMs` passes on the clock, the fetcher
 * aborts it, or a partition it reads changes state. An append wakes followers' held fetches;
 * a higher high watermark wakes consumers'. A woken fetch checks cheaply for new offsets, then
 * reads again; with too few bytes it keeps waiting.
 */
import type { Clock, Timer } from '../../common/clock.js'
import type { FetchWaiter, Partition, WakeReason } from './partition.js'

/** A partition a held fetch reads, and from where. */
export interface Watched {
  /** The partition. */
  readonly partition: Partition
  /** The offset the fetch asked for. */
  readonly fetchOffset: number
}

/**
 * Read the fetch again and answer it when `force` or when it is ready; resolves whether it
 * answered.
 */
export type FetchAttempt = (force: boolean) => Promise<boolean>

/** One held fetch. */
export class DelayedFetch implements FetchWaiter {
  #timer: Timer | undefined
  #done = false
  #running = false
  #again = false
  #againForced = false
  readonly #onAbort = (): void => void this.#try(true)

  /**
   * Hold a fetch over `watched` partitions.
   *
   * @param clock - for `maxWaitMs`
   * @param watched - the partitions read, with their fetch offsets
   * @param follower - whether a follower fetches (it waits for appends; consumers for the HW)
   * @param maxWaitMs - the longest hold
   * @param signal - aborts the hold (the fetch then answers at once)
   * @param attempt - reads the fetch again and answers it when ready or forced
   * @param fail - answers the fetch with an error when a read throws
   */
  constructor(
    private readonly clock: Clock,
    private readonly watched: readonly Watched[],
    private readonly follower: boolean,
    maxWaitMs: number,
    private readonly signal: AbortSignal | undefined,
    private readonly attempt: FetchAttempt,
    private readonly fail: (err: unknown) => void,
  ) {
    for (const w of watched) w.partition.fetchWaiters.add(this)
    this.#timer = clock.setTimeout(() => this.#try(true), maxWaitMs)
    signal?.addEventListener('abort', this.#onAbort, { once: true })
    // A partition that stopped leading while the first read ran (a StopReplica, the broker
    // shutting down) will not wake this fetch: answer at once rather than hold a timer.
    if (watched.some((w) => !w.partition.isLeader)) void this.#try(true)
  }

  /** Answer at once on a state change; else read again when the partitions have new offsets. */
  wake(reason: WakeReason): void {
    if (this.#done) return
    if (reason === 'state') {
      void this.#try(true)
      return
    }
    if ((reason === 'append') !== this.follower) return
    if (this.#hasNewOffsets()) void this.#try(false)
  }

  #hasNewOffsets(): boolean {
    const follower = this.follower
    for (const w of this.watched) {
      const log = w.partition.log
      const end = follower ? log.logEndOffset : log.highWatermark
      if (end > w.fetchOffset) return true
    }
    return false
  }

  async #try(force: boolean): Promise<void> {
    if (this.#done) return
    if (this.#running) {
      this.#again = true
      this.#againForced ||= force
      return
    }
    this.#running = true
    try {
      let forced = force
      for (;;) {
        if (await this.attempt(forced)) {
          this.#finish()
          return
        }
        if (!this.#again || this.#done) return
        forced = this.#againForced
        this.#again = false
        this.#againForced = false
      }
    } catch (err) {
      this.#finish()
      this.fail(err)
    } finally {
      this.#running = false
    }
  }

  #finish(): void {
    this.#done = true
    this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.signal?.removeEventListener('abort', this.#onAbort)
    for (const w of this.watched) w.partition.fetchWaiters.delete(this)
  }
}

/**
 * A task run every `intervalMs` on the clock (Kafka's scheduler jobs: ISR expiration,
 * high-watermark checkpoints, retention checks). The next run is scheduled only after the
 * previous one has finished, so runs never overlap; {@link Periodic.stop} clears the timer and
 * waits for a run in progress.
 */
import type { Clock, Timer } from '../../common/clock.js'

/** A repeating task on a clock. */
export class Periodic {
  #timer: Timer | undefined
  #running: Promise<void> | undefined
  #stopped = true
  /** The last error a run threw (runs go on after errors). */
  lastError: unknown

  /**
   * A task, not yet started.
   *
   * @param clock - where its timer lives
   * @param intervalMs - the pause between the end of one run and the start of the next
   * @param task - the work of one run
   */
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  /** Schedule the first run. */
  start(): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#schedule()
  }

  #schedule(): void {
    this.#timer = this.clock.setTimeout(() => this.#fire(), this.intervalMs)
  }

  #fire(): Promise<void> {
    this.#timer = undefined
    const run = this.task()
      .catch((err: unknown) => {
        this.lastError = err
      })
      .then(() => {
        this.#running = undefined
        if (!this.#stopped) this.#schedule()
      })
    this.#running = run
    return run
  }

  /** Stop: no further run; resolves when a run in progress has finished. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running
  }
}

/**
 * When appended bytes are made durable. The log never waits for the disk on `append`:
 *
 * - default (`flush.messages` and `flush.ms` unset): nothing is forced; the store writes when
 *   it decides and the OS syncs when it decides, as Kafka leaves it to replication. A crash of
 *   the machine may lose recent appends; a crash of the process loses what the store had not
 *   yet written.
 * - `flush.messages` N: once N records are appended since the last flush, a flush with fsync
 *   starts in the background.
 * - `flush.ms` T: T ms (on the injected clock) after the first unflushed append, a flush with
 *   fsync starts in the background.
 * - `appendDurable()` on the log: append, then wait for a flush with fsync; when it resolves the
 *   batch survives a power loss (as far as the store can promise).
 *
 * A background flush that fails is remembered and rethrown, as `KAFKA_STORAGE_ERROR` with the
 * cause, by the next append or flush: the log's durability can no longer be trusted.
 */
import type { Clock, Timer } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import type { FlushOptions, PartitionStore } from '../storage/log-store.js'
import { LOG_CONFIG_MAX } from './log-config.js'

/** Schedules and runs the flushes of one partition log. */
export class FlushPolicy {
  #unflushedRecords = 0
  #timer: Timer | undefined
  #failure: unknown = undefined
  /**
   * Whether appends must be reported with {@link onAppend} (`flush.messages` or `flush.ms`
   * set); without either, an append has nothing to schedule.
   */
  counting = false
  /** `flush.messages`: records between background fsyncs. */
  flushMessages = LOG_CONFIG_MAX
  /** `flush.ms`: longest wait before a background fsync, ms. */
  flushMs = LOG_CONFIG_MAX

  constructor(
    readonly store: PartitionStore,
    readonly clock: Clock,
    flushMessages: number,
    flushMs: number,
  ) {
    this.configure(flushMessages, flushMs)
  }

  /**
   * Take new `flush.messages` / `flush.ms` values (a topic's config changed). An armed
   * `flush.ms` timer is re-armed with the new delay; a lower `flush.messages` applies from the
   * next append.
   */
  configure(flushMessages: number, flushMs: number): void {
    const rearm = this.#timer !== undefined && flushMs !== this.flushMs
    this.flushMessages = flushMessages
    this.flushMs = flushMs
    this.counting = flushMessages < LOG_CONFIG_MAX || flushMs < LOG_CONFIG_MAX
    if (rearm) {
      this.stop()
      if (flushMs < LOG_CONFIG_MAX) {
        this.#timer = this.clock.setTimeout(() => this.#background(), flushMs)
      }
    }
  }

  /** Throw the remembered failure of a background flush, if any. */
  throwIfFailed(): void {
    if (this.#failure !== undefined) {
      throw fromCode('KAFKA_STORAGE_ERROR', 'a background flush failed', { cause: this.#failure })
    }
  }

  /** Note `records` appended records; may start a background flush or arm the timer. */
  onAppend(records: number): void {
    this.#unflushedRecords += records
    if (this.#unflushedRecords >= this.flushMessages) {
      this.#background()
    } else if (this.flushMs < LOG_CONFIG_MAX && this.#timer === undefined) {
      this.#timer = this.clock.setTimeout(() => this.#background(), this.flushMs)
    }
  }

  #background(): void {
    this.flush({ fsync: true }).catch((err: unknown) => {
      this.#failure ??= err
    })
  }

  /** Flush now (the store lets concurrent calls share one write). */
  async flush(options: FlushOptions): Promise<void> {
    this.throwIfFailed()
    this.stop()
    this.#unflushedRecords = 0
    await this.store.flush(options)
  }

  /** Stop the timer (on close). */
  stop(): void {
    this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

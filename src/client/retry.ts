/**
 * Retries with backoff, as Kafka's clients do them: a retriable error (a `LogkeeperError` whose
 * `retriable` is true: a dead broker, a leader change, a timeout) waits `retry.backoff.ms`
 * (doubling up to a cap, as `retry.backoff.max.ms`) on the injected clock and tries again; any
 * other error, the last attempt's error, or an aborted signal ends the loop.
 */
import type { Clock } from '../common/clock.js'
import { isLogkeeperError } from '../common/errors.js'

/** How {@link withRetries} retries. */
export interface RetryOptions {
  /** Time for the backoff. */
  readonly clock: Clock
  /** Retries after the first attempt (0: one attempt). */
  readonly retries: number
  /** The first backoff (Kafka's `retry.backoff.ms`, default 100). */
  readonly backoffMs?: number
  /** The largest backoff (Kafka's `retry.backoff.max.ms`, default 1000). */
  readonly maxBackoffMs?: number
  /** Give up at this clock time (a delivery or request timeout): the last error is thrown. */
  readonly deadline?: number
  /** Stop waiting and throw the signal's reason when it aborts. */
  readonly signal?: AbortSignal
  /** Which errors to retry (default: retriable `LogkeeperError`s). */
  readonly isRetriable?: (err: unknown) => boolean
  /** Called before each retry with the error that caused it (refresh metadata here). */
  readonly onRetry?: (err: unknown, attempt: number) => void | Promise<void>
}

/** Whether `err` says that trying again may succeed. */
export function isRetriable(err: unknown): boolean {
  return isLogkeeperError(err) && err.retriable
}

/** Run `attempt` until it succeeds, fails for good, or the retries or time run out. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { clock, retries, signal } = options
  const retriable = options.isRetriable ?? isRetriable
  let backoff = options.backoffMs ?? 100
  const maxBackoff = options.maxBackoffMs ?? 1000
  for (let n = 0; ; n++) {
    signal?.throwIfAborted()
    try {
      return await attempt(n)
    } catch (err) {
      if (n >= retries || !retriable(err)) throw err
      if (options.deadline !== undefined && clock.now() + backoff > options.deadline) throw err
      await options.onRetry?.(err, n + 1)
      await clock.sleep(backoff, signal)
      backoff = Math.min(backoff * 2, maxBackoff)
    }
  }
}

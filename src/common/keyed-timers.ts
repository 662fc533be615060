/**
 * At most one timer per key on the injected {@link Clock}: setting a key's timer replaces the
 * one it had, and a timer that was replaced or cleared never runs, even if the clock had
 * already taken it due. The bookkeeping a session timer per member, or a deadline per group,
 * needs (internal: not exported from the package).
 */
import type { Clock, Timer } from './clock.js'

/** One timer per key. */
export class KeyedTimers<K> {
  readonly #clock: Clock
  readonly #timers = new Map<K, Timer>()

  /** Timers on `clock`. */
  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Run `fn` after `ms` for `key`, replacing the key's timer, if any. */
  set(key: K, ms: number, fn: () => void): void {
    this.clear(key)
    const timer = this.#clock.setTimeout(() => {
      if (this.#timers.get(key) !== timer) return
      this.#timers.delete(key)
      fn()
    }, ms)
    this.#timers.set(key, timer)
  }

  /** Cancel the key's timer (nothing when it has none). */
  clear(key: K): void {
    this.#clock.clearTimeout(this.#timers.get(key))
    this.#timers.delete(key)
  }

  /** Cancel every timer. */
  clearAll(): void {
    for (const timer of this.#timers.values()) this.#clock.clearTimeout(timer)
    this.#timers.clear()
  }
}

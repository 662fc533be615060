/**
 * Session liveness (ZooKeeper's `SessionTracker`). A session lives while it is touched (by its
 * client's heartbeats) at least once per timeout. Each session has one timer on the
 * {@link Clock}; touching only moves a deadline, and the timer, when it fires early, re-arms
 * for the new deadline. An expired session is handed to `onExpire` (which closes it with a
 * txn) and forgotten.
 */
import type { Clock, Timer } from '../common/clock.js'

interface Tracked {
  readonly id: number
  readonly timeoutMs: number
  deadline: number
  timer: Timer | undefined
}

/** The live sessions' deadlines. */
export class SessionTracker {
  readonly #clock: Clock
  readonly #onExpire: (sessionId: number) => void
  readonly #sessions = new Map<number, Tracked>()

  constructor(clock: Clock, onExpire: (sessionId: number) => void) {
    this.#clock = clock
    this.#onExpire = onExpire
  }

  /** Start tracking a session: it expires `timeoutMs` after its last touch. */
  add(id: number, timeoutMs: number): void {
    this.remove(id)
    const s: Tracked = { id, timeoutMs, deadline: this.#clock.now() + timeoutMs, timer: undefined }
    this.#sessions.set(id, s)
    this.#arm(s, timeoutMs)
  }

  #arm(s: Tracked, ms: number): void {
    s.timer = this.#clock.setTimeout(() => this.#check(s), ms)
  }

  #check(s: Tracked): void {
    if (this.#sessions.get(s.id) !== s) return
    const left = s.deadline - this.#clock.now()
    if (left > 0) {
      this.#arm(s, left)
      return
    }
    this.#sessions.delete(s.id)
    this.#onExpire(s.id)
  }

  /** The session is alive: push its deadline one timeout ahead. Returns false if unknown. */
  touch(id: number): boolean {
    const s = this.#sessions.get(id)
    if (s === undefined) return false
    s.deadline = this.#clock.now() + s.timeoutMs
    return true
  }

  /** Stop tracking a session (closed or expired). */
  remove(id: number): void {
    const s = this.#sessions.get(id)
    if (s === undefined) return
    this.#clock.clearTimeout(s.timer)
    this.#sessions.delete(id)
  }

  /** Stop every timer. */
  stop(): void {
    for (const s of this.#sessions.values()) this.#clock.clearTimeout(s.timer)
    this.#sessions.clear()
  }

  /** Live sessions tracked. */
  get size(): number {
    return this.#sessions.size
  }
}

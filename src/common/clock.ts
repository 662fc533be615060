/**
 * Time, injected. Nothing else in `src/` reads the wall clock or schedules timers: everything
 * asks a {@link Clock}. The {@link RealClock} wraps Node's timers; the {@link VirtualClock}
 * only moves when told to, firing due timers in deadline order, so session expiry, heartbeats,
 * linger, retention and rebalances run instantly and deterministically in tests.
 */
import { fromCode } from './errors.js'

/** A scheduled timer; pass it to {@link Clock.clearTimeout}. */
export interface Timer {
  /** The clock time (ms) at which the timer is due. */
  readonly deadline: number
}

/** Options for {@link Clock.setTimeout}. */
export interface TimerOptions {
  /**
   * Whether the timer keeps a Node process alive (real clock only). Default `false`: a
   * background timer (heartbeat, retention check) must not keep a process running.
   */
  ref?: boolean
}

/** The source of time and timers for everything in logkeeper. */
export interface Clock {
  /** Milliseconds since the Unix epoch, as `Date.now()`. */
  now(): number
  /** Run `fn` once after `ms` milliseconds. Its returned promise, if any, is awaited by virtual clocks. */
  setTimeout(fn: () => unknown, ms: number, options?: TimerOptions): Timer
  /** Cancel a timer; cancelling one that has fired or been cancelled does nothing. */
  clearTimeout(timer: Timer | undefined): void
  /** Resolve after `ms` milliseconds, or reject with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

function checkDelay(ms: number): number {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    throw new TypeError(`timer delay must be a number, got ${String(ms)}`)
  }
  return Math.max(0, ms)
}

function sleepWith(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  options: TimerOptions,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      ms,
      options,
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Node's longest timer delay: a longer one fires at once, with a TimeoutOverflowWarning. */
const MAX_NODE_DELAY_MS = 2_147_483_647

class RealTimer implements Timer {
  /** Node's timer now pending (a long delay is several in turn). */
  handle: ReturnType<typeof setTimeout> | undefined
  constructor(readonly deadline: number) {}
}

/** The wall clock and Node's own timers. */
export class RealClock implements Clock {
  now(): number {
    return Date.now()
  }

  setTimeout(fn: () => unknown, ms: number, options: TimerOptions = {}): Timer {
    const delay = checkDelay(ms)
    const timer = new RealTimer(Date.now() + delay)
    // Delays past Node's limit (about 24.8 days; Infinity: never) wait in steps.
    const arm = (left: number) => {
      const step = Math.min(left, MAX_NODE_DELAY_MS)
      timer.handle = setTimeout(step < left ? () => arm(left - step) : fn, step)
      if (!options.ref) timer.handle.unref()
    }
    arm(delay)
    return timer
  }

  clearTimeout(timer: Timer | undefined): void {
    if (timer instanceof RealTimer) clearTimeout(timer.handle)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    // Someone awaits a sleep: it keeps the process alive, as Node's own timers promise does.
    return sleepWith(this, ms, signal, { ref: true })
  }
}

class VirtualTimer implements Timer {
  constructor(
    readonly deadline: number,
    readonly seq: number,
    readonly fn: () => unknown,
  ) {}
}

/** Let pending promise callbacks and I/O callbacks run before the virtual clock moves on. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Turns of the event loop that timer work gets before the virtual clock moves on. */
const SETTLE_TURNS = 20

async function settleOrDone(work: Set<Promise<void>>): Promise<void> {
  for (let turn = 0; turn < SETTLE_TURNS; turn++) {
    await settle()
    if (work.size === 0) return
  }
}

/**
 * A clock that moves only when told. {@link VirtualClock.advance} fires the timers that fall
 * due, in deadline order (ties in the order they were set), each at its own deadline, and waits
 * for the work each one starts before firing the next.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock()
 * clock.setTimeout(() => console.log('fired at', clock.now()), 1000)
 * await clock.advance(5000)   // prints "fired at 1735689601000"
 * ```
 */
export class VirtualClock implements Clock {
  /** The default start time: 2025-01-01T00:00:00Z, so timestamps look like real ones. */
  static readonly DEFAULT_START_MS = Date.UTC(2025, 0, 1)

  #now: number
  #seq = 0
  #timers: VirtualTimer[] = []

  /**
   * A clock standing still at `startMs` until told to move.
   *
   * @param startMs - the time the clock starts at, ms since the epoch
   */
  constructor(startMs: number = VirtualClock.DEFAULT_START_MS) {
    this.#now = startMs
  }

  now(): number {
    return this.#now
  }

  setTimeout(fn: () => unknown, ms: number): Timer {
    const timer = new VirtualTimer(this.#now + checkDelay(ms), this.#seq++, fn)
    // A sorted array: inserts are binary-searched, the next due timer is at the front.
    let lo = 0
    let hi = this.#timers.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const t = this.#timers[mid]!
      if (t.deadline < timer.deadline || (t.deadline === timer.deadline && t.seq < timer.seq)) {
        lo = mid + 1
      } else hi = mid
    }
    this.#timers.splice(lo, 0, timer)
    return timer
  }

  clearTimeout(timer: Timer | undefined): void {
    if (!(timer instanceof VirtualTimer)) return
    const i = this.#timers.indexOf(timer)
    if (i >= 0) this.#timers.splice(i, 1)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal, {})
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.#timers.length
  }

  /** The deadline of the next timer, or `undefined` when none is set. */
  get nextDeadline(): number | undefined {
    return this.#timers[0]?.deadline
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due on the way (also timers that
   * those timers set, if they fall due before the end), each with the clock at its deadline.
   * Resolves once the clock stands at the new time and the work the timers started has settled.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + checkDelay(ms)
    const work = new Set<Promise<void>>()
    const errors: unknown[] = []
    await settle()
    for (;;) {
      const next = this.#timers[0]
      if (next === undefined || next.deadline > target) break
      this.#timers.shift()
      this.#now = Math.max(this.#now, next.deadline)
      this.#fire(next, work, errors)
      // The work a timer starts may itself wait for a later timer, so it is not awaited
      // unboundedly: it gets a few turns of the event loop before the next timer fires.
      await settleOrDone(work)
    }
    // Never backwards: an advance that overlapped a longer one ends where that one went.
    this.#now = Math.max(this.#now, target)
    await settleOrDone(work)
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, 'several virtual timers failed')
  }

  #fire(timer: VirtualTimer, work: Set<Promise<void>>, errors: unknown[]): void {
    let result: unknown
    try {
      result = timer.fn()
    } catch (err) {
      errors.push(err)
      return
    }
    if (result instanceof Promise) {
      const tracked: Promise<void> = result.then(
        () => void work.delete(tracked),
        (err: unknown) => {
          work.delete(tracked)
          errors.push(err)
        },
      )
      work.add(tracked)
    }
  }

  /** Fire timers until none is left, at most `limit` of them (to stop runaway intervals). */
  async runAll(limit = 10_000): Promise<void> {
    for (let fired = 0; fired < limit; fired++) {
      const next = this.#timers[0]
      if (next === undefined) return
      await this.advance(next.deadline - this.#now)
    }
    throw fromCode(
      'TIMEOUT',
      `VirtualClock.runAll: more than ${limit} timers fired; a timer keeps rescheduling`,
    )
  }

  /**
   * Let virtual time pass only as `promise` needs it: fire the timers one deadline at a time
   * until it settles, and return (or throw) what it settles with. For code that retries,
   * backs off or waits on timers (a producer re-routing after a broker died, a lock waiting
   * for a session to expire) in a test or a demo under the virtual clock. Fails with `TIMEOUT`
   * when more than `maxMs` of virtual time would pass, or when no timer is left that could
   * settle it (it would wait forever).
   */
  async runUntil<T>(promise: PromiseLike<T>, maxMs = 10 * 60_000): Promise<T> {
    let settled = false
    const tracked = Promise.resolve(promise).finally(() => {
      settled = true
    })
    tracked.catch(() => undefined)
    const limit = this.#now + checkDelay(maxMs)
    while (!settled) {
      // The promise may need turns of the event loop (no time) to settle after the last
      // timer's work: give it those before letting more time pass.
      for (let turn = 0; turn < SETTLE_TURNS && !settled; turn++) await settle()
      if (settled) break
      const next = this.#timers[0]
      if (next === undefined) {
        throw fromCode(
          'TIMEOUT',
          'VirtualClock.runUntil: no timer is left that could settle the promise',
        )
      }
      if (next.deadline > limit) {
        throw fromCode('TIMEOUT', `VirtualClock.runUntil: not settled within ${maxMs} virtual ms`)
      }
      await this.advance(next.deadline - this.#now)
    }
    return tracked
  }

  /**
   * Jump the wall time by `ms` without firing timers: a clock step as NTP makes it. Use it to
   * test code that compares timestamps; timers keep their deadlines.
   */
  jump(ms: number): void {
    this.#now += ms
  }
}

/** Whether `value` has every method of a {@link Clock} (a user's own clock included). */
export function isClock(value: unknown): value is Clock {
  const c = value as Partial<Record<keyof Clock, unknown>> | null
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.now === 'function' &&
    typeof c.setTimeout === 'function' &&
    typeof c.clearTimeout === 'function' &&
    typeof c.sleep === 'function'
  )
}

/** The kinds of clock `createCluster({ clock })` accepts. */
export type ClockOption = 'real' | 'virtual' | Clock

/** Turn a {@link ClockOption} into a clock. */
export function createClock(option: ClockOption = 'real'): Clock {
  if (option === 'real') return new RealClock()
  if (option === 'virtual') return new VirtualClock()
  return option
}

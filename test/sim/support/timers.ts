/**
 * A watch on a virtual clock's timers. A timer that keeps setting itself again for the same
 * virtual instant stops the virtual clock forever (and spins a real one): after
 * {@link LIVELOCK_TIMERS} zero-delay timers at one instant the watch reports a `[livelock]`
 * violation naming the code that sets them, and from then on gives such timers
 * {@link LIVELOCK_DELAY_MS} so that time moves and the run ends. With `traceOrigins` it also
 * remembers where each pending timer was set, so that the timers left after close are named.
 */
import type { Timer, VirtualClock } from '../../../src/common/clock.js'

/** Zero-delay timers at one virtual instant that make a livelock. */
export const LIVELOCK_TIMERS = 20_000
/** The delay such timers get once a livelock is seen, so that the run moves on cheaply. */
export const LIVELOCK_DELAY_MS = 250

/** What {@link watchTimers} returns. */
export interface TimerWatch {
  /** Where each pending timer was set (empty unless origins are traced). */
  origins(): string[]
}

/** The first `frames` frames of the current stack inside `src/` (the clock's own left out). */
function callers(frames: number): string {
  return (new Error().stack ?? '')
    .split('\n')
    .filter((l) => l.includes('/src/') && !l.includes('/common/clock'))
    .slice(0, frames)
    .map((l) =>
      l
        .trim()
        .replace(/^at /, '')
        .replace(/\(.*\/src\//, '('),
    )
    .join(' < ')
}

/** Wrap `clock`'s setTimeout / clearTimeout; broken invariants go to `violate`. */
export function watchTimers(
  clock: VirtualClock,
  violate: (line: string) => void,
  traceOrigins: boolean,
): TimerWatch {
  const set = clock.setTimeout.bind(clock)
  const clear = clock.clearTimeout.bind(clock)
  const origins = new Map<Timer, string>()
  let at = Number.NaN
  let inARow = 0
  let reported = false
  const delayOf = (ms: number): number => {
    const now = clock.now()
    if (now !== at) {
      at = now
      inARow = 0
    }
    if (ms > 0 || ++inARow < LIVELOCK_TIMERS) return ms
    if (!reported) {
      reported = true
      violate(`[livelock] ${inARow} zero-delay timers at one instant: ${callers(3)}`)
    }
    return LIVELOCK_DELAY_MS
  }
  clock.setTimeout = (fn: () => unknown, ms: number) => {
    if (!traceOrigins) return set(fn, delayOf(ms))
    const timer = set(() => {
      origins.delete(timer)
      return fn()
    }, delayOf(ms))
    origins.set(timer, `${ms}ms ${callers(4)}`)
    return timer
  }
  clock.clearTimeout = (timer) => {
    if (timer !== undefined) origins.delete(timer)
    clear(timer)
  }
  return { origins: () => [...origins.values()] }
}

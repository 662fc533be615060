import type { VirtualClock } from '../../src/common/clock.js'

/** Advance `clock` in steps until `promise` settles (bounded); returns it. */
export async function settle<T>(clock: VirtualClock, promise: Promise<T>, stepMs = 50): Promise<T> {
  let done = false
  promise.then(
    () => {
      done = true
    },
    () => {
      done = true
    },
  )
  for (let i = 0; i < 10_000 && !done; i++) await clock.advance(stepMs)
  return promise
}

/** Let pending promise callbacks run without moving the clock. */
export async function ticks(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r))
}

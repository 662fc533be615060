/**
 * Waiting on the injected {@link Clock} for something that wakes the waiter (internal: not
 * exported from the package).
 */
import type { Clock } from './clock.js'

/**
 * Wait for a wake-up: resolves true when the callback given to `subscribe` is called, false
 * when `ms` pass on `clock` or `signal` aborts, whichever comes first; the timer, the abort
 * listener and the subscription (`subscribe` returns its removal) are gone by then. The one
 * shape of "wait until woken or a deadline" that brokers and clients share.
 *
 * @example
 * ```ts
 * const woken = await wakeOrTimeout(clock, 500, (wake) => {
 *   listeners.add(wake)
 *   return () => listeners.delete(wake)
 * })
 * ```
 */
export function wakeOrTimeout(
  clock: Clock,
  ms: number,
  subscribe: (wake: () => void) => () => void,
  signal?: AbortSignal,
): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    let settled = false
    let unsubscribe: (() => void) | undefined
    const done = (woken: boolean) => {
      if (settled) return
      settled = true
      clock.clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
      unsubscribe?.()
      resolve(woken)
    }
    const abort = () => done(false)
    const timer = clock.setTimeout(() => done(false), ms)
    signal?.addEventListener('abort', abort, { once: true })
    unsubscribe = subscribe(() => done(true))
    // Woken while subscribing: the removal was not known yet.
    if (settled) unsubscribe()
  })
}

/** `promise`, or the signal's reason once it aborts first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // A waiter that gave up does not leave the promise's failure unhandled.
  promise.catch(() => undefined)
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

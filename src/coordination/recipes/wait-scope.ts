/**
 * Bounded waits. A {@link WaitScope} joins the things that end a wait: the caller's timeout
 * (on the injected clock), the caller's AbortSignal, the recipe being closed, and the session
 * ending. Every blocking step of a recipe races its promise against the scope, so no wait
 * outlives its reason (STYLE "what to avoid" 2).
 */
import type { Clock, Timer } from '../../common/clock.js'
import { fromCode, InvalidArgumentError } from '../../common/errors.js'
import { describe } from '../../common/validate.js'
import type { CoordinatorClient, Watcher } from '../types.js'
import { onSessionEnd, sessionError } from './session.js'

/** Options of every blocking recipe call. */
export interface WaitOptions {
  /**
   * Give up after this many ms (on the recipe's clock) with a TIMEOUT error; 0 means try
   * once without waiting. Default: wait until aborted, closed or the session ends.
   */
  timeoutMs?: number
  /** Give up when this signal aborts, with an ABORTED error whose `cause` is its reason. */
  signal?: AbortSignal
}

/** Check {@link WaitOptions}. */
export function checkWaitOptions(options: WaitOptions | undefined): WaitOptions {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('wait options must be an object')
  }
  const { timeoutMs, signal } = options
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs >= 0))) {
    throw new InvalidArgumentError(
      `timeoutMs must be a non-negative number, got ${describe(timeoutMs)}`,
    )
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal must be an AbortSignal')
  }
  return options
}

/** Where a scope gets its end conditions. */
export interface ScopeSources {
  readonly clock: Clock
  readonly options: WaitOptions
  /** Aborts when the recipe is closed. */
  readonly closed?: AbortSignal
  /** The client whose session must stay alive. */
  readonly client?: CoordinatorClient
}

/** One bounded wait; {@link WaitScope.dispose} it when done. */
export class WaitScope {
  #error: Error | undefined
  #reject: ((error: Error) => void) | undefined
  readonly #stopped: Promise<never>
  readonly #cleanups: (() => void)[] = []
  readonly #timer: Timer | undefined
  readonly #clock: Clock

  constructor(sources: ScopeSources) {
    this.#clock = sources.clock
    this.#stopped = new Promise<never>((_, reject) => {
      this.#reject = reject
    })
    this.#stopped.catch(() => {})
    const { signal, timeoutMs } = sources.options
    if (signal !== undefined) this.#listen(signal, () => aborted(signal))
    if (sources.closed !== undefined) this.#listen(sources.closed, () => closedError())
    const client = sources.client
    if (client !== undefined) {
      this.#cleanups.push(onSessionEnd(client, () => this.#stop(sessionError(client))))
    }
    if (timeoutMs !== undefined && timeoutMs > 0 && this.#error === undefined) {
      this.#timer = this.#clock.setTimeout(
        () => this.#stop(fromCode('TIMEOUT', `gave up after ${timeoutMs} ms`)),
        timeoutMs,
      )
    }
  }

  #listen(signal: AbortSignal, error: () => Error): void {
    if (signal.aborted) {
      this.#stop(error())
      return
    }
    const fn = () => this.#stop(error())
    signal.addEventListener('abort', fn, { once: true })
    this.#cleanups.push(() => signal.removeEventListener('abort', fn))
  }

  #stop(error: Error): void {
    if (this.#error !== undefined) return
    this.#error = error
    this.#reject?.(error)
  }

  /** Why the wait is over, or undefined while it may go on. */
  get error(): Error | undefined {
    return this.#error
  }

  /** Throw if the wait is over. */
  check(): void {
    if (this.#error !== undefined) throw this.#error
  }

  /** End the wait now with TIMEOUT (a `timeoutMs: 0` attempt that would have to wait). */
  expire(): never {
    this.#stop(fromCode('TIMEOUT', 'not available without waiting'))
    throw this.#error
  }

  /** `promise`, or the reason the wait ended, whichever comes first. */
  race<T>(promise: Promise<T>): Promise<T> {
    this.check()
    return Promise.race([promise, this.#stopped])
  }

  /** Release the timer and the listeners. */
  dispose(): void {
    this.#clock.clearTimeout(this.#timer)
    for (const cleanup of this.#cleanups.splice(0)) cleanup()
  }
}

function aborted(signal: AbortSignal): Error {
  return fromCode('ABORTED', 'the operation was aborted', { cause: signal.reason })
}

function closedError(): Error {
  return fromCode('CLOSED', 'the recipe is closed')
}

/** A one-shot watcher with a promise that settles when it fires. */
export interface OneShot {
  readonly watcher: Watcher
  readonly fired: Promise<void>
  readonly hasFired: () => boolean
}

/** Make a {@link OneShot} watcher. */
export function oneShot(): OneShot {
  let fire: () => void = () => {}
  let done = false
  const fired = new Promise<void>((resolve) => {
    fire = resolve
  })
  return {
    watcher: () => {
      done = true
      fire()
    },
    fired,
    hasFired: () => done,
  }
}

/**
 * Remove a one-shot data or child watch that has not fired, so a wait that ends early leaves
 * no watch behind. Failures are ignored: the watch is gone already or the session is over.
 */
export async function dropWatch(
  client: CoordinatorClient,
  path: string,
  type: 'data' | 'children',
  shot: OneShot,
): Promise<void> {
  if (shot.hasFired()) return
  try {
    await client.removeWatches(path, type, shot.watcher)
  } catch {
    // NO_WATCHER (it fired meanwhile), SESSION_EXPIRED, CLOSED: nothing is left to remove.
  }
}

/** The events {@link waitForElected} listens to. */
export interface ElectedEmitter {
  on(event: 'elected' | 'lost', fn: () => void): unknown
  off(event: 'elected' | 'lost', fn: () => void): unknown
}

/**
 * Wait, within `scope`, for `emitter`'s next `elected` event; a `lost` event first fails the
 * wait with SESSION_EXPIRED (`lostMessage`). The scope's timeout, signal and close still apply;
 * the listeners and the scope are cleaned up either way.
 */
export async function waitForElected(
  emitter: ElectedEmitter,
  scope: WaitScope,
  lostMessage: string,
): Promise<void> {
  let cleanup = () => {}
  try {
    await scope.race(
      new Promise<void>((resolve, reject) => {
        const onElected = () => resolve()
        const onLost = () => reject(fromCode('SESSION_EXPIRED', lostMessage))
        emitter.on('elected', onElected)
        emitter.on('lost', onLost)
        cleanup = () => {
          emitter.off('elected', onElected)
          emitter.off('lost', onLost)
        }
      }),
    )
  } finally {
    cleanup()
    scope.dispose()
  }
}

/**
 * The lines of a readline interface, taken one at a time by whoever asks: a shell's next
 * command, or the records after a `console-producer`. A reader may give up (its signal
 * aborts) without taking a line, so the next line goes to the next reader.
 */
import type { Interface } from 'node:readline'

/** Lines as they arrive, handed out in order. */
export class LineQueue {
  readonly #lines: string[] = []
  #closed = false
  #waiting: ((line: string | undefined) => void) | undefined

  /** Queue the lines of `rl` until it closes. */
  constructor(rl: Interface) {
    rl.on('line', (line) => {
      const waiting = this.#waiting
      this.#waiting = undefined
      if (waiting === undefined) this.#lines.push(line)
      else waiting(line)
    })
    rl.on('close', () => {
      this.#closed = true
      this.#waiting?.(undefined)
      this.#waiting = undefined
    })
  }

  /** The next line; undefined once the input has ended, or if `signal` aborts first. */
  next(signal?: AbortSignal): Promise<string | undefined> {
    const line = this.#lines.shift()
    if (line !== undefined) return Promise.resolve(line)
    if (this.#closed || signal?.aborted === true) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      const done = (value: string | undefined) => {
        signal?.removeEventListener('abort', onAbort)
        resolve(value)
      }
      const onAbort = () => {
        if (this.#waiting === done) this.#waiting = undefined
        resolve(undefined)
      }
      this.#waiting = done
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

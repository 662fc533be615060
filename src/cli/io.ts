/**
 * The command line's streams. Commands never touch `process.stdout` directly: they write
 * through an {@link Output}, whose `write` is synchronous (so text from a watch callback and
 * from a command keep their order) and whose `ready` waits for a full pipe to drain, so piping
 * a large dump into `head` or a slow reader neither buffers without bound nor loses the tail.
 */
import { once } from 'node:events'
import type { Readable, Writable } from 'node:stream'

/**
 * The reader of an output went away (`logkeeper dump-log ... | head`): the command stops
 * quietly, with exit status 0, as the reader asked for no more.
 */
export class ReaderGoneError extends Error {
  override readonly name = 'ReaderGoneError'
}

/** One output stream (stdout or stderr) of the command line. */
export interface Output {
  /** Whether the stream is a terminal (progress and prompts are shown only there). */
  readonly isTTY: boolean
  /** Write text now, in call order. Follow long runs of writes with {@link Output.ready}. */
  write(text: string): void
  /** Write one line (`text` and `\n`). */
  line(text?: string): void
  /**
   * Resolve once the stream can take more (at once unless a write filled its buffer); reject
   * with {@link ReaderGoneError} once the reader has gone away.
   */
  ready(): Promise<void>
  /** Resolve once everything written so far has been handed to the OS. */
  flush(): Promise<void>
}

/** A request to stop the command line received from outside (Ctrl-C, `kill`). */
export type InterruptSignal = 'SIGINT' | 'SIGTERM'

/** The streams and environment one run of the command line works with. */
export interface CliIo {
  /** Standard output: results. */
  readonly stdout: Output
  /** Standard error: messages, errors, progress. */
  readonly stderr: Output
  /** Standard input (lines for `zk`, records for `console-producer`). */
  readonly stdin: Readable
  /** Whether standard input is a terminal (interactive prompts). */
  readonly stdinIsTTY: boolean
  /** The raw stdout stream, for readline's prompt and cursor handling on a terminal. */
  readonly terminal: Writable
  /**
   * Be told of Ctrl-C or SIGTERM instead of dying at once, to stop cleanly (flush, commit,
   * report); returns the function that stops listening. While anyone listens, the first
   * signal goes to the listeners only; the next one ends the process as usual. Absent where
   * nothing can interrupt the command (tests, a caller that handles signals itself).
   */
  readonly onInterrupt?: (listener: (signal: InterruptSignal) => void) => () => void
}

/** An {@link Output} over a Node writable stream. */
export class StreamOutput implements Output {
  readonly isTTY: boolean
  readonly #stream: Writable
  #broken = false

  /** Wrap `stream`; `isTTY` defaults to the stream's own flag. */
  constructor(stream: Writable, isTTY?: boolean) {
    this.#stream = stream
    this.isTTY = isTTY ?? (stream as { isTTY?: boolean }).isTTY === true
    // A reader that went away (EPIPE from `| head`) ends the output, not the process with a trace.
    stream.on('error', () => {
      this.#broken = true
    })
  }

  /** Whether the reader went away (a later write is dropped). */
  get broken(): boolean {
    return this.#broken
  }

  write(text: string): void {
    if (this.#broken || text.length === 0) return
    this.#stream.write(text)
  }

  line(text = ''): void {
    this.write(text + '\n')
  }

  async ready(): Promise<void> {
    const s = this.#stream
    if (!this.#broken && s.writableNeedDrain) {
      // Whichever comes first ends the wait; the other listener is removed, or a long output
      // through a slow pipe would pile up 'close' listeners (MaxListenersExceededWarning).
      const waits = new AbortController()
      const { signal } = waits
      await Promise.race([once(s, 'drain', { signal }), once(s, 'close', { signal })]).catch(
        () => undefined,
      )
      waits.abort()
    }
    if (this.#broken) throw new ReaderGoneError('the output was closed by its reader')
  }

  flush(): Promise<void> {
    if (this.#broken || this.#stream.writableEnded) return Promise.resolve()
    return new Promise((resolve) => {
      this.#stream.write('', () => resolve())
    })
  }
}

/** {@link CliIo.onInterrupt} over the process's signals, handled only while someone listens. */
function processInterrupts(): NonNullable<CliIo['onInterrupt']> {
  const listeners = new Set<(signal: InterruptSignal) => void>()
  const deliver = (signal: InterruptSignal) => {
    const now = [...listeners]
    listeners.clear()
    sync() // the next signal ends the process as usual
    for (const listener of now) listener(signal)
  }
  const onSigint = () => deliver('SIGINT')
  const onSigterm = () => deliver('SIGTERM')
  let installed = false
  const sync = () => {
    if (listeners.size > 0 && !installed) {
      process.on('SIGINT', onSigint).on('SIGTERM', onSigterm)
    } else if (listeners.size === 0 && installed) {
      process.off('SIGINT', onSigint).off('SIGTERM', onSigterm)
    }
    installed = listeners.size > 0
  }
  return (listener) => {
    listeners.add(listener)
    sync()
    return () => {
      listeners.delete(listener)
      sync()
    }
  }
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: new StreamOutput(process.stdout),
    stderr: new StreamOutput(process.stderr),
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    terminal: process.stdout,
    onInterrupt: processInterrupts(),
  }
}

/**
 * Ctrl-C inside the shell. At a terminal readline takes Ctrl-C itself (the process gets no
 * SIGINT): while a console-producer's records are typed, it ends them as a `.` line does;
 * while a command runs, the shell hands it to the command (a console-consumer stops cleanly,
 * as it would outside); at the prompt it leaves the shell. Signals the process itself
 * gets (SIGTERM; Ctrl-C when stdin is a pipe) reach the command through the shell's own
 * `io.onInterrupt`.
 */
import type { CliIo, InterruptSignal } from '../io.js'

type Listener = (signal: InterruptSignal) => void

/** The interrupt listeners of the command running in the shell. */
export class ShellInterrupts {
  readonly #listeners = new Set<Listener>()
  #endRecords: (() => void) | undefined

  /** Hand Ctrl-C to the records being read, else to the running command; false when none listens. */
  interrupt(): boolean {
    const endRecords = this.#endRecords
    if (endRecords !== undefined) {
      this.#endRecords = undefined
      endRecords()
      return true
    }
    if (this.#listeners.size === 0) return false
    const now = [...this.#listeners]
    this.#listeners.clear()
    for (const listener of now) listener('SIGINT')
    return true
  }

  /** While records are read, Ctrl-C calls `end`; returns the function that stops that. */
  whileReadingRecords(end: () => void): () => void {
    this.#endRecords = end
    return () => {
      if (this.#endRecords === end) this.#endRecords = undefined
    }
  }

  /** The `onInterrupt` of a command's io: the shell's Ctrl-C and the process's signals. */
  forCommand(io: CliIo): NonNullable<CliIo['onInterrupt']> {
    return (listener) => {
      this.#listeners.add(listener)
      const off = io.onInterrupt?.(listener)
      return () => {
        this.#listeners.delete(listener)
        off?.()
      }
    }
  }
}

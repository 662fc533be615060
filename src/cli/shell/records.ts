/**
 * A `console-producer` inside the shell: the lines that follow its command line are its
 * records, one a line, up to a line holding a single `.` (or the end of input, or Ctrl-C at a
 * terminal). They reach the
 * command as its stdin, one line at a time as they are typed, so a record is sent while the
 * next is being typed; whatever the command leaves unread is skipped up to the `.`, so a
 * record is never taken for a command.
 */
import { Readable } from 'node:stream'
import type { MoreLines } from '../zk/prompt.js'
import type { ShellInterrupts } from './interrupts.js'

/** The line that ends a block of records. */
export const END_OF_RECORDS = '.'

/** The prompt shown on a terminal while records are read (kafka-console-producer's `>`). */
export const RECORD_PROMPT = '> '

/** The block of records after a command line, read through the shell's own line reader. */
export class RecordLines {
  readonly #more: MoreLines
  readonly #abort = new AbortController()
  readonly #unlisten: () => void
  #ended = false
  #pending: Promise<string | undefined> | undefined
  /** The records as a byte stream (a line each), for the command's stdin. */
  readonly stream: Readable

  /** The records `more` yields, up to the `.` line or Ctrl-C. */
  constructor(more: MoreLines, interrupts: ShellInterrupts) {
    this.#more = more
    this.#unlisten = interrupts.whileReadingRecords(() => this.#abort.abort())
    this.stream = new Readable({
      read: () => {
        void this.#pull().then((line) => this.#push(line))
      },
    })
  }

  #push(line: string | undefined): void {
    if (this.stream.destroyed || this.stream.readableEnded) return
    this.stream.push(line === undefined ? null : `${line}\n`)
  }

  /** The next record (undefined once the block has ended); one read at a time, shared. */
  #pull(): Promise<string | undefined> {
    if (this.#ended) return Promise.resolve(undefined)
    this.#pending ??= this.#more.next(RECORD_PROMPT, this.#abort.signal).then((line) => {
      this.#pending = undefined
      if (line === undefined || line === END_OF_RECORDS) {
        this.#ended = true
        this.#unlisten()
        return undefined
      }
      return line
    })
    return this.#pending
  }

  /** Skip what is left of the block (the command is done with its stdin). */
  async drain(): Promise<void> {
    while (!this.#ended) await this.#pull()
    this.stream.destroy()
  }
}

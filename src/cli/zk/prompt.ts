/**
 * The command loops of the interactive shells (`zk`, `shell`): a prompt with readline's line
 * editing and history on a terminal, output that arrives while the prompt waits (a watch event)
 * printed above it and the prompt redrawn under it; or, when stdin is not a terminal (a
 * here-doc, a pipe), lines read one by one without a prompt, as zkCli reads them. The zk
 * prompt is zkCli's `[zk: <dir>(CONNECTED) <n>] `.
 */
import { clearLine, createInterface, cursorTo } from 'node:readline'
import type { CliIo } from '../io.js'
import { executeLine } from './execute.js'
import { LineQueue } from './line-queue.js'
import type { ZkSession } from './session.js'

/** The lines after the one being run, for a command that takes several (a producer's records). */
export interface MoreLines {
  /**
   * The next line (shown `prompt` on a terminal), or undefined at the end of input or once
   * `signal` aborts (the line then goes to the next reader).
   */
  next(prompt: string, signal?: AbortSignal): Promise<string | undefined>
}

/** What a command loop runs. */
export interface LineHandler {
  /** The prompt shown on a terminal before each command line. */
  prompt(): string
  /** Run one line; resolve `'quit'` to end the loop. */
  execute(line: string, more: MoreLines): Promise<'quit' | undefined>
  /**
   * Ctrl-C at a terminal while a line runs (or reads the lines after it): hand it to what
   * runs and say true, or say false to end the loop (as Ctrl-C at the prompt does).
   */
  interrupt?(): boolean
}

/** Something that prints while the prompt waits and wants the prompt redrawn around it. */
export interface PrintsAsync {
  /** Hooks called before and after such output (the loop sets them; undefined otherwise). */
  printHooks: { before(): void; after(): void } | undefined
}

/**
 * Read lines from stdin and run each with `handler` until it says `'quit'`, end of input or
 * Ctrl-C. `printer`'s output is kept clear of the prompt on a terminal.
 */
export async function runLineLoop(
  io: CliIo,
  handler: LineHandler,
  printer?: PrintsAsync,
): Promise<void> {
  const tty = io.stdinIsTTY
  const rl = createInterface({
    input: io.stdin,
    output: tty ? io.terminal : undefined,
    terminal: tty,
    historySize: 1000,
    removeHistoryDuplicates: true,
  })
  let idle = false
  let busy = false
  if (tty) {
    rl.on('SIGINT', () => {
      if (busy && handler.interrupt?.() === true) return
      rl.close()
    })
    if (printer !== undefined) {
      printer.printHooks = {
        before: () => {
          if (!idle) return
          clearLine(io.terminal, 0)
          cursorTo(io.terminal, 0)
        },
        after: () => {
          if (idle) rl.prompt(true)
        },
      }
    }
  }
  const lines = new LineQueue(rl)
  const read = async (prompt: string, signal?: AbortSignal): Promise<string | undefined> => {
    if (tty) {
      rl.setPrompt(prompt)
      rl.prompt()
      idle = true
    }
    const line = await lines.next(signal)
    idle = false
    return line
  }
  try {
    for (;;) {
      const line = await read(handler.prompt())
      if (line === undefined) break
      busy = true
      const outcome = await handler.execute(line, { next: read })
      busy = false
      await Promise.all([io.stdout.ready(), io.stderr.ready()])
      if (outcome === 'quit') break
    }
  } finally {
    if (printer !== undefined) printer.printHooks = undefined
    rl.close()
  }
}

/** Read and run zk commands from stdin until `quit`/`exit`, end of input or Ctrl-C. */
export function runPrompt(session: ZkSession, io: CliIo, label: string): Promise<void> {
  return runLineLoop(
    io,
    {
      prompt: () => {
        const state = session.client === undefined ? 'CLOSED' : 'CONNECTED'
        return `[zk: ${label}(${state}) ${session.history.length}] `
      },
      execute: async (line) => ((await executeLine(session, line)) === 'quit' ? 'quit' : undefined),
    },
    session,
  )
}

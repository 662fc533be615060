/**
 * The interactive zk shell: zkCli's prompt `[zk: <dir>(CONNECTED) <n>] ` with readline's line
 * editing and history on a terminal, watch events printed as they fire (the prompt redrawn
 * under them); or, when stdin is not a terminal (a here-doc, a pipe), commands read line by
 * line without a prompt, as zkCli reads them.
 */
import { clearLine, createInterface, cursorTo } from 'node:readline'
import type { CliIo } from '../io.js'
import { executeLine } from './execute.js'
import type { ZkSession } from './session.js'

/** Read and run commands from stdin until `quit`/`exit`, end of input or Ctrl-C. */
export async function runPrompt(session: ZkSession, io: CliIo, label: string): Promise<void> {
  const tty = io.stdinIsTTY
  const rl = createInterface({
    input: io.stdin,
    output: tty ? io.terminal : undefined,
    terminal: tty,
    historySize: 1000,
    removeHistoryDuplicates: true,
  })
  const prompt = () => {
    const state = session.client === undefined ? 'CLOSED' : 'CONNECTED'
    rl.setPrompt(`[zk: ${label}(${state}) ${session.history.length}] `)
    rl.prompt()
  }
  let idle = false
  if (tty) {
    rl.on('SIGINT', () => rl.close())
    session.printHooks = {
      before: () => {
        if (!idle) return
        clearLine(io.terminal, 0)
        cursorTo(io.terminal, 0)
      },
      after: () => {
        if (idle) rl.prompt(true)
      },
    }
    prompt()
    idle = true
  }
  try {
    for await (const line of rl) {
      idle = false
      const outcome = await executeLine(session, line)
      await Promise.all([session.out.ready(), session.err.ready()])
      if (outcome === 'quit') break
      if (tty) {
        prompt()
        idle = true
      }
    }
  } finally {
    session.printHooks = undefined
    rl.close()
  }
}

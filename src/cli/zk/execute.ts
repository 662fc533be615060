/**
 * Running one zk command line as zkCli's `processCmd` does: record it in the history, find the
 * command, check the session, parse the options, run it, and print what went wrong on stderr
 * (the usage line, or the error line).
 */
import { ZkCliError, ZkUsageError, zkErrorLine } from './problems.js'
import { READ_COMMANDS } from './read-commands.js'
import type { ZkOutcome, ZkSession } from './session.js'
import { SESSION_COMMANDS } from './session-commands.js'
import { parseZkArgs, splitLine } from './tokens.js'
import { WRITE_COMMANDS } from './write-commands.js'
import type { ZkCommand } from './zk-command.js'

/** Every zk command, by name. */
export const ZK_COMMANDS: ReadonlyMap<string, ZkCommand> = new Map(
  [...READ_COMMANDS, ...WRITE_COMMANDS, ...SESSION_COMMANDS].map((c) => [c.name, c]),
)

const REDO_USAGE = 'redo cmdno'

/** The usage list zkCli prints for `help` and for an unknown command. */
export function zkUsage(): string {
  const usages = [...ZK_COMMANDS.values()].map((c) => c.usage)
  usages.push(REDO_USAGE)
  usages.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return ['logkeeper zk [--data-dir <dir>] cmd args', ...usages.map((u) => `\t${u}`)].join('\n')
}

/**
 * Run one command line (already split into words, e.g. the one-shot `zk ls /`); `line` is the
 * text for the history (default: the words joined).
 */
export async function executeWords(
  session: ZkSession,
  words: readonly string[],
  line = words.join(' '),
): Promise<ZkOutcome> {
  if (words.length === 0) return 'ok'
  const index = session.history.length
  session.history.push(line)
  let name = words[0] as string
  if (name === 'redo') {
    const n = Number(words[1])
    if (words[1] === undefined || !/^\d+$/.test(words[1]) || n >= index) {
      session.err.line(words[1] === undefined ? REDO_USAGE : 'Command index out of range')
      return 'usage'
    }
    const again = session.history[n] as string
    words = splitLine(again)
    if (words[0] === 'redo') {
      session.err.line('No redoing redos')
      return 'usage'
    }
    session.history[index] = again
    name = words[0] as string
  }
  if (name === 'exit') name = 'quit'
  if (name === 'help') {
    session.err.line(zkUsage())
    return 'ok'
  }
  const command = ZK_COMMANDS.get(name)
  if (command === undefined) {
    session.err.line(zkUsage())
    session.err.line(`Command not found: Command not found ${name}`)
    return 'usage'
  }
  if (command.needsSession && session.client === undefined) {
    session.err.line('Not connected')
    return 'failed'
  }
  return runCommand(session, command, words)
}

async function runCommand(
  session: ZkSession,
  command: ZkCommand,
  words: readonly string[],
): Promise<ZkOutcome> {
  try {
    const done = await command.run(session, parseZkArgs(words, command.options))
    return done === 'quit' ? 'quit' : 'ok'
  } catch (error) {
    if (error instanceof ZkUsageError) {
      session.err.line(error.message)
      return 'usage'
    }
    session.err.line(error instanceof ZkCliError ? error.message : zkErrorLine(error, ''))
    return 'failed'
  }
}

/** Run one command line as typed at the prompt (split as zkCli splits it). */
export function executeLine(session: ZkSession, line: string): Promise<ZkOutcome> {
  const trimmed = line.trim()
  return executeWords(session, splitLine(trimmed), trimmed)
}

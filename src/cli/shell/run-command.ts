/**
 * One command of the command line run inside the shell: its options parsed as outside, its
 * `--help` printed, then `runOn` on the shell's cluster (a `ClusterCommand`) or `run` (a
 * command that needs no directory). A failure prints one line, `<command>: <message>`, and
 * the shell goes on; the result is the exit status the command would have had outside.
 */
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import { parseCommandArgs } from '../args.js'
import type { Command, CommandContext, OptionValues } from '../command.js'
import { EXIT, oneLine, UsageError, UserError } from '../errors.js'
import { commandHelp } from '../help.js'
import { type CliIo, ReaderGoneError } from '../io.js'
import { isClusterCommand, type OpenCluster } from '../open-cluster.js'
import type { MoreLines } from '../zk/prompt.js'
import type { ShellInterrupts } from './interrupts.js'
import { RecordLines } from './records.js'
import { whyNotInShell } from './refusals.js'

/** The commands whose following lines are their records (their stdin), up to a `.` line. */
const TAKES_RECORDS: ReadonlySet<string> = new Set(['console-producer'])

/** What a command run inside the shell works with. */
export interface ShellScope {
  /** The shell's streams. */
  readonly io: CliIo
  /** The cluster the shell holds. */
  readonly open: OpenCluster
  /** Where a running command hears Ctrl-C. */
  readonly interrupts: ShellInterrupts
}

/** The shell's streams with `stdin` in place of its own (which the shell keeps reading). */
function commandIo(scope: ShellScope, stdin: Readable): CliIo {
  const { io, interrupts } = scope
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    stdin,
    stdinIsTTY: false,
    terminal: io.terminal,
    onInterrupt: interrupts.forCommand(io),
  }
}

/** Print `error` as one line for `name`; the exit status it stands for. */
function report(io: CliIo, name: string, error: unknown): number {
  if (error instanceof ReaderGoneError) throw error
  if (error instanceof UsageError) {
    io.stderr.line(`${name}: ${error.message} ('${name} --help' shows its usage)`)
    return EXIT.USAGE
  }
  io.stderr.line(`${name}: ${oneLine(error)}`)
  return error instanceof UserError ? error.exitCode : EXIT.USER_ERROR
}

/** The `--data-dir` a command was given, refused unless it is the shell's own directory. */
function checkDataDir(values: OptionValues, open: OpenCluster): void {
  const dir = values['data-dir']
  if (typeof dir !== 'string' || resolve(dir) === open.path) return
  throw new UsageError(`the shell runs every command on ${open.path}; leave --data-dir out`)
}

/**
 * Run `command` with its arguments `args` (the words after its name) inside the shell.
 * `more` gives the lines that follow, for a command that takes records.
 */
export async function runInShell(
  scope: ShellScope,
  command: Command,
  args: readonly string[],
  more: MoreLines,
): Promise<number> {
  const { io, open } = scope
  const refusal = whyNotInShell(command)
  if (refusal !== undefined) {
    io.stderr.line(`${command.name}: ${refusal}`)
    return EXIT.USER_ERROR
  }
  const takesRecords = TAKES_RECORDS.has(command.name)
  const help = commandHelp(command)
  let records: RecordLines | undefined
  try {
    const parsed = parseCommandArgs(args, command.options, command.positionals, help)
    if (parsed.values.help === true) {
      io.stdout.write(help)
      return EXIT.OK
    }
    checkDataDir(parsed.values, open)
    records = takesRecords ? new RecordLines(more, scope.interrupts) : undefined
    const stdin = records?.stream ?? Readable.from([])
    const ctx: CommandContext = { io: commandIo(scope, stdin), help, ...parsed }
    const status = isClusterCommand(command)
      ? await command.runOn(open.cluster, ctx)
      : await command.run(ctx)
    return status ?? EXIT.OK
  } catch (error) {
    // From a pipe, a malformed producer line's records are skipped, not run as commands.
    if (takesRecords && !io.stdinIsTTY) records ??= new RecordLines(more, scope.interrupts)
    return report(io, command.name, error)
  } finally {
    await records?.drain()
  }
}

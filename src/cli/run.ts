/**
 * The command line's dispatcher: find the command, parse its options, run it, and turn the
 * outcome into an exit status: 0 done, 1 a one-line user error, 2 a usage error with the usage.
 * Output is flushed before the status is returned.
 */
import { parseCommandArgs } from './args.js'
import type { Command } from './command.js'
import { COMMANDS } from './commands.js'
import { EXIT, oneLine, UsageError, UserError } from './errors.js'
import { commandHelp, PROGRAM, topHelp } from './help.js'
import { type CliIo, ReaderGoneError } from './io.js'
import { VERSION } from './version.js'

/** Run the command line `argv` (without `node` and the script) with `io`; the exit status. */
export async function run(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  let status: number
  try {
    status = await dispatch(argv, io, commands)
  } catch (error) {
    status = report(error, io)
  }
  await Promise.all([io.stdout.flush(), io.stderr.flush()])
  return status
}

async function dispatch(argv: readonly string[], io: CliIo, commands: readonly Command[]) {
  const [name, ...rest] = argv
  const top = topHelp(commands, VERSION)
  if (name === undefined) throw new UsageError('no command given', top)
  if (name === '-h' || name === '--help' || name === 'help') {
    const about = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0])
    io.stdout.write(about === undefined ? top : commandHelp(about))
    return EXIT.OK
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.line(VERSION)
    return EXIT.OK
  }
  const command = commands.find((c) => c.name === name)
  if (command === undefined) throw new UsageError(`unknown command ${name}`, top)
  const help = commandHelp(command)
  const { values, positionals } = parseCommandArgs(rest, command.options, command.positionals, help)
  if (values.help === true) {
    io.stdout.write(help)
    return EXIT.OK
  }
  return (await command.run({ io, values, positionals, help })) ?? EXIT.OK
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof ReaderGoneError) return EXIT.OK
  io.stderr.line(`${PROGRAM}: ${oneLine(error)}`)
  if (error instanceof UsageError) {
    if (error.usage !== undefined) io.stderr.write('\n' + error.usage)
    return EXIT.USAGE
  }
  if (error instanceof UserError) return error.exitCode
  return EXIT.USER_ERROR
}

/**
 * What a command of the command line is: a name, a one-line summary for the top-level help,
 * its options (node:util `parseArgs` options with a description each), and `run`. Each command
 * lives in a file of its own under `src/cli/commands/` and is listed once in `commands.ts`;
 * the framework (`run.ts`) parses its options, prints its `--help`, and turns what it throws
 * into an exit status.
 */
import type { CliIo } from './io.js'

/** One option of a command: a `parseArgs` option plus its help. */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a flag. */
  readonly type: 'string' | 'boolean'
  /** A one-letter alias (`-h`). */
  readonly short?: string
  /** Whether it may repeat (values collected in an array). */
  readonly multiple?: boolean
  /** The value's name in the help (`--topic <topic>`). */
  readonly valueName?: string
  /** One line of help. */
  readonly description: string
}

/** The options of a command, by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>

/** Parsed option values (strings, booleans, or arrays of either for `multiple`). */
export type OptionValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>

/** How a command takes positional arguments. */
export type PositionalMode =
  /** None allowed. */
  | 'none'
  /** Any number, options anywhere among them. */
  | 'any'
  /**
   * The command's own options come first; from the first positional on, everything (options
   * included) is handed over untouched as `positionals` (e.g. `zk ls -w /path`).
   */
  | 'rest'

/** What a command's `run` gets. */
export interface CommandContext {
  /** The streams. */
  readonly io: CliIo
  /** The parsed options. */
  readonly values: OptionValues
  /** The positional arguments (for `rest`, the untouched tail of the command line). */
  readonly positionals: readonly string[]
  /** The command's help text, for usage errors thrown by the command itself. */
  readonly help: string
}

/** A command of the command line. */
export interface Command {
  /** The name typed after `logkeeper`. */
  readonly name: string
  /** One line for the list of commands. */
  readonly summary: string
  /** Synopsis lines (without the leading `logkeeper `), shown first in `--help`. */
  readonly usage: readonly string[]
  /** Text shown after the options in `--help` (examples, notes). */
  readonly details?: string
  /** The options; `--help` is added by the framework. */
  readonly options: OptionSpecs
  /** How positionals are taken (default `none`). */
  readonly positionals?: PositionalMode
  /**
   * Run the command. Resolve with the exit status (default 0); throw `UsageError` or
   * `UserError` (or any error) to fail with one line.
   */
  run(ctx: CommandContext): Promise<number | undefined>
}

/** The `--data-dir` option every command that opens a data directory takes. */
export const DATA_DIR_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'dir',
  description: 'the logkeeper data directory (default ./logkeeper-data)',
}

/** The default data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = './logkeeper-data'

/** The `--data-dir` value of parsed options, or the default. */
export function dataDirOf(values: OptionValues): string {
  const dir = values['data-dir']
  return typeof dir === 'string' ? dir : DEFAULT_DATA_DIR
}

/**
 * A command's arguments, parsed with node:util `parseArgs` against its {@link OptionSpecs},
 * every failure turned into a {@link UsageError} with a short message.
 */
import { parseArgs } from 'node:util'
import type { OptionSpecs, OptionValues, PositionalMode } from './command.js'
import { UsageError } from './errors.js'

/** Parsed arguments: option values and positionals. */
export interface ParsedArgs {
  /** Option values by long name (`help` included). */
  readonly values: OptionValues
  /** Positional arguments (in `rest` mode the untouched tail). */
  readonly positionals: string[]
}

function findSpec(options: OptionSpecs, token: string) {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=')
    const name = token.slice(2, eq < 0 ? undefined : eq)
    return { spec: options[name], inline: eq >= 0 }
  }
  const short = token.slice(1, 2)
  const spec = Object.values(options).find((s) => s.short === short)
  return { spec, inline: token.length > 2 }
}

/** Split `argv` where the command's own options end (at the first positional, or `--`). */
function splitRest(argv: readonly string[], options: OptionSpecs): [string[], string[]] {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string
    if (token === '--') return [argv.slice(0, i), argv.slice(i + 1)]
    if (token.startsWith('-') && token !== '-') {
      const { spec, inline } = findSpec(options, token)
      if (spec?.type === 'string' && !inline) i++
      continue
    }
    return [argv.slice(0, i), argv.slice(i)]
  }
  return [[...argv], []]
}

function usageMessage(error: unknown): string {
  const e = error as { code?: string; message?: string }
  const message = e.message ?? String(error)
  const quoted = /'([^']+)'/.exec(message)?.[1]
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? message}`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ?? message}`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.replace(
        /^Option '(?:-\w, )?(--\S+)[^']*'.*argument missing$/,
        'option $1 needs a value',
      )
    default:
      return message
  }
}

/**
 * Join `--name -5` into `--name=-5` for a string option followed by a negative number, which
 * `parseArgs` would take for an option (Kafka's `--shift-by -10`).
 */
function joinNegativeValues(argv: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string
    const next = argv[i + 1]
    const spec =
      token.startsWith('--') && !token.includes('=') ? options[token.slice(2)] : undefined
    if (spec?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${token}=${next}`)
      i++
    } else out.push(token)
  }
  return out
}

/** Parse `argv` for a command with `options` (plus `-h/--help`) and `mode` positionals. */
export function parseCommandArgs(
  argv: readonly string[],
  options: OptionSpecs,
  mode: PositionalMode = 'none',
  help = '',
): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> =
    { help: { type: 'boolean', short: 'h' } }
  for (const [name, spec] of Object.entries(options)) {
    config[name] = { type: spec.type, multiple: spec.multiple ?? false }
    if (spec.short !== undefined) (config[name] as { short?: string }).short = spec.short
  }
  const [whole, rest] = mode === 'rest' ? splitRest(argv, options) : [[...argv], []]
  const head = joinNegativeValues(whole, options)
  try {
    const { values, positionals } = parseArgs({
      args: head,
      options: config,
      allowPositionals: mode === 'any',
      strict: true,
    })
    return { values, positionals: mode === 'rest' ? rest : positionals }
  } catch (error) {
    throw new UsageError(usageMessage(error), help)
  }
}

/** One string option, checked to be present (a usage error naming it otherwise). */
export function requireString(values: OptionValues, name: string, help: string): string {
  const v = values[name]
  if (typeof v === 'string' && v.length > 0) return v
  throw new UsageError(`missing required option --${name}`, help)
}

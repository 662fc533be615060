/**
 * zkCli.sh's command-line handling: a line is split into words (a word is a run of non-blanks,
 * or a `"..."` / `'...'` string whose quotes are dropped), and each command's options are
 * parsed as Apache Commons CLI's DefaultParser does (short options anywhere among the
 * arguments, a value after the option, `-es` for `-e -s`, negative numbers as arguments).
 */
import { ZkUsageError } from './problems.js'

const WORD = /\s*([^"'\s]\S*|"[^"]*"|'[^']*')\s*/g
const QUOTED = /^(['"])(.*)\1$/s

/** Split a line as zkCli does. */
export function splitLine(line: string): string[] {
  const words: string[] = []
  for (const match of line.matchAll(WORD)) {
    const word = match[1] as string
    const quoted = QUOTED.exec(word)
    words.push(quoted === null ? word : (quoted[2] as string))
  }
  return words
}

/** The short options of a zk command: letter → whether it takes a value. */
export type ZkOptionSpec = Readonly<Record<string, boolean>>

/** A zk command's parsed words: the options given and the arguments (command name first). */
export interface ZkArgs {
  /** Options given, with their values (`true` for flags). */
  readonly options: ReadonlyMap<string, string | true>
  /** The arguments, the command's name first (as zkCli's `cl.getArgs()`). */
  readonly args: readonly string[]
}

/** Parse a zk command's words against its options. */
export function parseZkArgs(words: readonly string[], spec: ZkOptionSpec): ZkArgs {
  const options = new Map<string, string | true>()
  const args: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string
    if (i === 0 || !word.startsWith('-') || word.length < 2 || /^-\d/.test(word)) {
      args.push(word)
      continue
    }
    const letter = word.slice(1, 2)
    const takesValue = spec[letter]
    if (takesValue === undefined) {
      throw new ZkUsageError(`Unrecognized option: ${word}`)
    }
    if (takesValue) {
      const value = word.length > 2 ? word.slice(2) : words[++i]
      if (value === undefined) throw new ZkUsageError(`Missing argument for option: ${letter}`)
      options.set(letter, value)
      continue
    }
    for (const c of word.slice(1)) {
      if (spec[c] !== false) throw new ZkUsageError(`Unrecognized option: ${word}`)
      options.set(c, true)
    }
  }
  return { options, args }
}

/** An integer option value (`-v 3`), or a usage error. */
export function intOption(args: ZkArgs, letter: string, usage: string): number | undefined {
  const v = args.options.get(letter)
  if (v === undefined || v === true) return undefined
  if (!/^-?\d+$/.test(v)) throw new ZkUsageError(usage)
  return Number(v)
}

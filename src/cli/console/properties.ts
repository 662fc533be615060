/**
 * `key=value` options of the console commands (`--property`, `--producer-property`,
 * `--consumer-property`), read as Kafka's `CommandLineUtils.parseKeyValueArgs` reads them: split
 * at the first `=`, the value taken as written (it may be empty or hold more `=`), a later
 * repeat of a key winning. Unlike Kafka, an unknown key or a boolean that is neither `true` nor
 * `false` is a usage error, so a typo does not pass silently.
 */
import type { OptionValues } from '../command.js'
import { UsageError } from '../errors.js'
import { stringList } from '../kafka/options.js'

/** Properties by key, in the order given (a repeated key keeps its last value). */
export type Properties = ReadonlyMap<string, string>

/** The `key=value` values of the repeatable option `--<option>`, checked against `known`. */
export function readProperties(
  values: OptionValues,
  option: string,
  known: ReadonlySet<string>,
  help: string,
): Properties {
  const out = new Map<string, string>()
  for (const text of stringList(values, option)) {
    const eq = text.indexOf('=')
    if (eq <= 0) {
      throw new UsageError(`--${option} takes key=value, got '${text}'`, help)
    }
    const key = text.slice(0, eq)
    if (!known.has(key)) {
      const names = [...known].join(', ')
      throw new UsageError(`--${option}: unknown property '${key}' (known: ${names})`, help)
    }
    out.set(key, text.slice(eq + 1))
  }
  return out
}

/** A `true`/`false` property (any case, surrounding blanks ignored), or `fallback` when absent. */
export function booleanProperty(
  props: Properties,
  key: string,
  fallback: boolean,
  help: string,
): boolean {
  const value = props.get(key)
  if (value === undefined) return fallback
  const v = value.trim().toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new UsageError(`property ${key} must be true or false, got '${value}'`, help)
}

/**
 * A whole number option or property: `text` must be decimal digits (a leading `-` only when
 * `min` is negative) within `[min, Number.MAX_SAFE_INTEGER]`, else a usage error naming `what`.
 */
export function parseWholeNumber(text: string, what: string, help: string, min = 0): number {
  const n = Number(text)
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    const range = min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`
    throw new UsageError(`${what} must be ${range}, got '${text}'`, help)
  }
  return n
}

/** The string value of option `--<name>`, or undefined when it was not given. */
export function optionalString(values: OptionValues, name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

/** How one Java client property is stored into a client's options (`out`). */
export type Setting = (value: string, out: Record<string, unknown>, help: string) => void

/** A setting that stores the value as it is under `name`. */
export const text =
  (name: string): Setting =>
  (value, out) => {
    out[name] = value
  }

/** A setting that stores `parse(value)` under `name` (`parse` throws a usage error). */
export const parsed =
  (name: string, parse: (value: string, help: string) => unknown): Setting =>
  (value, out, help) => {
    out[name] = parse(value, help)
  }

/** A setting that stores a whole number of at least `min` under `name` (`what` in errors). */
export const wholeNumber =
  (name: string, what: string, min = 0): Setting =>
  (value, out, help) => {
    out[name] = parseWholeNumber(value, what, help, min)
  }

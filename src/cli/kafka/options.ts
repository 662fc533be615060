/**
 * Option checks the Kafka tools' commands share, with the messages of Kafka's
 * `CommandLineUtils`: exactly one action, options that only go with some actions, integer
 * values. Each failure is a {@link UsageError} (exit status 2, the usage printed).
 */
import type { OptionValues } from '../command.js'
import { UsageError } from '../errors.js'

/**
 * The one action of `actions` (option names without `--`) given in `values`; none or several
 * is a usage error listing them, as Kafka's tools say it (`kafka-topics.sh` puts "or" before
 * the last one, `kafka-consumer-groups.sh` a comma).
 */
export function oneAction<A extends string>(
  values: OptionValues,
  actions: readonly A[],
  help: string,
  lastJoiner: ' or ' | ', ' = ' or ',
): A {
  const given = actions.filter((a) => values[a] === true)
  if (given.length === 1) return given[0] as A
  const names = actions.map((a) => `--${a}`)
  const list = `${names.slice(0, -1).join(', ')}${lastJoiner}${names.at(-1)}`
  throw new UsageError(`Command must include exactly one action: ${list}`, help)
}

/**
 * Refuse options given with an action they do not go with: `allowed` maps an option to the
 * actions it may be used with (Kafka's `checkInvalidArgs`).
 */
export function checkAllowed(
  values: OptionValues,
  action: string,
  allowed: Readonly<Record<string, readonly string[]>>,
  help: string,
): void {
  for (const [option, actions] of Object.entries(allowed)) {
    if (values[option] !== undefined && !actions.includes(action)) {
      throw new UsageError(`Option "--${option}" can't be used with option "--${action}"`, help)
    }
  }
}

/** Require `option` for `action` (Kafka's `checkRequiredArgs`). */
export function requireFor(
  values: OptionValues,
  action: string,
  option: string,
  help: string,
): void {
  if (values[option] === undefined) {
    throw new UsageError(`Missing required argument "--${option}" for "--${action}"`, help)
  }
}

/**
 * An integer option's value, or undefined when absent; anything but an integer is a usage
 * error, as joptsimple refuses it.
 */
export function intOption(values: OptionValues, name: string, help: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const text = String(raw).trim()
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`Cannot parse argument '${String(raw)}' of option ${name}`, help)
  }
  return n
}

/** A string option that may repeat, as a list (empty when absent). */
export function stringList(values: OptionValues, name: string): string[] {
  const raw = values[name]
  if (raw === undefined) return []
  return (Array.isArray(raw) ? raw : [raw]).map(String)
}

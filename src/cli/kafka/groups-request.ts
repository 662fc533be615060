/**
 * What a `consumer-groups` command line asks for, read and checked before any directory is
 * opened, as `kafka-consumer-groups.sh` checks it (`ConsumerGroupCommandOptions.checkArgs`):
 * one action, the groups it acts on, and for `--reset-offsets` one way to move the offsets,
 * a scope (`--topic` or `--all-topics`) and `--dry-run` or `--execute`. Malformed lines are
 * usage errors (exit status 2).
 */
import type { OptionValues } from '../command.js'
import { UsageError } from '../errors.js'
import { parseKafkaDateTime } from './datetime.js'
import { checkAllowed, intOption, oneAction, stringList } from './options.js'

/** The actions of `consumer-groups`, in Kafka's order. */
export const GROUP_ACTIONS = ['list', 'describe', 'delete', 'reset-offsets'] as const

/** One action of `consumer-groups`. */
export type GroupAction = (typeof GROUP_ACTIONS)[number]

/** Where `--reset-offsets` moves the offsets: one of Kafka's scenarios. */
export type ResetTarget =
  | { readonly earliest: true }
  | { readonly latest: true }
  | { readonly offset: number }
  | { readonly timestamp: number }
  | { readonly shiftBy: number }

/** A checked `consumer-groups` command line. */
export interface GroupsRequest {
  /** The action. */
  readonly action: GroupAction
  /** `--group` values (empty with `--all-groups` or `--list`). */
  readonly groups: readonly string[]
  /** `--all-groups`. */
  readonly allGroups: boolean
  /** `--topic` values (`t01` or `t01:0,1`). */
  readonly topics: readonly string[]
  /** `--all-topics`. */
  readonly allTopics: boolean
  /** The reset scenario (`--reset-offsets` only). */
  readonly target: ResetTarget | undefined
  /** Whether the reset is committed (`--execute`); a dry run otherwise. */
  readonly execute: boolean
  /** Whether `--dry-run` was given (without it or `--execute`, Kafka warns). */
  readonly dryRun: boolean
  /** `--state`: show the groups' states. */
  readonly state: boolean
}

/** The reset scenarios, as options. */
const SCENARIOS = ['to-earliest', 'to-latest', 'to-offset', 'to-datetime', 'shift-by'] as const

const RESET_ONLY: readonly GroupAction[] = ['reset-offsets']

/** The actions each option goes with. */
const ALLOWED: Readonly<Record<string, readonly GroupAction[]>> = {
  group: ['describe', 'delete', 'reset-offsets'],
  'all-groups': ['describe', 'delete', 'reset-offsets'],
  topic: RESET_ONLY,
  'all-topics': RESET_ONLY,
  'dry-run': RESET_ONLY,
  execute: RESET_ONLY,
  state: ['list', 'describe'],
  ...Object.fromEntries(SCENARIOS.map((s) => [s, RESET_ONLY])),
}

function opt(name: string): string {
  return `"--${name}"`
}

function takesOneOf(action: string, names: readonly string[], help: string): UsageError {
  return new UsageError(
    `Option ${opt(action)} takes one of these options: ${names.map(opt).join(', ')}`,
    help,
  )
}

function resetTarget(values: OptionValues, help: string): ResetTarget {
  const given = SCENARIOS.filter((s) => values[s] !== undefined)
  if (given.length === 0) throw takesOneOf('reset-offsets', SCENARIOS, help)
  if (given.length > 1) {
    throw new UsageError(
      `Option ${opt('reset-offsets')} takes at most one of these options: ${given.map(opt).join(', ')}`,
      help,
    )
  }
  switch (given[0]) {
    case 'to-earliest':
      return { earliest: true }
    case 'to-latest':
      return { latest: true }
    case 'to-offset':
      return { offset: intOption(values, 'to-offset', help) as number }
    case 'shift-by':
      return { shiftBy: intOption(values, 'shift-by', help) as number }
    default:
      return { timestamp: dateTime(String(values['to-datetime']), help) }
  }
}

function dateTime(text: string, help: string): number {
  const ms = parseKafkaDateTime(text)
  if (ms === undefined) {
    throw new UsageError(
      `Error parsing timestamp '${text}'. Expected format: yyyy-MM-dd'T'HH:mm:ss.SSS, ` +
        'optionally with a zone (Z, +01, +0100, +01:00; UTC without one)',
      help,
    )
  }
  return ms
}

function checkScope(values: OptionValues, action: GroupAction, help: string): void {
  if (action === 'list') return
  if (values.group === undefined && values['all-groups'] !== true) {
    throw takesOneOf(action, ['all-groups', 'group'], help)
  }
  if (values.group !== undefined && values['all-groups'] === true) {
    throw new UsageError(
      `Option ${opt('group')} can't be used with option ${opt('all-groups')}`,
      help,
    )
  }
  if (action !== 'reset-offsets') return
  if (values['dry-run'] === true && values.execute === true) {
    throw new UsageError(
      `Option ${opt('reset-offsets')} only accepts one of ${opt('execute')} and ${opt('dry-run')}`,
      help,
    )
  }
  const scopes = ['all-topics', 'topic'].filter((s) => values[s] !== undefined)
  if (scopes.length !== 1) {
    throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.', help)
  }
}

/** Read and check the options of a `consumer-groups` command line. */
export function readGroupsRequest(values: OptionValues, help: string): GroupsRequest {
  const action = oneAction(values, GROUP_ACTIONS, help, ', ')
  checkAllowed(values, action, ALLOWED, help)
  checkScope(values, action, help)
  return {
    action,
    groups: stringList(values, 'group'),
    allGroups: values['all-groups'] === true,
    topics: stringList(values, 'topic'),
    allTopics: values['all-topics'] === true,
    target: action === 'reset-offsets' ? resetTarget(values, help) : undefined,
    execute: values.execute === true,
    dryRun: values['dry-run'] === true,
    state: values.state === true,
  }
}

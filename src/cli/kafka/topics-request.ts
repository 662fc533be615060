/**
 * What a `topics` command line asks for, read and checked before any directory is opened: the
 * one action, the options it may take (Kafka's `TopicCommandOptions.checkArgs`), integers and
 * `--config` pairs. Malformed lines are usage errors (exit status 2), bad `--config` values
 * user errors (exit status 1), as `kafka-topics.sh` treats them.
 */
import type { OptionValues } from '../command.js'
import { checkAllowed, intOption, oneAction, requireFor, stringList } from './options.js'
import { parseTopicConfigs } from './topic-configs.js'

/** The actions of `topics`, in Kafka's order. */
export const TOPIC_ACTIONS = ['list', 'describe', 'create', 'alter', 'delete'] as const

/** One action of `topics`. */
export type TopicAction = (typeof TOPIC_ACTIONS)[number]

/** A checked `topics` command line. */
export interface TopicsRequest {
  /** The action. */
  readonly action: TopicAction
  /** `--topic`: a name for `--create`, a regular expression for the others. */
  readonly topic: string | undefined
  /** `--partitions`. */
  readonly partitions: number | undefined
  /** `--replication-factor`. */
  readonly replicationFactor: number | undefined
  /** `--config` pairs. */
  readonly configs: Readonly<Record<string, string>>
  /** `--if-exists`. */
  readonly ifExists: boolean
  /** `--if-not-exists`. */
  readonly ifNotExists: boolean
  /** `--exclude-internal`. */
  readonly excludeInternal: boolean
  /** `--under-replicated-partitions`. */
  readonly underReplicated: boolean
  /** `--unavailable-partitions`. */
  readonly unavailable: boolean
  /** `--topics-with-overrides`. */
  readonly withOverrides: boolean
}

/** The actions each option goes with. */
const ALLOWED: Readonly<Record<string, readonly TopicAction[]>> = {
  partitions: ['create', 'alter'],
  'replication-factor': ['create'],
  config: ['create'],
  'if-not-exists': ['create'],
  'if-exists': ['alter', 'delete', 'describe'],
  'exclude-internal': ['list', 'describe'],
  'under-replicated-partitions': ['describe'],
  'unavailable-partitions': ['describe'],
  'topics-with-overrides': ['describe'],
}

/** Read and check the options of a `topics` command line. */
export function readTopicsRequest(values: OptionValues, help: string): TopicsRequest {
  const action = oneAction(values, TOPIC_ACTIONS, help)
  checkAllowed(values, action, ALLOWED, help)
  if (action === 'create' || action === 'alter' || action === 'delete') {
    requireFor(values, action, 'topic', help)
  }
  if (action === 'alter') requireFor(values, action, 'partitions', help)
  const topic = values.topic
  return {
    action,
    topic: typeof topic === 'string' ? topic : undefined,
    partitions: intOption(values, 'partitions', help),
    replicationFactor: intOption(values, 'replication-factor', help),
    configs: parseTopicConfigs(stringList(values, 'config')),
    ifExists: values['if-exists'] === true,
    ifNotExists: values['if-not-exists'] === true,
    excludeInternal: values['exclude-internal'] === true,
    underReplicated: values['under-replicated-partitions'] === true,
    unavailable: values['unavailable-partitions'] === true,
    withOverrides: values['topics-with-overrides'] === true,
  }
}

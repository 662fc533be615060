/**
 * `console-consumer`'s command line checked as Kafka's ConsoleConsumerOptions checks it (the
 * same rules and messages: `--offset` needs `--partition`, `--group` and `--partition`
 * exclude each other, ...), and the consumer options it runs with. Java consumer configs in
 * `--consumer-property` map onto logkeeper's consumer options (kafkajs names).
 */
import type { AutoOffsetReset, ConsumerOptions } from '../../consumer/options.js'
import { requireString } from '../args.js'
import type { OptionValues } from '../command.js'
import { UsageError } from '../errors.js'
import { intOption } from '../kafka/options.js'
import {
  optionalString,
  parsed,
  readProperties,
  type Setting,
  text,
  wholeNumber,
} from './properties.js'
import { checkTopicName } from './topic.js'

/** Where an assigned partition starts: the log start, the end, or an offset. */
export type StartOffset = 'earliest' | 'latest' | number

/** What a console consumer reads, how much, and with which consumer options. */
export interface ConsumerSettings {
  /** The topic. */
  readonly topic: string
  /** `--partition`: read only it (assigned, no group). */
  readonly partition: number | undefined
  /** Where `--partition` starts (`--offset`, default latest; earliest with --from-beginning). */
  readonly offset: StartOffset
  /** `--max-messages`. */
  readonly maxMessages: number | undefined
  /** `--timeout-ms`: stop after this long without a record. */
  readonly timeoutMs: number | undefined
  /** The consumer's options (a `groupId` means: subscribe in that group). */
  readonly consumer: ConsumerOptions
}

function offsetReset(value: string, help: string): AutoOffsetReset {
  const v = value.trim().toLowerCase()
  if (v === 'earliest' || v === 'latest' || v === 'none') return v
  throw new UsageError(`auto.offset.reset must be earliest, latest or none, got '${value}'`, help)
}

/** Java consumer configs `--consumer-property` takes, and how each sets an option. */
const CONSUMER_PROPERTIES: ReadonlyMap<string, Setting> = new Map<string, Setting>([
  ['group.id', text('groupId')],
  ['client.id', text('clientId')],
  ['group.instance.id', text('groupInstanceId')],
  ['auto.offset.reset', parsed('autoOffsetReset', offsetReset)],
  ['partition.assignment.strategy', parsed('partitionAssigners', (v) => v.split(','))],
  ['session.timeout.ms', wholeNumber('sessionTimeoutMs', 'session.timeout.ms', 1)],
  ['heartbeat.interval.ms', wholeNumber('heartbeatIntervalMs', 'heartbeat.interval.ms', 1)],
  ['max.poll.interval.ms', wholeNumber('maxPollIntervalMs', 'max.poll.interval.ms', 1)],
  ['fetch.max.wait.ms', wholeNumber('maxWaitTimeMs', 'fetch.max.wait.ms')],
  ['fetch.min.bytes', wholeNumber('minBytes', 'fetch.min.bytes')],
  ['fetch.max.bytes', wholeNumber('maxBytes', 'fetch.max.bytes', 1)],
  [
    'max.partition.fetch.bytes',
    wholeNumber('maxBytesPerPartition', 'max.partition.fetch.bytes', 1),
  ],
])

function parseOffset(text: string, help: string): StartOffset {
  const v = text.toLowerCase()
  if (v === 'earliest' || v === 'latest') return v
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  throw new UsageError(
    `The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`,
    help,
  )
}

/** Kafka's checks of how `--partition`, `--offset`, `--from-beginning` and `--group` combine. */
function checkCombination(values: OptionValues, groupId: string | undefined, help: string): void {
  const hasPartition = values.partition !== undefined
  if (hasPartition && values['from-beginning'] === true && values.offset !== undefined) {
    throw new UsageError('Options from-beginning and offset cannot be specified together.', help)
  }
  if (!hasPartition && values.offset !== undefined) {
    throw new UsageError('The partition is required when offset is specified.', help)
  }
  if (hasPartition && groupId !== undefined) {
    throw new UsageError('Options group and partition cannot be specified together.', help)
  }
}

/** The group id of `--group` and `group.id`, which must agree when both are given. */
function groupOf(values: OptionValues, props: ReadonlyMap<string, string>, help: string) {
  const direct = optionalString(values, 'group')
  const property = props.get('group.id')
  if (direct !== undefined && property !== undefined && direct !== property) {
    throw new UsageError(
      `The group ids provided in different places (directly using '--group', via '--consumer-property') do not match. Detected group ids: '${direct}', '${property}'`,
      help,
    )
  }
  return direct ?? property
}

/** Where a partition without a committed offset starts: --from-beginning or auto.offset.reset. */
function resetOf(values: OptionValues, props: ReadonlyMap<string, string>, help: string) {
  const fromBeginning = values['from-beginning'] === true
  const given = props.get('auto.offset.reset')
  if (given === undefined) return fromBeginning ? 'earliest' : 'latest'
  const reset = offsetReset(given, help)
  if (fromBeginning && reset !== 'earliest') {
    throw new UsageError(
      `Can't simultaneously specify --from-beginning and 'auto.offset.reset=${given}', please remove one option`,
      help,
    )
  }
  return reset
}

function consumerOptions(values: OptionValues, help: string): ConsumerOptions {
  const props = readProperties(
    values,
    'consumer-property',
    new Set(CONSUMER_PROPERTIES.keys()),
    help,
  )
  const out: Record<string, unknown> = {}
  for (const [key, value] of props) CONSUMER_PROPERTIES.get(key)?.(value, out, help)
  const groupId = groupOf(values, props, help)
  checkCombination(values, groupId, help)
  const clientId = typeof out.clientId === 'string' ? out.clientId : 'console-consumer'
  return {
    ...out,
    clientId,
    autoOffsetReset: resetOf(values, props, help),
    ...(groupId === undefined ? {} : { groupId }),
  }
}

/** A count option: an integer as joptsimple reads it (Kafka's message otherwise), not negative. */
function countOption(values: OptionValues, name: string, help: string): number | undefined {
  const n = intOption(values, name, help)
  if (n !== undefined && n < 0) {
    throw new UsageError(`--${name} must not be negative, got ${n}`, help)
  }
  return n
}

/** The settings of a `console-consumer` command line (usage errors for bad ones). */
export function consumerSettings(values: OptionValues, help: string): ConsumerSettings {
  const topic = requireString(values, 'topic', help)
  checkTopicName(topic, help)
  const consumer = consumerOptions(values, help)
  const offsetText = optionalString(values, 'offset')
  const fromBeginning = values['from-beginning'] === true
  return {
    topic,
    partition: countOption(values, 'partition', help),
    offset:
      offsetText !== undefined
        ? parseOffset(offsetText, help)
        : fromBeginning
          ? 'earliest'
          : 'latest',
    maxMessages: countOption(values, 'max-messages', help),
    timeoutMs: countOption(values, 'timeout-ms', help),
    consumer,
  }
}

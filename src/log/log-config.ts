/**
 * A topic's log configuration, under Kafka's own dotted names and with Kafka's defaults, so a
 * `/config/topics/<topic>` entry or a `--config` flag reads the same here as on a broker.
 */
import { fromCode } from '../common/errors.js'
import { describe } from '../common/validate.js'

/** The largest value any size or time setting may take; also "never" for the flush settings. */
export const LOG_CONFIG_MAX = Number.MAX_SAFE_INTEGER

/** Kafka's `cleanup.policy` values. */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete'

/** A topic's log settings. Every field is optional in input; see {@link LOG_CONFIG_DEFAULTS}. */
export interface LogConfig {
  /** Roll a segment before it would grow past this many bytes. Default 1 GiB. */
  'segment.bytes': number
  /** Roll a segment this many ms after it was created. Default 7 days. */
  'segment.ms': number
  /** Delete closed segments whose newest record is older than this; -1 keeps them. Default 7 days. */
  'retention.ms': number
  /** Delete oldest closed segments while the log stays at least this big; -1 (default) keeps all. */
  'retention.bytes': number
  /** The largest batch accepted, in bytes (MESSAGE_TOO_LARGE beyond). Default 1048588. */
  'max.message.bytes': number
  /** `delete` (default), `compact`, or both. */
  'cleanup.policy': CleanupPolicy
  /** How long tombstones survive compaction, in ms. Default 1 day. */
  'delete.retention.ms': number
  /** Bytes between offset-index entries. Default 4096. */
  'index.interval.bytes': number
  /** Fsync after this many records (default: never, the OS decides). */
  'flush.messages': number
  /** Fsync this many ms after the first unflushed append (default: never). */
  'flush.ms': number
  /** `CreateTime` (default): the producer's timestamps; `LogAppendTime`: the log's clock. */
  'message.timestamp.type': 'CreateTime' | 'LogAppendTime'
  /** Records younger than this are not compacted, in ms. Default 0. */
  'min.compaction.lag.ms': number
}

/** Kafka's defaults. */
export const LOG_CONFIG_DEFAULTS: Readonly<LogConfig> = Object.freeze({
  'segment.bytes': 1024 * 1024 * 1024,
  'segment.ms': 7 * 24 * 60 * 60 * 1000,
  'retention.ms': 7 * 24 * 60 * 60 * 1000,
  'retention.bytes': -1,
  'max.message.bytes': 1048588,
  'cleanup.policy': 'delete',
  'delete.retention.ms': 24 * 60 * 60 * 1000,
  'index.interval.bytes': 4096,
  'flush.messages': LOG_CONFIG_MAX,
  'flush.ms': LOG_CONFIG_MAX,
  'message.timestamp.type': 'CreateTime',
  'min.compaction.lag.ms': 0,
})

type NumericKey = {
  [K in keyof LogConfig]: LogConfig[K] extends number ? K : never
}[keyof LogConfig]

/** Lowest legal value of each numeric setting (Kafka's `ConfigDef` ranges). */
const MINIMUMS: Readonly<Record<NumericKey, number>> = {
  'segment.bytes': 14,
  'segment.ms': 1,
  'retention.ms': -1,
  'retention.bytes': -1,
  'max.message.bytes': 0,
  'delete.retention.ms': 0,
  'index.interval.bytes': 0,
  'flush.messages': 1,
  'flush.ms': 0,
  'min.compaction.lag.ms': 0,
}

const POLICIES: readonly string[] = ['delete', 'compact', 'compact,delete', 'delete,compact']

function invalid(key: string, value: unknown, rule: string): Error {
  return fromCode('INVALID_CONFIG', `${key} must be ${rule}, got ${describe(value)}`)
}

function checkNumber(key: NumericKey, value: unknown): number {
  const min = MINIMUMS[key]
  const max = key === 'segment.bytes' ? 0x7fff_ffff : LOG_CONFIG_MAX
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(key, value, `an integer in [${min}, ${max}]`)
  }
  return value
}

function checkPolicy(value: unknown): CleanupPolicy {
  if (typeof value !== 'string' || !POLICIES.includes(value)) {
    throw invalid('cleanup.policy', value, 'delete, compact or compact,delete')
  }
  return value === 'delete,compact' ? 'compact,delete' : (value as CleanupPolicy)
}

function checkTimestampType(value: unknown): LogConfig['message.timestamp.type'] {
  if (value !== 'CreateTime' && value !== 'LogAppendTime') {
    throw invalid('message.timestamp.type', value, 'CreateTime or LogAppendTime')
  }
  return value
}

/**
 * Fill in defaults and validate: an unknown key, a wrong type or an out-of-range value is an
 * `INVALID_CONFIG` error. Returns a frozen, complete config.
 */
export function resolveLogConfig(input: Partial<LogConfig> = {}): Readonly<LogConfig> {
  if (typeof input !== 'object' || input === null) throw invalid('config', input, 'an object')
  const out: Record<string, unknown> = { ...LOG_CONFIG_DEFAULTS }
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(LOG_CONFIG_DEFAULTS, key)) {
      throw fromCode('INVALID_CONFIG', `unknown log config ${describe(key)}`)
    }
    const value = (input as Record<string, unknown>)[key]
    if (value === undefined) continue
    if (key === 'cleanup.policy') out[key] = checkPolicy(value)
    else if (key === 'message.timestamp.type') out[key] = checkTimestampType(value)
    else out[key] = checkNumber(key as NumericKey, value)
  }
  return Object.freeze(out as unknown as LogConfig)
}

/** Whether the policy deletes old segments by time and size. */
export function deletesByRetention(config: Readonly<LogConfig>): boolean {
  return config['cleanup.policy'] !== 'compact'
}

/** Whether the policy compacts. */
export function compacts(config: Readonly<LogConfig>): boolean {
  return config['cleanup.policy'] !== 'delete'
}

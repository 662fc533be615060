/**
 * Broker and topic configuration under Kafka's own names and defaults. Topic configs arrive
 * as strings (as in CreateTopics and AlterConfigs) or as typed values (from code); both are
 * parsed into typed {@link TopicConfig} values here, and every bad name or value is an
 * `INVALID_CONFIG` error that changes nothing.
 */
import { fromCode } from '../common/errors.js'
import { describe } from '../common/validate.js'
import { LOG_CONFIG_DEFAULTS, type LogConfig, resolveLogConfig } from '../log/log-config.js'

/** A topic's settings: the log's, plus the two replication settings Kafka keeps per topic. */
export interface TopicConfig extends LogConfig {
  /** Fewest in-sync replicas for an acks=all produce to succeed (else `NOT_ENOUGH_REPLICAS`). */
  'min.insync.replicas': number
  /** Let a replica outside the ISR become leader when the whole ISR is down (may lose data). */
  'unclean.leader.election.enable': boolean
}

/** The cluster's (every broker's) settings. Topic defaults come from the `log.*` names. */
export interface BrokerConfig {
  /** Partitions of a topic created without a count (and of auto-created topics). */
  'num.partitions': number
  /** Replication factor of a topic created without one. */
  'default.replication.factor': number
  /** Default of the topic config of the same name. */
  'min.insync.replicas': number
  /** Default of the topic config of the same name. */
  'unclean.leader.election.enable': boolean
  /** Whether deleteTopics deletes; when false it only marks `/admin/delete_topics/<t>`. */
  'delete.topic.enable': boolean
  /** Whether Metadata and produce create a missing topic with the defaults. */
  'auto.create.topics.enable': boolean
  /** A follower that has not caught up for this long leaves the ISR. */
  'replica.lag.time.max.ms': number
  /** How long a leader holds a follower's fetch that has nothing new. */
  'replica.fetch.wait.max.ms': number
  /** Bytes a follower asks for per partition. */
  'replica.fetch.max.bytes': number
  /** Bytes a follower asks for per fetch. */
  'replica.fetch.response.max.bytes': number
  /** Pause of a follower after a failed fetch. */
  'replica.fetch.backoff.ms': number
  /** How often high watermarks are checkpointed (disk mode). */
  'replica.high.watermark.checkpoint.interval.ms': number
  /** How often retention and compaction run. */
  'log.retention.check.interval.ms': number
  /** The coordinator session timeout of brokers: a killed broker is noticed after this. */
  'zookeeper.session.timeout.ms': number
  /** Replication factor of `__consumer_offsets` (capped at the number of brokers). */
  'offsets.topic.replication.factor': number
  /** Partitions of `__consumer_offsets`. */
  'offsets.topic.num.partitions': number
  /** How long the first rebalance of a new group waits for more members. */
  'group.initial.rebalance.delay.ms': number
  /** Smallest `sessionTimeoutMs` a JoinGroup may ask for (else `INVALID_SESSION_TIMEOUT`). */
  'group.min.session.timeout.ms': number
  /** Largest `sessionTimeoutMs` a JoinGroup may ask for. */
  'group.max.session.timeout.ms': number
  /** Most members in a group (`GROUP_MAX_SIZE_REACHED` beyond). */
  'group.max.size': number
  /**
   * Committed offsets are kept this long: after the group became Empty, or after their last
   * commit for a standalone consumer or a topic the group no longer subscribes to.
   */
  'offsets.retention.minutes': number
  /** How often expired offsets are looked for. */
  'offsets.retention.check.interval.ms': number
  /** How long an offset commit (or group write) waits for the ISR of `__consumer_offsets`. */
  'offsets.commit.timeout.ms': number
  /** `segment.bytes` of `__consumer_offsets`. */
  'offsets.topic.segment.bytes': number
  /** Largest metadata string of a committed offset (`OFFSET_METADATA_TOO_LARGE` beyond). */
  'offset.metadata.max.bytes': number
  /** Largest record batch a broker accepts (default of the topic's `max.message.bytes`). */
  'message.max.bytes': number
  /** Default `retention.ms`. */
  'log.retention.ms': number
  /** Default `retention.bytes`. */
  'log.retention.bytes': number
  /** Default `segment.bytes`. */
  'log.segment.bytes': number
  /** Default `segment.ms`. */
  'log.roll.ms': number
  /** Default `cleanup.policy`. */
  'log.cleanup.policy': LogConfig['cleanup.policy']
  /** Default `flush.messages`. */
  'log.flush.interval.messages': number
  /** Default `flush.ms`. */
  'log.flush.interval.ms': number
  /** Default `message.timestamp.type`. */
  'log.message.timestamp.type': LogConfig['message.timestamp.type']
}

/** Kafka's broker defaults (`offsets.topic.replication.factor` is capped at the broker count). */
export const BROKER_CONFIG_DEFAULTS: Readonly<BrokerConfig> = Object.freeze({
  'num.partitions': 1,
  'default.replication.factor': 1,
  'min.insync.replicas': 1,
  'unclean.leader.election.enable': false,
  'delete.topic.enable': true,
  'auto.create.topics.enable': true,
  'replica.lag.time.max.ms': 30_000,
  'replica.fetch.wait.max.ms': 500,
  'replica.fetch.max.bytes': 1_048_576,
  'replica.fetch.response.max.bytes': 10_485_760,
  'replica.fetch.backoff.ms': 1000,
  'replica.high.watermark.checkpoint.interval.ms': 5000,
  'log.retention.check.interval.ms': 300_000,
  'zookeeper.session.timeout.ms': 18_000,
  'offsets.topic.replication.factor': 3,
  'offsets.topic.num.partitions': 50,
  'group.initial.rebalance.delay.ms': 3000,
  'group.min.session.timeout.ms': 6000,
  'group.max.session.timeout.ms': 1_800_000,
  'group.max.size': 2_147_483_647,
  'offsets.retention.minutes': 10_080,
  'offsets.retention.check.interval.ms': 600_000,
  'offsets.commit.timeout.ms': 5000,
  'offsets.topic.segment.bytes': 104_857_600,
  'offset.metadata.max.bytes': 4096,
  'message.max.bytes': LOG_CONFIG_DEFAULTS['max.message.bytes'],
  'log.retention.ms': LOG_CONFIG_DEFAULTS['retention.ms'],
  'log.retention.bytes': LOG_CONFIG_DEFAULTS['retention.bytes'],
  'log.segment.bytes': LOG_CONFIG_DEFAULTS['segment.bytes'],
  'log.roll.ms': LOG_CONFIG_DEFAULTS['segment.ms'],
  'log.cleanup.policy': LOG_CONFIG_DEFAULTS['cleanup.policy'],
  'log.flush.interval.messages': LOG_CONFIG_DEFAULTS['flush.messages'],
  'log.flush.interval.ms': LOG_CONFIG_DEFAULTS['flush.ms'],
  'log.message.timestamp.type': LOG_CONFIG_DEFAULTS['message.timestamp.type'],
})

/** Which broker setting gives the default of a topic setting. */
export const TOPIC_DEFAULT_FROM: { readonly [K in keyof TopicConfig]?: keyof BrokerConfig } =
  Object.freeze({
    'min.insync.replicas': 'min.insync.replicas',
    'unclean.leader.election.enable': 'unclean.leader.election.enable',
    'max.message.bytes': 'message.max.bytes',
    'retention.ms': 'log.retention.ms',
    'retention.bytes': 'log.retention.bytes',
    'segment.bytes': 'log.segment.bytes',
    'segment.ms': 'log.roll.ms',
    'cleanup.policy': 'log.cleanup.policy',
    'flush.messages': 'log.flush.interval.messages',
    'flush.ms': 'log.flush.interval.ms',
    'message.timestamp.type': 'log.message.timestamp.type',
  })

const TOPIC_KEYS: readonly (keyof TopicConfig)[] = [
  ...(Object.keys(LOG_CONFIG_DEFAULTS) as (keyof LogConfig)[]),
  'min.insync.replicas',
  'unclean.leader.election.enable',
]

function invalid(message: string): Error {
  return fromCode('INVALID_CONFIG', message)
}

function parseBoolean(key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw invalid(`${key} must be true or false, got ${describe(value)}`)
}

function parseNumber(key: string, value: unknown): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw invalid(`${key} must be an integer, got ${describe(value)}`)
  }
  return n
}

/**
 * Parse topic settings given as strings (Kafka's form) or typed values. Unknown names and bad
 * values are `INVALID_CONFIG`. Returns only the keys given, typed and range-checked.
 */
export function parseTopicConfig(
  input: Readonly<Record<string, unknown>> | undefined,
): Partial<TopicConfig> {
  if (input === undefined) return {}
  if (typeof input !== 'object' || input === null) throw invalid('configs must be an object')
  const out: Record<string, unknown> = {}
  const log: Record<string, unknown> = {}
  for (const key of Object.keys(input)) {
    if (!TOPIC_KEYS.includes(key as keyof TopicConfig))
      throw invalid(`unknown topic config ${describe(key)}`)
    const raw = input[key]
    if (raw === undefined) continue
    if (key === 'unclean.leader.election.enable') out[key] = parseBoolean(key, raw)
    else if (key === 'min.insync.replicas') {
      const n = parseNumber(key, raw)
      if (n < 1) throw invalid(`min.insync.replicas must be at least 1, got ${n}`)
      out[key] = n
    } else if (key === 'cleanup.policy' || key === 'message.timestamp.type') log[key] = String(raw)
    else log[key] = parseNumber(key, raw)
  }
  const checked = resolveLogConfig(log as Partial<LogConfig>)
  for (const key of Object.keys(log)) out[key] = checked[key as keyof LogConfig]
  return out as Partial<TopicConfig>
}

/** The broker-level defaults of every topic setting. */
export function topicDefaults(broker: Readonly<BrokerConfig>): Readonly<TopicConfig> {
  const out: Record<string, unknown> = { ...LOG_CONFIG_DEFAULTS }
  for (const key of TOPIC_KEYS) {
    const from = TOPIC_DEFAULT_FROM[key]
    if (from !== undefined) out[key] = broker[from]
  }
  return Object.freeze(out as unknown as TopicConfig)
}

/** A topic's complete settings: its overrides over the broker defaults. */
export function resolveTopicConfig(
  broker: Readonly<BrokerConfig>,
  overrides: Partial<TopicConfig>,
): Readonly<TopicConfig> {
  return Object.freeze({ ...topicDefaults(broker), ...overrides })
}

/** The log's part of a topic's settings (what `PartitionLog` takes). */
export function logConfigOf(config: Readonly<TopicConfig>): Partial<LogConfig> {
  const { 'min.insync.replicas': _m, 'unclean.leader.election.enable': _u, ...log } = config
  return log
}

/** A setting as Kafka prints it (`DescribeConfigs`). */
export function configValueString(value: unknown): string {
  return String(value)
}

/** The names of every topic setting. */
export function topicConfigNames(): readonly (keyof TopicConfig)[] {
  return TOPIC_KEYS
}

/**
 * Check broker settings given to `createCluster({ config })`: the broker names above, plus
 * any topic name (a default for every topic). Unknown names and bad values are `INVALID_CONFIG`.
 */
export function resolveBrokerConfig(
  input: Readonly<Record<string, unknown>> = {},
): Readonly<BrokerConfig> {
  if (typeof input !== 'object' || input === null) throw invalid('config must be an object')
  const out: Record<string, unknown> = { ...BROKER_CONFIG_DEFAULTS }
  const topicLevel: Record<string, unknown> = {}
  for (const key of Object.keys(input)) {
    const value = input[key]
    if (value === undefined) continue
    if (Object.hasOwn(BROKER_CONFIG_DEFAULTS, key)) {
      const def = (BROKER_CONFIG_DEFAULTS as unknown as Record<string, unknown>)[key]
      if (typeof def === 'boolean') out[key] = parseBoolean(key, value)
      else if (typeof def === 'number') out[key] = parseNumber(key, value)
      else
        topicLevel[key === 'log.cleanup.policy' ? 'cleanup.policy' : 'message.timestamp.type'] =
          value
    } else if (Object.hasOwn(TOPIC_DEFAULT_FROM, key)) {
      topicLevel[key] = value
    } else {
      throw invalid(`unknown broker config ${describe(key)}`)
    }
  }
  const parsed = parseTopicConfig(topicLevel)
  for (const [topicKey, brokerKey] of Object.entries(TOPIC_DEFAULT_FROM)) {
    const v = parsed[topicKey as keyof TopicConfig]
    if (v !== undefined) out[brokerKey as string] = v
  }
  for (const key of [
    'num.partitions',
    'default.replication.factor',
    'min.insync.replicas',
    'offsets.retention.minutes',
    'offsets.retention.check.interval.ms',
  ]) {
    if ((out[key] as number) < 1) throw invalid(`${key} must be at least 1, got ${out[key]}`)
  }
  return Object.freeze(out as unknown as BrokerConfig)
}

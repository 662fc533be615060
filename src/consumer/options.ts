/**
 * The consumer's options: kafkajs's camelCase names with Kafka's Java-client defaults (where
 * the two differ, the choice is noted on the option), checked and resolved once when the
 * consumer is built. Every bad option is `INVALID_ARGUMENT`.
 */
import { InvalidArgumentError } from '../common/errors.js'
import { describe, toNonNegativeInt, toPositiveInt } from '../common/validate.js'
import { assignorByName } from './assignors/index.js'
import type { PartitionAssignor } from './assignors/types.js'

/** What to do when a partition has no committed offset, or its position is out of range. */
export type AutoOffsetReset = 'earliest' | 'latest' | 'none'

/** How `eachMessage` / `eachBatch` failures are retried before the consumer crashes. */
export interface ConsumerRetryOptions {
  /** Retries of a failing handler call before the consumer crashes (kafkajs default 5). */
  readonly retries?: number
  /** The first wait before a retry, doubling each time (kafkajs default 300 ms). */
  readonly initialRetryTime?: number
  /** The largest wait between retries (kafkajs default 30000 ms). */
  readonly maxRetryTime?: number
  /**
   * After a crash: resolve true to rejoin the group and go on from the committed offsets,
   * false to stop the consumer (default: restart, as kafkajs).
   */
  readonly restartOnFailure?: (error: unknown) => Promise<boolean>
}

/** What a {@link Consumer} can be told (all optional). */
export interface ConsumerOptions {
  /** The consumer group; without it only `assign()` works (no commits). */
  readonly groupId?: string
  /** The client id shown by DescribeGroups (default: the cluster client's name). */
  readonly clientId?: string
  /**
   * Assignors by Kafka's protocol name (`range`, `roundrobin`, `sticky`,
   * `cooperative-sticky`) or as objects, preferred first (default `['range']`, as Kafka's
   * Java client before 3.0 and kafkajs' default strategy). kafkajs' `round-robin` is read as
   * `roundrobin`.
   */
  readonly partitionAssigners?: readonly (string | PartitionAssignor)[]
  /**
   * The coordinator removes the member when no heartbeat comes for this long. Default 45000
   * (Kafka 3.x's `session.timeout.ms`; kafkajs says 30000).
   */
  readonly sessionTimeoutMs?: number
  /** Heartbeats every this many ms (`heartbeat.interval.ms`, 3000). Less than the session timeout. */
  readonly heartbeatIntervalMs?: number
  /** How long the coordinator waits for members to rejoin in a rebalance (60000 as kafkajs; Kafka uses maxPollIntervalMs). */
  readonly rebalanceTimeoutMs?: number
  /** A member whose handler (or the gap between polls) takes longer leaves the group (`max.poll.interval.ms`, 300000). */
  readonly maxPollIntervalMs?: number
  /** Static membership (KIP-345): the member keeps its partitions across restarts within the session timeout. */
  readonly groupInstanceId?: string
  /** Where to start without a committed offset (`auto.offset.reset`, default `'latest'`). */
  readonly autoOffsetReset?: AutoOffsetReset
  /** The most bytes one fetch response may carry (`fetch.max.bytes`, 52428800). */
  readonly maxBytes?: number
  /** The most bytes per partition in one fetch (`max.partition.fetch.bytes`, 1048576). */
  readonly maxBytesPerPartition?: number
  /** How long a leader may hold a fetch for data (`fetch.max.wait.ms`, 500; kafkajs says 5000). */
  readonly maxWaitTimeMs?: number
  /** A leader answers as soon as this many bytes are ready (`fetch.min.bytes`, 1). */
  readonly minBytes?: number
  /** Read uncommitted (default false; without transactions both levels read the same). */
  readonly readUncommitted?: boolean
  /** Commit positions periodically for `poll()` and the async iterator (`enable.auto.commit`, true). */
  readonly autoCommit?: boolean
  /** How often auto-commit commits (`auto.commit.interval.ms`, 5000). */
  readonly autoCommitIntervalMs?: number
  /** Refresh metadata this often, re-checking patterns and partition counts (`metadata.max.age.ms`, 300000). */
  readonly metadataMaxAgeMs?: number
  /** Wait before retrying a coordinator or metadata error (`retry.backoff.ms`, 100). */
  readonly retryBackoffMs?: number
  /** Handler retries and crash policy (see {@link ConsumerRetryOptions}). */
  readonly retry?: ConsumerRetryOptions
}

/** {@link ConsumerOptions} with every default applied. */
export interface ResolvedConsumerOptions {
  /** The group, or undefined. */
  readonly groupId: string | undefined
  /** The client id, or undefined (the cluster client's name). */
  readonly clientId: string | undefined
  /** The assignors, preferred first. */
  readonly assignors: readonly PartitionAssignor[]
  /** `session.timeout.ms`. */
  readonly sessionTimeoutMs: number
  /** `heartbeat.interval.ms`. */
  readonly heartbeatIntervalMs: number
  /** Rebalance timeout. */
  readonly rebalanceTimeoutMs: number
  /** `max.poll.interval.ms`. */
  readonly maxPollIntervalMs: number
  /** Static member id, or null. */
  readonly groupInstanceId: string | null
  /** `auto.offset.reset`. */
  readonly autoOffsetReset: AutoOffsetReset
  /** `fetch.max.bytes`. */
  readonly maxBytes: number
  /** `max.partition.fetch.bytes`. */
  readonly maxBytesPerPartition: number
  /** `fetch.max.wait.ms`. */
  readonly maxWaitTimeMs: number
  /** `fetch.min.bytes`. */
  readonly minBytes: number
  /** Isolation level. */
  readonly readUncommitted: boolean
  /** Auto-commit for poll and the iterator. */
  readonly autoCommit: boolean
  /** Auto-commit interval. */
  readonly autoCommitIntervalMs: number
  /** `metadata.max.age.ms`. */
  readonly metadataMaxAgeMs: number
  /** `retry.backoff.ms`. */
  readonly retryBackoffMs: number
  /** Handler retries. */
  readonly retries: number
  /** First handler retry wait. */
  readonly initialRetryTime: number
  /** Largest handler retry wait. */
  readonly maxRetryTime: number
  /** Crash policy. */
  readonly restartOnFailure: (error: unknown) => Promise<boolean>
}

/** The defaults (kafkajs names, Kafka's values where they differ; see {@link ConsumerOptions}). */
export const CONSUMER_DEFAULTS = Object.freeze({
  partitionAssigners: ['range'],
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxPollIntervalMs: 300_000,
  autoOffsetReset: 'latest',
  maxBytes: 52_428_800,
  maxBytesPerPartition: 1_048_576,
  maxWaitTimeMs: 500,
  minBytes: 1,
  autoCommitIntervalMs: 5_000,
  metadataMaxAgeMs: 300_000,
  retryBackoffMs: 100,
  retries: 5,
  initialRetryTime: 300,
  maxRetryTime: 30_000,
} as const)

function toBool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${what} must be a boolean, got ${describe(value)}`)
  }
  return value
}

function toName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(`${what} must be a non-empty string, got ${describe(value)}`)
  }
  return value
}

/** Resolve assignor names (or objects) into assignors. */
export function resolveAssignors(value: unknown): PartitionAssignor[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidArgumentError(
      `partitionAssigners must be a non-empty array, got ${describe(value)}`,
    )
  }
  // Array.from, not map: a sparse array's holes are refused, not kept.
  return Array.from(value, (a: unknown, i) => {
    if (typeof a === 'string') {
      const found = assignorByName(a === 'round-robin' ? 'roundrobin' : a)
      if (found === undefined) {
        throw new InvalidArgumentError(`partitionAssigners[${i}]: unknown assignor ${describe(a)}`)
      }
      return found
    }
    const obj = a as PartitionAssignor | null
    if (
      typeof obj !== 'object' ||
      obj === null ||
      typeof obj.name !== 'string' ||
      typeof obj.assign !== 'function' ||
      typeof obj.subscriptionUserData !== 'function' ||
      !Array.isArray(obj.supportedProtocols)
    ) {
      throw new InvalidArgumentError(
        `partitionAssigners[${i}] must be an assignor name or object, got ${describe(a)}`,
      )
    }
    return obj
  })
}

/** The option names `resolveConsumerOptions` accepts: any other is a typo, refused. */
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'groupId',
  'clientId',
  'partitionAssigners',
  'sessionTimeoutMs',
  'heartbeatIntervalMs',
  'rebalanceTimeoutMs',
  'maxPollIntervalMs',
  'groupInstanceId',
  'autoOffsetReset',
  'maxBytes',
  'maxBytesPerPartition',
  'maxWaitTimeMs',
  'minBytes',
  'readUncommitted',
  'autoCommit',
  'autoCommitIntervalMs',
  'metadataMaxAgeMs',
  'retryBackoffMs',
  'retry',
])

const KNOWN_RETRY_OPTIONS: ReadonlySet<string> = new Set([
  'retries',
  'initialRetryTime',
  'maxRetryTime',
  'restartOnFailure',
])

/** Check `options` and apply the defaults. */
export function resolveConsumerOptions(options: ConsumerOptions = {}): ResolvedConsumerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`consumer options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key))
      throw new InvalidArgumentError(`unknown consumer option ${describe(key)}`)
  }
  const o = options
  const d = CONSUMER_DEFAULTS
  const sessionTimeoutMs = toPositiveInt(
    o.sessionTimeoutMs ?? d.sessionTimeoutMs,
    'sessionTimeoutMs',
  )
  const heartbeatIntervalMs = toPositiveInt(
    o.heartbeatIntervalMs ?? d.heartbeatIntervalMs,
    'heartbeatIntervalMs',
  )
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new InvalidArgumentError(
      `heartbeatIntervalMs (${heartbeatIntervalMs}) must be less than sessionTimeoutMs (${sessionTimeoutMs})`,
    )
  }
  const reset = o.autoOffsetReset ?? d.autoOffsetReset
  if (reset !== 'earliest' && reset !== 'latest' && reset !== 'none') {
    throw new InvalidArgumentError(
      `autoOffsetReset must be 'earliest', 'latest' or 'none', got ${describe(reset)}`,
    )
  }
  const retry = o.retry ?? {}
  if (typeof retry !== 'object' || retry === null) {
    throw new InvalidArgumentError(`retry must be an object, got ${describe(retry)}`)
  }
  for (const key of Object.keys(retry)) {
    if (!KNOWN_RETRY_OPTIONS.has(key))
      throw new InvalidArgumentError(`unknown retry option ${describe(key)}`)
  }
  const restart = retry.restartOnFailure ?? (async () => true)
  if (typeof restart !== 'function') {
    throw new InvalidArgumentError(
      `retry.restartOnFailure must be a function, got ${describe(restart)}`,
    )
  }
  return {
    groupId: o.groupId === undefined ? undefined : toName(o.groupId, 'groupId'),
    clientId: o.clientId === undefined ? undefined : toName(o.clientId, 'clientId'),
    assignors: resolveAssignors(o.partitionAssigners ?? d.partitionAssigners),
    sessionTimeoutMs,
    heartbeatIntervalMs,
    rebalanceTimeoutMs: toPositiveInt(
      o.rebalanceTimeoutMs ?? d.rebalanceTimeoutMs,
      'rebalanceTimeoutMs',
    ),
    maxPollIntervalMs: toPositiveInt(
      o.maxPollIntervalMs ?? d.maxPollIntervalMs,
      'maxPollIntervalMs',
    ),
    groupInstanceId:
      o.groupInstanceId === undefined ? null : toName(o.groupInstanceId, 'groupInstanceId'),
    autoOffsetReset: reset,
    maxBytes: toPositiveInt(o.maxBytes ?? d.maxBytes, 'maxBytes'),
    maxBytesPerPartition: toPositiveInt(
      o.maxBytesPerPartition ?? d.maxBytesPerPartition,
      'maxBytesPerPartition',
    ),
    maxWaitTimeMs: toNonNegativeInt(o.maxWaitTimeMs ?? d.maxWaitTimeMs, 'maxWaitTimeMs'),
    minBytes: toPositiveInt(o.minBytes ?? d.minBytes, 'minBytes'),
    readUncommitted:
      o.readUncommitted === undefined ? false : toBool(o.readUncommitted, 'readUncommitted'),
    autoCommit: o.autoCommit === undefined ? true : toBool(o.autoCommit, 'autoCommit'),
    autoCommitIntervalMs: toPositiveInt(
      o.autoCommitIntervalMs ?? d.autoCommitIntervalMs,
      'autoCommitIntervalMs',
    ),
    metadataMaxAgeMs: toPositiveInt(o.metadataMaxAgeMs ?? d.metadataMaxAgeMs, 'metadataMaxAgeMs'),
    retryBackoffMs: toNonNegativeInt(o.retryBackoffMs ?? d.retryBackoffMs, 'retryBackoffMs'),
    retries: toNonNegativeInt(retry.retries ?? d.retries, 'retry.retries'),
    initialRetryTime: toNonNegativeInt(
      retry.initialRetryTime ?? d.initialRetryTime,
      'retry.initialRetryTime',
    ),
    maxRetryTime: toNonNegativeInt(retry.maxRetryTime ?? d.maxRetryTime, 'retry.maxRetryTime'),
    restartOnFailure: restart,
  }
}

/**
 * The producer's options: kafkajs's camelCase names with Kafka's Java-client defaults, checked
 * and resolved once when the producer is built. Every bad option is `INVALID_ARGUMENT`.
 */
import { InvalidArgumentError } from '../common/errors.js'
import { describe, toNonNegativeInt, toPositiveInt } from '../common/validate.js'
import type { PartitionerOption } from './partitioners.js'

/** `acks` as users give it: Kafka's -1 / 0 / 1, or `'all'` (the same as -1). */
export type AcksOption = -1 | 0 | 1 | 'all'

/** What a {@link Producer} can be told (all optional). */
export interface ProducerOptions {
  /** -1 / `'all'` (default): every in-sync replica has the batch; 1: the leader has it; 0: no answer awaited. */
  readonly acks?: AcksOption
  /**
   * Idempotent delivery (default false): a producer id and per-partition sequence numbers, so
   * retries write no duplicates and keep order. Forces acks=all; an explicit other `acks` is
   * `INVALID_ARGUMENT`, as are `retries: 0` and `maxInFlightRequests` > 5.
   */
  readonly idempotent?: boolean
  /** How records without a partition find one (default `'default'`). */
  readonly partitioner?: PartitionerOption
  /** How long a batch waits for more records before it is sent (Kafka's `linger.ms`, default 0). */
  readonly lingerMs?: number
  /** The batch size in bytes at which a batch is sent at once (Kafka's `batch.size`, 16384). */
  readonly batchSize?: number
  /** Unanswered produce requests per partition (Kafka's `max.in.flight.requests.per.connection`, 5). */
  readonly maxInFlightRequests?: number
  /** Retries of a batch (default: unbounded, until `deliveryTimeoutMs`, as Kafka's `retries`). */
  readonly retries?: number
  /** Wait before a retry (Kafka's `retry.backoff.ms`, 100), doubling up to `retryBackoffMaxMs`. */
  readonly retryBackoffMs?: number
  /** The largest retry wait (Kafka's `retry.backoff.max.ms`, 1000). */
  readonly retryBackoffMaxMs?: number
  /** How long a produce request may go unanswered (Kafka's `request.timeout.ms`, 30000). */
  readonly requestTimeoutMs?: number
  /** How long a record may take from `send` to its acknowledgement (Kafka's `delivery.timeout.ms`, 120000). */
  readonly deliveryTimeoutMs?: number
  /** The largest request, hence record, in bytes (Kafka's `max.request.size`, 1048576). */
  readonly maxRequestSize?: number
  /** Let the brokers create a topic on first use (default true; they need `auto.create.topics.enable`). */
  readonly allowAutoTopicCreation?: boolean
  /** Compression: only `'none'` for now. */
  readonly compression?: 'none'
}

/** {@link ProducerOptions} with every default applied. */
export interface ResolvedProducerOptions {
  /** Kafka's acks. */
  readonly acks: -1 | 0 | 1
  /** Whether the producer is idempotent. */
  readonly idempotent: boolean
  /** The partitioner option. */
  readonly partitioner: PartitionerOption
  /** `linger.ms`. */
  readonly lingerMs: number
  /** `batch.size`. */
  readonly batchSize: number
  /** In-flight requests per partition. */
  readonly maxInFlightRequests: number
  /** Retries per batch. */
  readonly retries: number
  /** First retry backoff. */
  readonly retryBackoffMs: number
  /** Largest retry backoff. */
  readonly retryBackoffMaxMs: number
  /** Request timeout. */
  readonly requestTimeoutMs: number
  /** Delivery timeout. */
  readonly deliveryTimeoutMs: number
  /** Largest request. */
  readonly maxRequestSize: number
  /** Auto-create topics on first use. */
  readonly allowAutoTopicCreation: boolean
}

/** Kafka's defaults (kafkajs names). */
export const PRODUCER_DEFAULTS = Object.freeze({
  acks: -1,
  idempotent: false,
  partitioner: 'default',
  lingerMs: 0,
  batchSize: 16384,
  maxInFlightRequests: 5,
  retries: Number.MAX_SAFE_INTEGER,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
  requestTimeoutMs: 30_000,
  deliveryTimeoutMs: 120_000,
  maxRequestSize: 1_048_576,
  allowAutoTopicCreation: true,
} as const satisfies ResolvedProducerOptions)

/** Kafka's limit of in-flight requests for an idempotent producer. */
export const IDEMPOTENT_MAX_IN_FLIGHT = 5

const KNOWN = new Set([...Object.keys(PRODUCER_DEFAULTS), 'compression'])

/** Check an `acks` value (producer option or per send). */
export function toAcks(value: unknown, what = 'acks'): -1 | 0 | 1 {
  if (value === 'all' || value === -1) return -1
  if (value === 0 || value === 1) return value
  throw new InvalidArgumentError(`${what} must be -1, 0, 1 or 'all', got ${describe(value)}`)
}

function toBool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidArgumentError(`${what} must be a boolean, got ${describe(value)}`)
  return value
}

function checkCompression(value: unknown): void {
  if (value === undefined || value === 'none' || value === null) return
  throw new InvalidArgumentError(
    `compression ${describe(value)} is not supported yet (gzip, snappy, lz4 and zstd are not); use 'none'`,
  )
}

function idempotenceChecks(o: ProducerOptions, maxInFlight: number, retries: number): void {
  if (o.acks !== undefined && toAcks(o.acks) !== -1) {
    throw new InvalidArgumentError(`an idempotent producer needs acks=all, got acks=${o.acks}`)
  }
  if (retries === 0) throw new InvalidArgumentError('an idempotent producer needs retries > 0')
  if (maxInFlight > IDEMPOTENT_MAX_IN_FLIGHT) {
    throw new InvalidArgumentError(
      `an idempotent producer needs maxInFlightRequests ≤ 5, got ${maxInFlight}`,
    )
  }
}

/** Check `options` and apply the defaults. */
export function resolveProducerOptions(options: ProducerOptions = {}): ResolvedProducerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`producer options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new InvalidArgumentError(`unknown producer option ${describe(key)}`)
  }
  const o = options
  const d = PRODUCER_DEFAULTS
  checkCompression(o.compression)
  const idempotent = o.idempotent === undefined ? d.idempotent : toBool(o.idempotent, 'idempotent')
  const maxInFlight = toPositiveInt(
    o.maxInFlightRequests ?? d.maxInFlightRequests,
    'maxInFlightRequests',
  )
  const retries = toNonNegativeInt(o.retries ?? d.retries, 'retries')
  if (idempotent) idempotenceChecks(o, maxInFlight, retries)
  const resolved: ResolvedProducerOptions = {
    acks: idempotent ? -1 : toAcks(o.acks ?? d.acks),
    idempotent,
    partitioner: o.partitioner ?? d.partitioner,
    lingerMs: toNonNegativeInt(o.lingerMs ?? d.lingerMs, 'lingerMs'),
    batchSize: toPositiveInt(o.batchSize ?? d.batchSize, 'batchSize'),
    maxInFlightRequests: maxInFlight,
    retries,
    retryBackoffMs: toNonNegativeInt(o.retryBackoffMs ?? d.retryBackoffMs, 'retryBackoffMs'),
    retryBackoffMaxMs: toNonNegativeInt(
      o.retryBackoffMaxMs ?? d.retryBackoffMaxMs,
      'retryBackoffMaxMs',
    ),
    requestTimeoutMs: toPositiveInt(o.requestTimeoutMs ?? d.requestTimeoutMs, 'requestTimeoutMs'),
    deliveryTimeoutMs: toPositiveInt(
      o.deliveryTimeoutMs ?? d.deliveryTimeoutMs,
      'deliveryTimeoutMs',
    ),
    maxRequestSize: toPositiveInt(o.maxRequestSize ?? d.maxRequestSize, 'maxRequestSize'),
    allowAutoTopicCreation:
      o.allowAutoTopicCreation === undefined
        ? d.allowAutoTopicCreation
        : toBool(o.allowAutoTopicCreation, 'allowAutoTopicCreation'),
  }
  return resolved
}

/**
 * `console-producer`'s options turned into the producer's: Kafka's console-producer option
 * names (`--request-required-acks`, `--timeout` for linger.ms, `--batch-size`, ...) and Java
 * producer config names in `--producer-property`, mapped onto logkeeper's producer options
 * (kafkajs names). As in Kafka, an option given on the command line wins over the same
 * setting in `--producer-property`, and an option's default applies only when the property
 * does not set it.
 */
import type { AcksOption, ProducerOptions } from '../../producer/options.js'
import type { OptionValues } from '../command.js'
import { UsageError } from '../errors.js'
import {
  type Properties,
  parsed,
  readProperties,
  type Setting,
  text,
  wholeNumber,
} from './properties.js'

/** The producer options a console producer runs with (the cluster's producer takes them). */
export type ConsoleProducerOptions = ProducerOptions & { readonly clientId?: string }

function acks(value: string, help: string): AcksOption {
  const v = value.trim().toLowerCase()
  if (v === 'all' || v === '-1') return -1
  if (v === '0' || v === '1') return Number(v) as 0 | 1
  throw new UsageError(`acks must be all, -1, 0 or 1, got '${value}'`, help)
}

function idempotence(value: string, help: string): boolean {
  const v = value.trim().toLowerCase()
  if (v === 'true' || v === 'false') return v === 'true'
  throw new UsageError(`enable.idempotence must be true or false, got '${value}'`, help)
}

/** Java producer configs `--producer-property` takes, and how each sets an option. */
const PRODUCER_PROPERTIES: ReadonlyMap<string, Setting> = new Map<string, Setting>([
  ['acks', parsed('acks', acks)],
  ['linger.ms', wholeNumber('lingerMs', 'linger.ms')],
  ['batch.size', wholeNumber('batchSize', 'batch.size', 1)],
  ['retries', wholeNumber('retries', 'retries')],
  ['retry.backoff.ms', wholeNumber('retryBackoffMs', 'retry.backoff.ms')],
  ['retry.backoff.max.ms', wholeNumber('retryBackoffMaxMs', 'retry.backoff.max.ms')],
  ['request.timeout.ms', wholeNumber('requestTimeoutMs', 'request.timeout.ms', 1)],
  ['delivery.timeout.ms', wholeNumber('deliveryTimeoutMs', 'delivery.timeout.ms', 1)],
  ['max.request.size', wholeNumber('maxRequestSize', 'max.request.size', 1)],
  [
    'max.in.flight.requests.per.connection',
    wholeNumber('maxInFlightRequests', 'max.in.flight.requests.per.connection', 1),
  ],
  ['enable.idempotence', parsed('idempotent', idempotence)],
  ['compression.type', text('compression')],
  ['client.id', text('clientId')],
])

/**
 * The command-line options that set a producer config, with Kafka's console defaults, except
 * that retries and the request timeout keep the producer's own (until `delivery.timeout.ms`,
 * 30000 ms), where Kafka's tool says 3 and 1500 ms: a tool should not drop lines over a
 * passing error (3 quick retries lost lines while a reopened directory's partitions loaded).
 */
const OPTION_SETTINGS: readonly {
  readonly option: string
  readonly property: string
  readonly fallback?: string
}[] = [
  { option: 'request-required-acks', property: 'acks', fallback: '-1' },
  { option: 'timeout', property: 'linger.ms', fallback: '1000' },
  { option: 'batch-size', property: 'batch.size', fallback: '16384' },
  { option: 'message-send-max-retries', property: 'retries' },
  { option: 'retry-backoff-ms', property: 'retry.backoff.ms', fallback: '100' },
  { option: 'request-timeout-ms', property: 'request.timeout.ms' },
  { option: 'compression-codec', property: 'compression.type' },
]

/** The producer configs in effect: the properties, merged with the options as Kafka merges them. */
function mergedSettings(values: OptionValues, props: Properties): Map<string, string> {
  const merged = new Map(props)
  for (const { option, property, fallback } of OPTION_SETTINGS) {
    const given = values[option]
    if (typeof given === 'string') merged.set(property, given)
    else if (!merged.has(property) && fallback !== undefined) merged.set(property, fallback)
  }
  if (!merged.has('client.id')) merged.set('client.id', 'console-producer')
  return merged
}

/** The producer options of a `console-producer` command line (usage errors for bad values). */
export function consoleProducerOptions(values: OptionValues, help: string): ConsoleProducerOptions {
  const known = new Set(PRODUCER_PROPERTIES.keys())
  const props = readProperties(values, 'producer-property', known, help)
  const out: Record<string, unknown> = {}
  for (const [key, value] of mergedSettings(values, props)) {
    PRODUCER_PROPERTIES.get(key)?.(value, out, help)
  }
  return out as ConsoleProducerOptions
}

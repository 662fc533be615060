/**
 * The options of `createCluster` and their checks: every bad option is refused before anything
 * starts (`INVALID_ARGUMENT`, or `INVALID_CONFIG` for a broker setting).
 */

import { type BrokerConfig, resolveBrokerConfig } from '../broker/config.js'
import { type ClockOption, isClock } from '../common/clock.js'
import { InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import {
  type Durability,
  type DurabilityOptions,
  resolveDurability,
} from '../storage/durability.js'

/** Options of `createCluster`. */
export interface ClusterOptions {
  /**
   * In-process brokers, ids 0..n-1. Default 1, or in disk mode the count the directory was
   * last opened with.
   */
  brokers?: number
  /** Persist everything under this directory (and reopen what is there). Default: memory. */
  dataDir?: string
  /** `'real'` (default), `'virtual'` (moves only with `cluster.clock.advance`), or a Clock. */
  clock?: ClockOption
  /** Seed of all randomness (replica placement, cluster id, session ids...). Default: random. */
  seed?: number
  /**
   * Broker settings by Kafka's names; topic settings by their names are defaults for every
   * topic. In disk mode, omitted: the settings the directory was last opened with.
   */
  config?: Readonly<Record<string, unknown>>
  /** Disk mode: what survives a crash (see docs/durability.md). */
  durability?: DurabilityOptions
}

/** Options checked and completed. */
export interface ResolvedClusterOptions {
  /** Broker count. */
  readonly brokers: number
  /** The data directory, or undefined in memory mode. */
  readonly dataDir: string | undefined
  /** The clock option. */
  readonly clock: ClockOption
  /** The seed, if given. */
  readonly seed: number | undefined
  /** The broker settings, complete. */
  readonly config: Readonly<BrokerConfig>
  /** The durability, complete. */
  readonly durability: Durability
  /** Whether `brokers` was given (in disk mode an omitted count is the directory's own). */
  readonly brokersGiven: boolean
  /** The `config` option as given, or undefined (in disk mode: the directory's own). */
  readonly givenConfig: Readonly<Record<string, unknown>> | undefined
}

/**
 * What a data directory remembers of the cluster that last opened it, so that a later open
 * that omits them (the command line's, for one) runs the same brokers with the same settings.
 */
export interface ClusterShape {
  /** The broker count. */
  readonly brokers: number
  /** The `config` option as given (broker and default topic settings by Kafka's names). */
  readonly config: Readonly<Record<string, unknown>>
}

/**
 * `resolved` completed by the shape a data directory recorded: its broker count and settings
 * where the options omitted them. A recorded shape that no longer checks is ignored.
 */
export function withRecordedShape(
  resolved: ResolvedClusterOptions,
  shape: ClusterShape | undefined,
): ResolvedClusterOptions {
  if (shape === undefined) return resolved
  const brokers = resolved.brokersGiven ? resolved.brokers : shape.brokers
  const givenConfig = resolved.givenConfig ?? shape.config
  try {
    const config = resolveConfig(givenConfig, resolved.durability)
    if (!Number.isSafeInteger(brokers) || brokers < 1 || brokers > MAX_BROKERS) return resolved
    return { ...resolved, brokers, config, givenConfig }
  } catch {
    return resolved
  }
}

/** The most brokers a cluster may have. */
export const MAX_BROKERS = 64

function checkClock(clock: unknown): ClockOption {
  if (clock === undefined) return 'real'
  if (clock === 'real' || clock === 'virtual' || isClock(clock)) return clock
  throw new InvalidArgumentError(
    `clock must be 'real', 'virtual' or a Clock, got ${describe(clock)}`,
  )
}

/** Check `createCluster` options. */
export function resolveClusterOptions(options: ClusterOptions = {}): ResolvedClusterOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`options must be an object, got ${describe(options)}`)
  }
  const brokers = options.brokers ?? 1
  if (!Number.isSafeInteger(brokers) || brokers < 1 || brokers > MAX_BROKERS) {
    throw new InvalidArgumentError(
      `brokers must be an integer in [1, ${MAX_BROKERS}], got ${describe(brokers)}`,
    )
  }
  if (
    options.dataDir !== undefined &&
    (typeof options.dataDir !== 'string' || options.dataDir === '')
  ) {
    throw new InvalidArgumentError(
      `dataDir must be a non-empty string, got ${describe(options.dataDir)}`,
    )
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new InvalidArgumentError(`seed must be an integer, got ${describe(options.seed)}`)
  }
  const clock = checkClock(options.clock)
  const durability = resolveDurability(options.durability)
  if (
    typeof options.config !== 'undefined' &&
    (typeof options.config !== 'object' || options.config === null)
  ) {
    throw new InvalidArgumentError('config must be an object')
  }
  const config = resolveConfig(options.config, durability)
  return {
    brokers,
    dataDir: options.dataDir,
    clock,
    seed: options.seed,
    config,
    durability,
    brokersGiven: options.brokers !== undefined,
    givenConfig: options.config === undefined ? undefined : { ...options.config },
  }
}

/** The broker settings of `given`, with the durability's flush settings where it has none. */
function resolveConfig(
  given: Readonly<Record<string, unknown>> | undefined,
  durability: Durability,
): BrokerConfig {
  const raw = { ...(given ?? {}) }
  if (
    durability.flushMessages !== undefined &&
    raw['log.flush.interval.messages'] === undefined &&
    raw['flush.messages'] === undefined
  ) {
    raw['log.flush.interval.messages'] = durability.flushMessages
  }
  if (
    durability.flushMs !== undefined &&
    raw['log.flush.interval.ms'] === undefined &&
    raw['flush.ms'] === undefined
  ) {
    raw['log.flush.interval.ms'] = durability.flushMs
  }
  return resolveBrokerConfig(raw)
}

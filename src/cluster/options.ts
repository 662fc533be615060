/**
 * The options of `createCluster` and their checks: every bad option is refused before anything
 * starts (`INVALID_ARGUMENT`, or `INVALID_CONFIG` for a broker setting).
 */

import { type BrokerConfig, resolveBrokerConfig } from '../broker/config.js'
import type { ClockOption } from '../common/clock.js'
import { InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import {
  type Durability,
  type DurabilityOptions,
  resolveDurability,
} from '../storage/durability.js'

/** Options of `createCluster`. */
export interface ClusterOptions {
  /** In-process brokers, ids 0..n-1. Default 1. */
  brokers?: number
  /** Persist everything under this directory (and reopen what is there). Default: memory. */
  dataDir?: string
  /** `'real'` (default), `'virtual'` (moves only with `cluster.clock.advance`), or a Clock. */
  clock?: ClockOption
  /** Seed of all randomness (replica placement, cluster id, session ids...). Default: random. */
  seed?: number
  /** Broker settings by Kafka's names; topic settings by their names are defaults for every topic. */
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
}

/** The most brokers a cluster may have. */
export const MAX_BROKERS = 64

function checkClock(clock: unknown): ClockOption {
  if (clock === undefined) return 'real'
  if (clock === 'real' || clock === 'virtual') return clock
  const c = clock as {
    now?: unknown
    setTimeout?: unknown
    clearTimeout?: unknown
    sleep?: unknown
  }
  if (
    typeof c === 'object' &&
    c !== null &&
    typeof c.now === 'function' &&
    typeof c.setTimeout === 'function' &&
    typeof c.clearTimeout === 'function' &&
    typeof c.sleep === 'function'
  ) {
    return clock as ClockOption
  }
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
  const raw = { ...(options.config ?? {}) }
  if (
    typeof options.config !== 'undefined' &&
    (typeof options.config !== 'object' || options.config === null)
  ) {
    throw new InvalidArgumentError('config must be an object')
  }
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
  return {
    brokers,
    dataDir: options.dataDir,
    clock,
    seed: options.seed,
    config: resolveBrokerConfig(raw),
    durability,
  }
}

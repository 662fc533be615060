/**
 * Options of {@link createCoordinator} and their defaults.
 */
import { type Clock, RealClock } from '../common/clock.js'
import { InvalidArgumentError } from '../common/errors.js'
import { createRandom, type Random } from '../common/random.js'
import { toPositiveInt } from '../common/validate.js'
import type { AnyLevel } from '../storage/level-tables.js'

/** Options of {@link createCoordinator}. */
export interface CoordinatorOptions {
  /** Time and timers (session expiry, heartbeats, container checks). Default: the real clock. */
  clock?: Clock
  /** Randomness (the first session id). Default: a randomly seeded generator. */
  random?: Random
  /**
   * An abstract-level database (usually a sublevel) for the txn log and snapshots. Omit it for
   * memory mode. The coordinator opens it if needed and never closes it: the caller owns it.
   */
  db?: AnyLevel
  /** Take a snapshot after this many txns (ZooKeeper's `snapCount`). Default 100,000. */
  snapshotEveryTxns?: number
  /** ZooKeeper's `tickTime`: session timeouts are clamped to [2, 20] ticks. Default 2,000. */
  tickTimeMs?: number
  /**
   * How often empty containers and expired TTL nodes are looked for (ZooKeeper's
   * `znode.container.checkIntervalMs`). Default 60,000.
   */
  containerCheckIntervalMs?: number
  /** Ask the store to flush to disk before a txn batch is acknowledged. Default true. */
  syncWrites?: boolean
}

/** {@link CoordinatorOptions} with every default filled in. */
export interface ResolvedCoordinatorOptions {
  readonly clock: Clock
  readonly random: Random
  readonly db: AnyLevel | undefined
  readonly snapshotEveryTxns: number
  readonly tickTimeMs: number
  readonly containerCheckIntervalMs: number
  readonly syncWrites: boolean
}

/** Check options and fill in the defaults. */
export function resolveOptions(options: CoordinatorOptions = {}): ResolvedCoordinatorOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('coordinator options must be an object')
  }
  return {
    clock: options.clock ?? new RealClock(),
    random: options.random ?? createRandom(),
    db: options.db,
    snapshotEveryTxns: toPositiveInt(options.snapshotEveryTxns ?? 100_000, 'snapshotEveryTxns'),
    tickTimeMs: toPositiveInt(options.tickTimeMs ?? 2000, 'tickTimeMs'),
    containerCheckIntervalMs: toPositiveInt(
      options.containerCheckIntervalMs ?? 60_000,
      'containerCheckIntervalMs',
    ),
    syncWrites: options.syncWrites ?? true,
  }
}

/** The session timeout ZooKeeper negotiates: the request clamped to [2, 20] ticks. */
export function negotiateTimeout(requestedMs: number, tickTimeMs: number): number {
  return Math.min(Math.max(requestedMs, 2 * tickTimeMs), 20 * tickTimeMs)
}

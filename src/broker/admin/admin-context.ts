/**
 * What the admin request handlers work with: the broker's coordinator access, its settings,
 * its metadata cache (to wait for leaders or deletions to show), the clock and the seeded
 * Random (replica placement). Handlers write the znodes as Kafka's `AdminZkClient` does; the
 * controller acts on them through its watches.
 */
import type { Clock } from '../../common/clock.js'
import { isLogkeeperError } from '../../common/errors.js'
import type { Random } from '../../common/random.js'
import type { ResponseError } from '../api.js'
import type { BrokerConfig } from '../config.js'
import type { MetadataCache } from '../metadata-cache.js'
import type { KafkaZk } from '../zk/kafka-zk.js'

/** The broker side an admin handler needs. */
export interface AdminContext {
  /** The broker's coordinator access. */
  readonly zk: KafkaZk
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** The broker's metadata cache. */
  readonly cache: MetadataCache
  /** Time, for the waits. */
  readonly clock: Clock
  /** Randomness, for replica placement. */
  readonly random: Random
  /**
   * Resolves once the controller has handled what the request caused and every live broker
   * has heard of it, so that any broker answers the next request with the change.
   */
  settled(): Promise<void>
}

/**
 * After a successful wait: let every live broker catch up too, within what is left of
 * `timeoutMs` (a broker cut off from the controller does not hold the answer back longer).
 */
export async function settle(ctx: AdminContext, started: number, timeoutMs: number): Promise<void> {
  const left = started + timeoutMs - ctx.clock.now()
  if (left <= 0) return
  const deadline = new AbortController()
  try {
    const timeUp = ctx.clock.sleep(left, deadline.signal).catch(() => undefined)
    await Promise.race([ctx.settled(), timeUp])
  } finally {
    deadline.abort() // clears the sleep's timer when the brokers caught up first
  }
}

/** A failure of one topic or resource, carried in-band. */
export class AdminFailure extends Error {
  /** A failure with `error` and Kafka's message. */
  constructor(readonly error: ResponseError & { error: NonNullable<ResponseError['error']> }) {
    super(error.errorMessage ?? error.error)
  }
}

/**
 * The most partitions a topic may have. Kafka sets no limit, but here every partition is a
 * log, a replica and znodes in this process: a count such as 2^31 - 1 would exhaust the heap
 * instead of failing (ZooKeeper-mode Kafka's guidance was 200,000 partitions per cluster).
 */
export const MAX_PARTITIONS_PER_TOPIC = 100_000

/** `INVALID_PARTITIONS` when a topic would have more than {@link MAX_PARTITIONS_PER_TOPIC}. */
export function checkPartitionCount(count: number): void {
  if (count > MAX_PARTITIONS_PER_TOPIC) {
    fail(
      'INVALID_PARTITIONS',
      `A topic may have at most ${MAX_PARTITIONS_PER_TOPIC} partitions, got ${count}.`,
    )
  }
}

/** Throw an in-band failure with `code` and `message`. */
export function fail(code: NonNullable<ResponseError['error']>, message: string): never {
  throw new AdminFailure({ error: code, errorMessage: message })
}

/** The response error of a caught failure (coded errors keep their code). */
export function toResponseError(err: unknown): ResponseError {
  if (err instanceof AdminFailure) return err.error
  if (isLogkeeperError(err)) return { error: err.code, errorMessage: err.message }
  return { error: 'UNKNOWN_SERVER_ERROR', errorMessage: String(err) }
}

/** The names that appear more than once in `names`. */
export function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const n of names) (seen.has(n) ? dup : seen).add(n)
  return dup
}

/** Kafka's `REQUEST_TIMED_OUT` for an admin wait that ran out. */
export const TIMED_OUT: ResponseError = {
  error: 'REQUEST_TIMED_OUT',
  errorMessage: 'Operation timed out.',
}

/** The live broker ids (from the coordinator, as `AdminZkClient.getBrokerMetadatas`). */
export async function liveBrokerIds(ctx: AdminContext): Promise<number[]> {
  return (await ctx.zk.liveBrokers()).map((b) => b.nodeId)
}

/** Check a replica assignment: no duplicates in a partition, one factor, live brokers. */
export function checkAssignment(
  assignment: readonly (readonly number[])[],
  live: readonly number[],
  replicationFactor?: number,
): void {
  const factor = replicationFactor ?? assignment[0]?.length ?? 0
  for (const replicas of assignment) {
    if (replicas.length === 0)
      fail('INVALID_REPLICA_ASSIGNMENT', 'A partition must have at least one replica.')
    if (new Set(replicas).size !== replicas.length) {
      fail(
        'INVALID_REPLICA_ASSIGNMENT',
        `Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')}.`,
      )
    }
    if (replicas.length !== factor) {
      fail(
        'INVALID_REPLICA_ASSIGNMENT',
        `All partitions should have the same number of replicas: ${factor}.`,
      )
    }
    const unknown = replicas.filter((id) => !live.includes(id))
    if (unknown.length > 0) {
      fail(
        'INVALID_REPLICA_ASSIGNMENT',
        `Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`,
      )
    }
  }
}

/**
 * Talking to a group's coordinator: finding it (FindCoordinator, retried with backoff while
 * it is not available), sending it requests (a dead coordinator, `NOT_COORDINATOR` or
 * `COORDINATOR_NOT_AVAILABLE` forget it, so the next request finds the new one), and the
 * offset requests (OffsetCommit, OffsetFetch) with their retries.
 */
import type { ApiName, ApiRequests, ApiResponses } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { withRetries } from '../client/retry.js'
import type { Clock } from '../common/clock.js'
import { type ErrorCode, fromCode, isLogkeeperError } from '../common/errors.js'
import { untilAborted } from '../common/wake.js'
import { tpKey } from './subscription-state.js'
import type { TopicPartition } from './types.js'

/** Errors that mean "find the coordinator again". */
const COORDINATOR_GONE: ReadonlySet<string> = new Set([
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
])

/** How long coordinator requests retry (Kafka's `default.api.timeout.ms`). */
export const DEFAULT_API_TIMEOUT_MS = 60_000

/** A commit's generation: -1 and '' outside a group generation. */
export interface CommitIdentity {
  /** The generation. */
  readonly generationId: number
  /** The member id. */
  readonly memberId: string
  /** The static instance id, or null. */
  readonly groupInstanceId: string | null
}

/** An offset to commit. */
export interface OffsetToCommit extends TopicPartition {
  /** The next offset to read. */
  readonly offset: number
}

/** A group's coordinator, found and remembered. */
export class GroupClient {
  readonly #client: ClusterClient
  readonly #clock: Clock
  readonly #backoffMs: number
  #coordinatorId: number | undefined
  #finding: Promise<number> | undefined
  readonly #closed = new AbortController()

  /**
   * @param client - the cluster client
   * @param clock - time for backoff
   * @param groupId - the group
   * @param backoffMs - the wait before a retry
   */
  constructor(
    client: ClusterClient,
    clock: Clock,
    readonly groupId: string,
    backoffMs: number,
  ) {
    this.#client = client
    this.#clock = clock
    this.#backoffMs = backoffMs
  }

  /** The coordinator's broker id when known. */
  get coordinatorId(): number | undefined {
    return this.#coordinatorId
  }

  /** Forget the coordinator (it died or moved). */
  markUnknown(): void {
    this.#coordinatorId = undefined
  }

  /**
   * The coordinator, found with FindCoordinator when not known (retried while not available).
   * Callers share one search; `signal` ends the caller's wait, not the search.
   */
  coordinator(signal?: AbortSignal): Promise<number> {
    if (this.#coordinatorId !== undefined) return Promise.resolve(this.#coordinatorId)
    this.#finding ??= withRetries(
      async () => {
        const r = await this.#client.sendToAny('FindCoordinator', { key: this.groupId, keyType: 0 })
        if (r.error !== undefined) throw fromCode(r.error, r.errorMessage ?? r.error)
        this.#coordinatorId = r.nodeId
        return r.nodeId
      },
      {
        clock: this.#clock,
        retries: Number.MAX_SAFE_INTEGER,
        backoffMs: this.#backoffMs,
        deadline: this.#clock.now() + DEFAULT_API_TIMEOUT_MS,
        signal: this.#closed.signal,
      },
    ).finally(() => {
      this.#finding = undefined
    })
    return signal === undefined ? this.#finding : untilAborted(this.#finding, signal)
  }

  /** Stop: searches for the coordinator and retries end (with `CLOSED`), no timer is left. */
  close(): void {
    this.#closed.abort(fromCode('CLOSED', 'the group client is closed'))
  }

  /**
   * Send one request to the coordinator. A network failure or a top-level `NOT_COORDINATOR` /
   * `COORDINATOR_NOT_AVAILABLE` forgets the coordinator and rejects (retriable).
   */
  async send<K extends ApiName>(
    api: K,
    request: ApiRequests[K],
    signal?: AbortSignal,
  ): Promise<ApiResponses[K]> {
    const id = await this.coordinator(signal)
    let response: ApiResponses[K]
    try {
      const sent = this.#client.send(id, api, request)
      response = await (signal === undefined ? sent : untilAborted(sent, signal))
    } catch (err) {
      if (isLogkeeperError(err) && COORDINATOR_GONE.has(err.code)) this.markUnknown()
      throw err
    }
    const error = (response as { error?: ErrorCode }).error
    if (error !== undefined && COORDINATOR_GONE.has(error)) {
      this.markUnknown()
      throw fromCode(error, `${api} to broker ${id}: ${error}`)
    }
    return response
  }

  /** Whether an error means the coordinator must be found again (so the caller may retry). */
  static isCoordinatorError(err: unknown): boolean {
    return (
      isLogkeeperError(err) &&
      (COORDINATOR_GONE.has(err.code) || err.code === 'COORDINATOR_LOAD_IN_PROGRESS')
    )
  }

  /** Run `attempt` again after coordinator errors (re-finding it), until the API timeout. */
  retrying<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetries(attempt, {
      clock: this.#clock,
      retries: Number.MAX_SAFE_INTEGER,
      backoffMs: this.#backoffMs,
      deadline: this.#clock.now() + DEFAULT_API_TIMEOUT_MS,
      isRetriable: GroupClient.isCoordinatorError,
      signal: signal ? AbortSignal.any([signal, this.#closed.signal]) : this.#closed.signal,
    })
  }

  /**
   * Commit offsets. The first partition error rejects: `ILLEGAL_GENERATION`,
   * `UNKNOWN_MEMBER_ID` and `REBALANCE_IN_PROGRESS` say the generation is over (the member
   * must rejoin); coordinator errors are retried.
   */
  commit(
    identity: CommitIdentity,
    offsets: readonly OffsetToCommit[],
    signal?: AbortSignal,
  ): Promise<void> {
    const byTopic = new Map<string, OffsetToCommit[]>()
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o])
    return this.retrying(async () => {
      const r = await this.send(
        'OffsetCommit',
        {
          groupId: this.groupId,
          ...identity,
          topics: [...byTopic].map(([topic, list]) => ({
            topic,
            partitions: list.map((o) => ({
              partition: o.partition,
              offset: o.offset,
              leaderEpoch: -1,
              metadata: null,
            })),
          })),
        },
        signal,
      )
      for (const t of r.topics) {
        for (const p of t.partitions) {
          if (p.error === undefined) continue
          if (COORDINATOR_GONE.has(p.error)) this.markUnknown()
          throw fromCode(
            p.error,
            `commit of ${t.topic}-${p.partition}: ${p.errorMessage ?? p.error}`,
          )
        }
      }
    }, signal)
  }

  /** The committed offsets of `tps` by `tpKey` (-1 where none is committed). */
  fetchCommitted(tps: readonly TopicPartition[]): Promise<Map<string, number>> {
    const byTopic = new Map<string, number[]>()
    for (const { topic, partition } of tps) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
    }
    return this.retrying(async () => {
      const r = await this.send('OffsetFetch', {
        groupId: this.groupId,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      })
      if (r.error !== undefined) throw fromCode(r.error, r.errorMessage ?? r.error)
      const out = new Map<string, number>()
      for (const t of r.topics) {
        for (const p of t.partitions) {
          if (p.error !== undefined) throw fromCode(p.error, p.errorMessage ?? p.error)
          out.set(tpKey(t.topic, p.partition), p.offset)
        }
      }
      return out
    })
  }
}

/**
 * The replica manager (Kafka's `ReplicaManager`): hosts a broker's partitions, leads some and
 * follows others as the controller's LeaderAndIsr says, serves Produce, Fetch and ListOffsets
 * for the partitions it leads, fetches the ones it follows from their leaders (one
 * {@link ReplicaFetcher} per leader broker), and keeps the ISR and the high watermark.
 * Periodic work runs on the clock: ISR expiry every `replica.lag.time.max.ms / 2`,
 * checkpoints every `replica.high.watermark.checkpoint.interval.ms` (with a checkpoint store),
 * retention and compaction every `log.retention.check.interval.ms`.
 *
 * LeaderAndIsr and StopReplica are applied one request at a time; produces and fetches run
 * alongside them.
 */

import { fromCode, InvalidArgumentError } from '../../common/errors.js'
import { wakeOrTimeout } from '../../common/wake.js'
import type { ReadOptions, ReadResult } from '../../log/log-read.js'
import type { TopicPartition } from '../../storage/log-store.js'
import type {
  BrokerId,
  FetchRequest,
  FetchResponse,
  LeaderAndIsrRequest,
  LeaderAndIsrResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  PartitionResult,
  ProduceRequest,
  ProduceResponse,
  StopReplicaRequest,
  StopReplicaResponse,
} from '../api.js'
import { logConfigOf } from '../config.js'
import { writeCheckpoints } from './checkpoints.js'
import { type FetcherContext, ReplicaFetcher } from './fetcher.js'
import { expandIsr, shrinkIsr } from './isr-changes.js'
import { type LeaderFetchContext, leaderFetch } from './leader-fetch.js'
import { leaderProduce } from './leader-produce.js'
import { leaderListOffsets } from './list-offsets.js'
import { maintainLogs } from './log-maintenance.js'
import { type Partition, partitionKey } from './partition.js'
import { Periodic } from './periodic.js'
import { applyPartitionState, type StateChangeContext, stopPartition } from './state-changes.js'
import type { ReplicaInfo, ReplicaManagerOptions } from './types.js'

/** Options of {@link ReplicaManager.shutdown}. */
export interface ReplicaShutdownOptions {
  /** A crash: write no checkpoint (the logs are still closed, to release them). */
  readonly crash?: boolean
}

function checkOptions(options: ReplicaManagerOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('replica manager options must be an object')
  }
  if (!Number.isSafeInteger(options.brokerId) || options.brokerId < 0) {
    throw new InvalidArgumentError(`brokerId must be an integer ≥ 0, got ${options.brokerId}`)
  }
  for (const name of ['clock', 'transport', 'config', 'logs', 'isr'] as const) {
    if (typeof options[name] !== 'object' || options[name] === null) {
      throw new InvalidArgumentError(`replica manager option ${name} is missing`)
    }
  }
  if (typeof options.topicConfig !== 'function') {
    throw new InvalidArgumentError('replica manager option topicConfig must be a function')
  }
}

/** A broker's replicas: see the module comment. */
export class ReplicaManager {
  readonly #options: ReplicaManagerOptions
  readonly #partitions = new Map<string, Partition>()
  readonly #fetchers = new Map<BrokerId, ReplicaFetcher>()
  readonly #tasks: Periodic[] = []
  readonly #fetchContext: LeaderFetchContext
  readonly #fetcherContext: FetcherContext
  readonly #stateContext: StateChangeContext
  #controllerEpoch = -1
  /** Followers' fetches held until this broker hears of its leadership (see `fetch`). */
  readonly #awaitingState = new Set<() => void>()
  /** Counts applied LeaderAndIsr requests. */
  #stateVersion = 0
  #stateChanges: Promise<unknown> = Promise.resolve()
  #closed = false

  /**
   * A replica manager hosting nothing yet; its periodic tasks start now.
   *
   * @param options - the broker around it (see {@link ReplicaManagerOptions})
   */
  constructor(options: ReplicaManagerOptions) {
    checkOptions(options)
    this.#options = options
    const { clock, config, isr } = options
    const partitions = this.#partitions
    this.#fetchContext = {
      clock,
      partitions,
      expandIsr: (p, replicaId) => void expandIsr(isr, p, replicaId),
    }
    this.#fetcherContext = {
      brokerId: options.brokerId,
      clock,
      config,
      transport: options.transport,
      resetLog: (p, offset) => this.#resetLog(p, offset),
    }
    this.#stateContext = {
      options,
      partitions,
      follow: (p, leader) => this.#follow(p, leader),
      unfollow: (key) => this.#unfollow(key),
    }
    const lagMs = config['replica.lag.time.max.ms']
    this.#every(Math.max(1, Math.floor(lagMs / 2)), () => this.#expireIsr(lagMs))
    const checkpoints = options.checkpoints
    if (checkpoints !== undefined) {
      this.#every(config['replica.high.watermark.checkpoint.interval.ms'], () =>
        writeCheckpoints(checkpoints, this.#partitions.values()),
      )
    }
    this.#every(config['log.retention.check.interval.ms'], () =>
      maintainLogs(this.#partitions.values()),
    )
  }

  #every(intervalMs: number, task: () => Promise<void>): void {
    const periodic = new Periodic(this.#options.clock, intervalMs, task)
    this.#tasks.push(periodic)
    periodic.start()
  }

  #checkOpen(): void {
    if (this.#closed)
      throw fromCode('CLOSED', `replica manager of broker ${this.#options.brokerId} is shut down`)
  }

  /** Run state changes one at a time. */
  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#stateChanges.then(run)
    this.#stateChanges = next.catch(() => undefined)
    return next
  }

  /**
   * Apply a controller's LeaderAndIsr: an older controller epoch than the highest seen is
   * refused whole (`STALE_CONTROLLER_EPOCH`); per partition, an older leader epoch is
   * `FENCED_LEADER_EPOCH`, a partition not assigned here `UNKNOWN_TOPIC_OR_PARTITION`. Logs
   * are opened when absent (from their checkpoints). A leader starts a new leader epoch at its
   * log end; a follower starts fetching from its leader.
   */
  becomeLeaderOrFollower(req: LeaderAndIsrRequest): Promise<LeaderAndIsrResponse> {
    return this.#fromController('LeaderAndIsr', req, async (state) => {
      if (!this.#closed) return applyPartitionState(this.#stateContext, state, req.liveLeaders)
      return { topic: state.topic, partition: state.partition, error: 'NOT_LEADER_OR_FOLLOWER' }
    })
  }

  /**
   * A controller's request about partitions, applied one partition at a time after the state
   * changes before it; one from an older controller epoch than the highest seen is refused
   * whole (`STALE_CONTROLLER_EPOCH`).
   */
  #fromController<P extends { readonly topic: string; readonly partition: number }>(
    api: string,
    req: { readonly controllerEpoch: number; readonly partitions: readonly P[] },
    apply: (p: P) => Promise<PartitionResult>,
  ): Promise<{ error?: 'STALE_CONTROLLER_EPOCH'; partitions: PartitionResult[] }> {
    this.#checkOpen()
    if (typeof req !== 'object' || req === null || !Array.isArray(req.partitions)) {
      throw new InvalidArgumentError(`a ${api} request needs a partitions array`)
    }
    return this.#serial(async () => {
      if (req.controllerEpoch < this.#controllerEpoch) {
        return {
          error: 'STALE_CONTROLLER_EPOCH',
          partitions: req.partitions.map((s) => stale(s.topic, s.partition)),
        }
      }
      this.#controllerEpoch = req.controllerEpoch
      const partitions: PartitionResult[] = []
      for (const p of req.partitions) partitions.push(await apply(p))
      this.#stateChanged()
      return { partitions }
    })
  }

  /**
   * Apply a controller's StopReplica: stop fetching and leading these partitions; with
   * `deletePartition`, close and delete their logs (and checkpoints) and stop hosting them.
   */
  stopReplicas(req: StopReplicaRequest): Promise<StopReplicaResponse> {
    return this.#fromController('StopReplica', req, (s) =>
      stopPartition(this.#stateContext, s, s.deletePartition === true),
    )
  }

  /** Serve Produce for the partitions this broker leads (see leader-produce.ts). */
  produce(req: ProduceRequest): Promise<ProduceResponse> {
    this.#checkOpen()
    return leaderProduce(this.#fetchContext, req)
  }

  /** Serve Fetch from consumers and followers (see leader-fetch.ts). */
  async fetch(req: FetchRequest): Promise<FetchResponse> {
    this.#checkOpen()
    let seen = this.#stateVersion
    let response = await leaderFetch(this.#fetchContext, req)
    if (req.replicaId < 0 || req.maxWaitMs <= 0) return response
    // The controller tells leaders and followers at the same time, so a follower may ask
    // before this broker knows it leads. Hold the fetch until a LeaderAndIsr makes it
    // servable (or maxWaitMs passes), rather than let the follower back off: no time need
    // pass for a new leader to be followed.
    const deadline = this.#options.clock.now() + req.maxWaitMs
    while (waitsForState(response)) {
      const left = deadline - this.#options.clock.now()
      // A state change applied while the fetch was read may already have made it servable.
      if (seen === this.#stateVersion) {
        if (left <= 0 || !(await this.#nextStateChange(left, req.signal))) return response
      }
      seen = this.#stateVersion
      response = await leaderFetch(this.#fetchContext, req)
    }
    return response
  }

  /** Resolves true at the next LeaderAndIsr applied, false after `ms` or on abort or shutdown. */
  #nextStateChange(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false)
    const subscribe = (wake: () => void) => {
      this.#awaitingState.add(wake)
      return () => this.#awaitingState.delete(wake)
    }
    return wakeOrTimeout(this.#options.clock, ms, subscribe, signal).then(
      (changed) => changed && !this.#closed,
    )
  }

  #stateChanged(): void {
    this.#stateVersion++
    for (const wake of [...this.#awaitingState]) wake()
  }

  /** Serve ListOffsets for the partitions this broker leads (see list-offsets.ts). */
  listOffsets(req: ListOffsetsRequest): Promise<ListOffsetsResponse> {
    this.#checkOpen()
    if (typeof req !== 'object' || req === null || !Array.isArray(req.topics)) {
      throw new InvalidArgumentError('a ListOffsets request needs a topics array')
    }
    return leaderListOffsets(this.#partitions, req)
  }

  /** The topic's settings changed: apply them to its hosted logs (and `min.insync.replicas`). */
  topicConfigChanged(topic: string): void {
    this.#checkOpen()
    const config = this.#options.topicConfig(topic)
    const logConfig = logConfigOf(config)
    for (const p of this.#partitions.values()) {
      if (p.topicPartition.topic !== topic || p.log.closed) continue
      p.log.setConfig(logConfig)
      p.minInsyncReplicas = config['min.insync.replicas']
    }
  }

  /** A snapshot of a hosted partition, or undefined. */
  replica(tp: TopicPartition): ReplicaInfo | undefined {
    return this.#partitions.get(partitionKey(tp.topic, tp.partition))?.info()
  }

  /**
   * Read this broker's own copy of a hosted partition (leader or follower) up to its log end,
   * as `PartitionLog.read` does: for tests and tools that compare replicas. Undefined when
   * the partition is not hosted here.
   */
  async readLocal(
    tp: TopicPartition,
    fromOffset: number,
    options?: ReadOptions,
  ): Promise<ReadResult | undefined> {
    this.#checkOpen()
    const p = this.#partitions.get(partitionKey(tp.topic, tp.partition))
    if (p === undefined || p.log.closed) return undefined
    return p.log.read(fromOffset, options)
  }

  /** Snapshots of every hosted partition. */
  replicas(): ReplicaInfo[] {
    return [...this.#partitions.values()].map((p) => p.info())
  }

  /**
   * Stop: timers and fetchers end, waiting produces answer `NOT_LEADER_OR_FOLLOWER` and held
   * fetches answer at once, checkpoints are written (unless `crash`), logs are closed.
   * Idempotent; later calls of the other methods are `CLOSED`.
   */
  async shutdown(options: ReplicaShutdownOptions = {}): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#stateChanged()
    await Promise.all(this.#tasks.map((t) => t.stop()))
    await Promise.all([...this.#fetchers.values()].map((f) => f.stop()))
    this.#fetchers.clear()
    await this.#stateChanges
    for (const p of this.#partitions.values()) p.stopLeading()
    // Logs close first (everything written), then the checkpoints record them as closed
    // cleanly, so the next open need not read them again. A crash writes no checkpoint.
    const partitions = [...this.#partitions.values()]
    const closed = await Promise.allSettled(partitions.map((p) => p.log.close()))
    const checkpoints = this.#options.checkpoints
    if (checkpoints !== undefined && options.crash !== true) {
      await writeCheckpoints(checkpoints, partitions, { closing: true })
    }
    this.#partitions.clear()
    const failed = closed.find((r) => r.status === 'rejected')
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason
  }

  async #expireIsr(lagMs: number): Promise<void> {
    const now = this.#options.clock.now()
    for (const p of [...this.#partitions.values()]) {
      if (p.isLeader) await shrinkIsr(this.#options.isr, p, now, lagMs)
    }
  }

  #follow(p: Partition, leader: BrokerId): void {
    if (this.#closed) return
    let fetcher = this.#fetchers.get(leader)
    if (fetcher === undefined) {
      fetcher = new ReplicaFetcher(this.#fetcherContext, leader)
      this.#fetchers.set(leader, fetcher)
    }
    fetcher.add(p)
  }

  async #unfollow(key: string): Promise<void> {
    for (const [leader, fetcher] of this.#fetchers) {
      if (!fetcher.has(key)) continue
      await fetcher.remove(key)
      if (fetcher.size === 0 && this.#fetchers.get(leader) === fetcher) {
        this.#fetchers.delete(leader)
        await fetcher.stop()
      }
    }
  }

  async #resetLog(p: Partition, offset: number): Promise<void> {
    const { logs, topicConfig } = this.#options
    const tp = p.topicPartition
    await p.log.close()
    await logs.delete(tp)
    p.log = await logs.open(tp, topicConfig(tp.topic), {
      highWatermark: offset,
      logStartOffset: offset,
    })
    p.epochs.clear()
  }
}

function stale(topic: string, partition: number): PartitionResult {
  return { topic, partition, error: 'STALE_CONTROLLER_EPOCH' }
}

/** Errors a follower gets when the leader has not yet heard of the state the follower has. */
const BEHIND_STATE = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'UNKNOWN_LEADER_EPOCH',
  'NOT_LEADER_OR_FOLLOWER',
])

/** Whether every partition of a follower's fetch failed because this broker is behind. */
function waitsForState(response: FetchResponse): boolean {
  for (const t of response.topics) {
    for (const p of t.partitions)
      if (p.error === undefined || !BEHIND_STATE.has(p.error)) return false
  }
  return response.topics.length > 0
}

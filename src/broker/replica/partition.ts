/**
 * One hosted partition (Kafka's `Partition`): its log and leader epochs, the state the last
 * LeaderAndIsr gave it, and, while this broker leads it, what the leader knows of each
 * follower (log end offset, when it last caught up). The high watermark is the smallest log
 * end offset in the ISR, the leader's own counted only as far as it is written to the OS (a
 * consumer never reads a record a crash of the process could lose); raising it completes
 * acks=-1 produces waiting on it.
 */
import type { AppendOptions } from '../../log/log-append.js'
import type { PartitionLog } from '../../log/partition-log.js'
import type { TopicPartition } from '../../storage/log-store.js'
import { type BrokerId, NO_LEADER, type PartitionState } from '../api.js'
import { ProduceQueue } from './delayed-produce.js'
import type { LeaderEpochCache } from './leader-epoch-cache.js'
import type { ReplicaInfo } from './types.js'

/** The map key of a partition: `topic \u0000 partition`. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

/** What a leader knows of one follower (Kafka's `Replica` state). */
export interface FollowerState {
  /** The follower's log end offset (its last fetch offset), -1 until it fetches. */
  logEndOffset: number
  /** When it last had everything the leader had (see {@link Partition.updateFollower}). */
  lastCaughtUpTimeMs: number
  /** The leader's log end offset at the follower's previous fetch. */
  lastFetchLeaderLogEndOffset: number
  /** When the follower's previous fetch was served. */
  lastFetchTimeMs: number
}

/** Why a held fetch on a partition is woken. */
export type WakeReason = 'append' | 'highWatermark' | 'state'

/** A held fetch, woken when its partition changes. */
export interface FetchWaiter {
  /** The partition got records (`append`), a higher high watermark, or a new state. */
  wake(reason: WakeReason): void
}

/** One partition this broker hosts, as leader or follower. */
export class Partition {
  /** The map key (see {@link partitionKey}). */
  readonly key: string
  /** The leader, or {@link NO_LEADER}. */
  leader: BrokerId = NO_LEADER
  /** The leader epoch of the last LeaderAndIsr applied. */
  leaderEpoch = -1
  /** The version of the partition's state znode (for conditional ISR writes). */
  zkVersion = -1
  /** The controller epoch of the last LeaderAndIsr applied. */
  controllerEpoch = -1
  /** The in-sync replicas (the leader's own view while leading). */
  isr: readonly BrokerId[] = []
  /** Every replica. */
  replicas: readonly BrokerId[] = []
  /** Whether this broker leads the partition. */
  isLeader = false
  /** The log end offset when this broker became leader in the current epoch. */
  leaderEpochStartOffset = 0
  /** The topic's `min.insync.replicas`. */
  minInsyncReplicas: number
  /** Followers' states, while leading. */
  readonly followers = new Map<BrokerId, FollowerState>()
  /** An ISR write is in flight (one at a time, as Kafka's). */
  isrUpdating = false
  /** acks=-1 produces waiting for the high watermark. */
  readonly acks = new ProduceQueue()
  /** Held fetches that read this partition. */
  readonly fetchWaiters = new Set<FetchWaiter>()
  /** While leading: the log end offset as far as it is written to the OS. */
  #writtenEnd = 0
  #optionsEpoch = Number.NaN
  #checkedOptions: AppendOptions = {}
  #trustedOptions: AppendOptions = {}

  /**
   * A hosted partition over an open log.
   *
   * @param topicPartition - the partition
   * @param brokerId - this broker
   * @param log - its open log
   * @param epochs - its leader epochs
   * @param minInsyncReplicas - the topic's `min.insync.replicas`
   */
  constructor(
    readonly topicPartition: TopicPartition,
    readonly brokerId: BrokerId,
    public log: PartitionLog,
    readonly epochs: LeaderEpochCache,
    minInsyncReplicas: number,
  ) {
    this.key = partitionKey(topicPartition.topic, topicPartition.partition)
    this.minInsyncReplicas = minInsyncReplicas
  }

  /**
   * The options of a leader append in the current epoch, CRC-checked unless `trusted` (one
   * object per epoch, not per append).
   */
  appendOptions(trusted: boolean): AppendOptions {
    const leaderEpoch = this.leaderEpoch
    if (this.#optionsEpoch !== leaderEpoch) {
      this.#optionsEpoch = leaderEpoch
      this.#checkedOptions = Object.freeze({ leaderEpoch, verifyCrc: true })
      this.#trustedOptions = Object.freeze({ leaderEpoch, verifyCrc: false })
    }
    return trusted ? this.#trustedOptions : this.#checkedOptions
  }

  /** The state as the controller wrote it, with this broker's ISR (for the ISR writer). */
  state(isr: readonly BrokerId[] = this.isr): PartitionState {
    return {
      topic: this.topicPartition.topic,
      partition: this.topicPartition.partition,
      controllerEpoch: this.controllerEpoch,
      leader: this.leader,
      leaderEpoch: this.leaderEpoch,
      isr,
      zkVersion: this.zkVersion,
      replicas: this.replicas,
    }
  }

  /** Take the fields of a LeaderAndIsr state. */
  applyState(s: PartitionState): void {
    this.leader = s.leader
    this.leaderEpoch = s.leaderEpoch
    this.zkVersion = s.zkVersion
    this.controllerEpoch = s.controllerEpoch
    this.isr = s.isr.slice()
    this.replicas = s.replicas.slice()
  }

  /**
   * Lead from now on in `s.leaderEpoch` (a new epoch when `newEpoch`): the epoch starts at the
   * log end; followers are tracked afresh, ISR members counted as caught up now.
   */
  makeLeader(s: PartitionState, newEpoch: boolean, nowMs: number): void {
    const wasLeader = this.isLeader
    this.applyState(s)
    this.isLeader = true
    if (newEpoch || !wasLeader) {
      const leo = this.log.logEndOffset
      this.epochs.assign(s.leaderEpoch, leo)
      this.leaderEpochStartOffset = leo
      this.followers.clear()
      this.#writtenEnd = this.log.highWatermark
      this.#noteWritten()
    }
    for (const id of this.replicas) {
      if (id === this.brokerId || this.followers.has(id)) continue
      this.followers.set(id, {
        logEndOffset: -1,
        lastCaughtUpTimeMs: this.isr.includes(id) ? nowMs : 0,
        lastFetchLeaderLogEndOffset: -1,
        lastFetchTimeMs: 0,
      })
    }
    this.maybeIncrementHighWatermark()
    this.wakeAll('state')
  }

  /** Follow `s.leader` from now on; acks=-1 produces waiting here fail. */
  makeFollower(s: PartitionState): void {
    const wasLeader = this.isLeader
    this.applyState(s)
    this.isLeader = false
    this.followers.clear()
    if (wasLeader) this.acks.failAll('NOT_LEADER_OR_FOLLOWER')
    this.wakeAll('state')
  }

  /** Stop leading without a new leader (StopReplica, shutdown): waiters fail or answer. */
  stopLeading(): void {
    if (this.isLeader) this.acks.failAll('NOT_LEADER_OR_FOLLOWER')
    this.isLeader = false
    this.leader = NO_LEADER
    this.followers.clear()
    this.wakeAll('state')
  }

  /** Wake every held fetch on this partition (a waiter may leave the set as it is woken). */
  wakeAll(reason: WakeReason): void {
    if (this.fetchWaiters.size === 0) return
    for (const w of this.fetchWaiters) w.wake(reason)
  }

  /** The leader appended: wake followers' held fetches; raise the HW once the append is written. */
  onLeaderAppend(): void {
    if (this.fetchWaiters.size > 0) for (const w of this.fetchWaiters) w.wake('append')
    this.#noteWritten()
  }

  /** Once the log is written to the OS up to its end as it is now, let the HW count it. */
  #noteWritten(): void {
    const log = this.log
    const end = log.logEndOffset
    log.written().then(
      () => {
        if (this.log !== log || end <= this.#writtenEnd) return
        this.#writtenEnd = end
        this.maybeIncrementHighWatermark()
      },
      () => undefined, // a failed write fails the log's next call, and the HW stays
    )
  }

  /**
   * Record a follower's fetch from `fetchOffset` (its log end) at `nowMs`. Kafka's rule: it
   * caught up now if it fetched up to the leader's end, or at its previous fetch if it fetched
   * up to the leader's end as it was then. Returns false for a replica that is not assigned.
   */
  updateFollower(replicaId: BrokerId, fetchOffset: number, nowMs: number): boolean {
    const f = this.followers.get(replicaId)
    if (f === undefined) return false
    const leaderEnd = this.log.logEndOffset
    if (fetchOffset >= leaderEnd) f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, nowMs)
    else if (fetchOffset >= f.lastFetchLeaderLogEndOffset) {
      f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, f.lastFetchTimeMs)
    }
    f.logEndOffset = fetchOffset
    f.lastFetchLeaderLogEndOffset = leaderEnd
    f.lastFetchTimeMs = nowMs
    return true
  }

  /** Whether a follower outside the ISR may join it: it reached the HW and this epoch's start. */
  canJoinIsr(replicaId: BrokerId): boolean {
    const f = this.followers.get(replicaId)
    return (
      f !== undefined &&
      !this.isr.includes(replicaId) &&
      f.logEndOffset >= this.log.highWatermark &&
      f.logEndOffset >= this.leaderEpochStartOffset
    )
  }

  /** ISR followers that have not caught up within `lagMs` (never the leader). */
  laggingReplicas(nowMs: number, lagMs: number): BrokerId[] {
    const out: BrokerId[] = []
    const leaderEnd = this.log.logEndOffset
    for (const id of this.isr) {
      if (id === this.brokerId) continue
      const f = this.followers.get(id)
      if (f === undefined) continue
      if (f.logEndOffset !== leaderEnd && nowMs - f.lastCaughtUpTimeMs > lagMs) out.push(id)
    }
    return out
  }

  /**
   * Raise the high watermark to the smallest log end offset in the ISR, if that is higher;
   * then complete the acks=-1 produces it covers and wake consumers' held fetches.
   */
  maybeIncrementHighWatermark(): boolean {
    if (!this.isLeader) return false
    const log = this.log
    let hw = Math.min(log.logEndOffset, this.#writtenEnd)
    for (const id of this.isr) {
      if (id === this.brokerId) continue
      const f = this.followers.get(id)
      const end = f === undefined ? -1 : f.logEndOffset
      if (end < hw) hw = end
    }
    if (hw <= log.highWatermark) return false
    log.setHighWatermark(hw)
    this.acks.complete(hw, this.isr.length >= this.minInsyncReplicas)
    if (this.fetchWaiters.size > 0) this.wakeAll('highWatermark')
    return true
  }

  /** A snapshot for {@link ReplicaInfo}. */
  info(): ReplicaInfo {
    const log = this.log
    return {
      topicPartition: this.topicPartition,
      isLeader: this.isLeader,
      leader: this.leader,
      leaderEpoch: this.leaderEpoch,
      isr: this.isr.slice(),
      replicas: this.replicas.slice(),
      logStartOffset: log.logStartOffset,
      highWatermark: log.highWatermark,
      logEndOffset: log.logEndOffset,
    }
  }
}

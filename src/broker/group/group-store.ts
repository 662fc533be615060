/**
 * The groups and offsets of the `__consumer_offsets` partitions this broker leads (Kafka's
 * `GroupMetadataManager`): which partition holds a group, loading a partition's groups and
 * offsets from its log when this broker becomes its leader (COORDINATOR_LOAD_IN_PROGRESS
 * meanwhile), dropping them when it stops leading, and appending group and offset records
 * through the replica manager with acks=-1 (a write counts once the high watermark passes it,
 * so it survives a failover of the coordinator).
 */
import type { Clock } from '../../common/clock.js'
import type { ErrorCode } from '../../common/errors.js'
import { splitBatches } from '../../log/batch-header.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../log/record-batch.js'
import type { RecordInput } from '../../log/record-types.js'
import type { BrokerConfig } from '../config.js'
import type { ReplicaHost } from '../replica-host.js'
import { type CommittedOffset, GroupMetadata, tpKey } from './group.js'
import { MemberMetadata } from './member.js'
import { OFFSETS_TOPIC, partitionFor } from './partition-for.js'
import { decodeGroupValue, decodeKey, decodeOffsetValue, type GroupValue } from './schemas.js'

/** What the store needs from its broker. @internal */
export interface GroupStoreOptions {
  /** Time. */
  readonly clock: Clock
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** The broker's replica manager while it runs. */
  replicas(): ReplicaHost | undefined
  /** The partition count of `__consumer_offsets` (from the metadata cache, else the config). */
  partitionCount(): number
  /** A group was loaded: schedule its members' session timers. */
  onLoaded(group: GroupMetadata): void
  /** A group was unloaded or deleted: answer its held requests, clear its timers. */
  onUnloaded(group: GroupMetadata): void
}

/** One owned partition of `__consumer_offsets`. */
interface Owned {
  /** The leader epoch this broker leads it in. */
  readonly epoch: number
  /** Loading until its log is read. */
  loading: boolean
}

/** Errors of an append, as the coordinator reports them. */
const APPEND_ERRORS: Partial<Record<ErrorCode, ErrorCode>> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'COORDINATOR_NOT_AVAILABLE',
  NOT_ENOUGH_REPLICAS: 'COORDINATOR_NOT_AVAILABLE',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'COORDINATOR_NOT_AVAILABLE',
  NOT_LEADER_OR_FOLLOWER: 'NOT_COORDINATOR',
  KAFKA_STORAGE_ERROR: 'NOT_COORDINATOR',
}

/** The groups this broker coordinates, and their offsets. @internal */
export class GroupStore {
  /** Groups by id. */
  readonly groups = new Map<string, GroupMetadata>()
  readonly #owned = new Map<number, Owned>()
  readonly #options: GroupStoreOptions
  #ops: Promise<void> = Promise.resolve()
  #closed = false
  /** The appends not yet answered. */
  readonly #inFlight = new Set<Promise<unknown>>()

  /** A store owning nothing yet. */
  constructor(options: GroupStoreOptions) {
    this.#options = options
  }

  /** A new Empty group (the caller owns its partition). */
  create(groupId: string): GroupMetadata {
    const group = new GroupMetadata(groupId, 'Empty', this.#options.clock.now())
    this.groups.set(groupId, group)
    return group
  }

  /** The partition of `__consumer_offsets` that holds `groupId`. */
  partitionOf(groupId: string): number {
    return partitionFor(groupId, this.#options.partitionCount())
  }

  /** Whether this broker leads the group's partition (loaded or not). */
  owns(groupId: string): boolean {
    return this.#owned.has(this.partitionOf(groupId))
  }

  /** Whether the group's partition is still loading. */
  isLoading(groupId: string): boolean {
    return this.#owned.get(this.partitionOf(groupId))?.loading === true
  }

  /** Whether any owned partition is loading. */
  get anyLoading(): boolean {
    for (const o of this.#owned.values()) if (o.loading) return true
    return false
  }

  /**
   * This broker leads `partition` in `epoch` (Kafka's `onElection`): load its groups and
   * offsets. A repeated election in the same epoch changes nothing.
   */
  elect(partition: number, epoch: number): Promise<void> {
    const current = this.#owned.get(partition)
    if (current !== undefined && current.epoch >= epoch) return this.#ops
    const owned: Owned = { epoch, loading: true }
    this.#owned.set(partition, owned)
    return this.#serial(async () => {
      if (this.#owned.get(partition) !== owned) return
      this.#drop(partition)
      await this.#load(partition, owned)
    })
  }

  /** This broker no longer leads `partition` (Kafka's `onResignation`): drop its groups. */
  resign(partition: number): Promise<void> {
    if (!this.#owned.has(partition)) return this.#ops
    this.#owned.delete(partition)
    return this.#serial(async () => {
      if (!this.#owned.has(partition)) this.#drop(partition)
    })
  }

  #serial(run: () => Promise<void>): Promise<void> {
    const next = this.#ops.then(run)
    this.#ops = next.catch(() => undefined)
    return next
  }

  #drop(partition: number): void {
    for (const [id, group] of this.groups) {
      if (this.partitionOf(id) !== partition) continue
      this.groups.delete(id)
      this.#options.onUnloaded(group)
    }
  }

  async #load(partition: number, owned: Owned): Promise<void> {
    const tp = { topic: OFFSETS_TOPIC, partition }
    const offsets = new Map<
      string,
      Map<string, CommittedOffset & { topic: string; partition: number }>
    >()
    const groups = new Map<string, GroupValue | null>()
    const rm = this.#options.replicas()
    let next = rm?.replica(tp)?.logStartOffset ?? 0
    for (;;) {
      if (this.#closed || this.#owned.get(partition) !== owned) return
      const read = await rm?.readLocal(tp, next)
      if (read === undefined || read.bytes.length === 0) break
      for (const bytes of splitBatches(read.bytes)) {
        const batch = decodeRecordBatch(bytes)
        if (batch.isControl) continue
        for (const r of batch.records) {
          if (r.key === null) continue
          const logOffset = Number(r.offset)
          const key = decodeKey(r.key)
          if (key.type === 'offset') {
            let byTp = offsets.get(key.group)
            if (byTp === undefined) {
              byTp = new Map()
              offsets.set(key.group, byTp)
            }
            const k = tpKey(key.topic, key.partition)
            if (r.value === null) byTp.delete(k)
            else {
              const v = decodeOffsetValue(r.value)
              byTp.set(k, { ...v, logOffset, topic: key.topic, partition: key.partition })
            }
          } else groups.set(key.group, r.value === null ? null : decodeGroupValue(r.value))
        }
      }
      if (read.nextOffset <= next) break
      next = read.nextOffset
    }
    if (this.#closed || this.#owned.get(partition) !== owned) return
    const now = this.#options.clock.now()
    const ids = new Set([...groups.keys(), ...offsets.keys()])
    for (const id of ids) {
      const value = groups.get(id)
      const committed = offsets.get(id)
      if (value === null && (committed === undefined || committed.size === 0)) continue
      const group =
        value === undefined || value === null
          ? new GroupMetadata(id, 'Empty', now)
          : restore(id, value, now)
      for (const [k, o] of committed ?? []) group.offsets.set(k, o)
      this.groups.set(id, group)
      this.#options.onLoaded(group)
    }
    owned.loading = false
  }

  /**
   * Append records for the group `groupId` to its partition with acks=-1; resolves with the
   * base offset, or the coordinator's error (Kafka's mapping of append errors).
   */
  append(
    groupId: string,
    records: readonly RecordInput[],
  ): Promise<{ error?: ErrorCode; baseOffset: number }> {
    const done = this.#append(groupId, records)
    this.#inFlight.add(done)
    const settled = () => this.#inFlight.delete(done)
    done.then(settled, settled)
    return done
  }

  /** Whether an append is in flight. */
  get appending(): boolean {
    return this.#inFlight.size > 0
  }

  /**
   * Resolves once every append in flight has been answered, and the appends their answers
   * started too (a clean shutdown waits for it before the logs close). Each append is bounded
   * by its own acks=-1 timeout, `offsets.commit.timeout.ms` on the clock, so this ends even
   * when a follower in the ISR is dead; resolves at once when nothing is in flight.
   */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled(this.#inFlight)
  }

  async #append(
    groupId: string,
    records: readonly RecordInput[],
  ): Promise<{ error?: ErrorCode; baseOffset: number }> {
    const rm = this.#options.replicas()
    if (rm === undefined || this.#closed) return { error: 'NOT_COORDINATOR', baseOffset: -1 }
    const batch = encodeRecordBatch({ records, timestamp: this.#options.clock.now() })
    try {
      const response = await rm.produce({
        acks: -1,
        timeoutMs: this.#options.config['offsets.commit.timeout.ms'],
        trusted: true,
        topics: [
          {
            topic: OFFSETS_TOPIC,
            partitions: [{ partition: this.partitionOf(groupId), records: batch }],
          },
        ],
      })
      const p = response.topics[0]!.partitions[0]!
      if (p.error === undefined) return { baseOffset: p.baseOffset }
      return { error: APPEND_ERRORS[p.error] ?? p.error, baseOffset: -1 }
    } catch {
      return { error: 'NOT_COORDINATOR', baseOffset: -1 }
    }
  }

  /** Stop: drop every group (answering held requests) and refuse later loads. */
  close(): void {
    this.#closed = true
    for (const p of [...this.#owned.keys()]) this.#drop(p)
    this.#owned.clear()
  }
}

/** A group as its last GroupMetadataValue left it: Stable with members, else Empty. */
function restore(groupId: string, v: GroupValue, nowMs: number): GroupMetadata {
  const group = new GroupMetadata(groupId, v.members.length > 0 ? 'Stable' : 'Empty', nowMs)
  if (v.currentStateTimestamp >= 0) group.currentStateTimestamp = v.currentStateTimestamp
  group.generationId = v.generation
  group.protocolType = v.protocolType === '' ? undefined : v.protocolType
  group.protocolName = v.protocol ?? undefined
  for (const m of v.members) {
    const member = new MemberMetadata(
      m.memberId,
      m.groupInstanceId,
      m.clientId,
      m.clientHost,
      m.rebalanceTimeoutMs,
      m.sessionTimeoutMs,
      v.protocolType,
      v.protocol === null ? [] : [{ name: v.protocol, metadata: m.subscription }],
    )
    member.assignment = m.assignment
    group.add(member, undefined)
  }
  group.leaderId = v.leader ?? undefined
  return group
}

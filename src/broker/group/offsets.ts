/**
 * Committed offsets (the OffsetCommit and OffsetFetch half of Kafka's `GroupCoordinator` and
 * `GroupMetadataManager`): a commit comes from a member of the current generation, or from a
 * consumer outside any generation (generation -1, member id '') while the group is Empty; it
 * is written to `__consumer_offsets` with acks=-1 and visible to OffsetFetch once the write
 * is acknowledged.
 */
import type { Clock } from '../../common/clock.js'
import type { ErrorCode } from '../../common/errors.js'
import type { RecordInput } from '../../log/record-types.js'
import type {
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
} from '../api.js'
import type { BrokerConfig } from '../config.js'
import { type GroupMetadata, tpKey } from './group.js'
import type { GroupStore } from './group-store.js'
import type { MemberMetadata } from './member.js'
import { encodeGroupKey, encodeGroupValue, encodeOffsetKey, encodeOffsetValue } from './schemas.js'

/** What the offsets half needs from the coordinator. @internal */
export interface OffsetsContext {
  /** Time (commit timestamps). */
  readonly clock: Clock
  /** The broker settings (`offset.metadata.max.bytes`). */
  readonly config: Readonly<BrokerConfig>
  /** The groups and the log. */
  readonly store: GroupStore
  /** The coordinator's status of a group, undefined when it is served here. */
  status(groupId: string, api: 'commit' | 'fetch'): ErrorCode | undefined
  /** Whether a topic partition exists. */
  partitionExists(topic: string, partition: number): boolean
  /** A member showed it is alive (a commit counts as a heartbeat). */
  memberAlive(group: GroupMetadata, member: MemberMetadata): void
}

/** How append errors read for an offset commit. */
const COMMIT_ERRORS: Partial<Record<ErrorCode, ErrorCode>> = {
  MESSAGE_TOO_LARGE: 'INVALID_COMMIT_OFFSET_SIZE',
  RECORD_LIST_TOO_LARGE: 'INVALID_COMMIT_OFFSET_SIZE',
  INVALID_FETCH_SIZE: 'INVALID_COMMIT_OFFSET_SIZE',
}

/** A group's GroupMetadataValue record (with `assignment`, else the members' current ones). @internal */
export function groupRecord(
  group: GroupMetadata,
  assignment?: ReadonlyMap<string, Uint8Array>,
): RecordInput {
  const protocol = group.protocolName ?? null
  return {
    key: encodeGroupKey(group.groupId),
    value: encodeGroupValue({
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol,
      leader: group.leaderId ?? null,
      currentStateTimestamp: group.currentStateTimestamp,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: protocol === null ? new Uint8Array(0) : m.metadata(protocol),
        assignment: assignment?.get(m.memberId) ?? m.assignment,
      })),
    }),
  }
}

type PartitionResult = OffsetCommitResponse['topics'][number]['partitions'][number]

/** OffsetCommit and OffsetFetch. @internal */
export class OffsetsApi {
  readonly #ctx: OffsetsContext

  /** Over a coordinator's store. */
  constructor(ctx: OffsetsContext) {
    this.#ctx = ctx
  }

  /** Serve OffsetCommit. */
  async commit(req: OffsetCommitRequest): Promise<OffsetCommitResponse> {
    const all = (error: ErrorCode): OffsetCommitResponse => ({
      topics: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({ partition: p.partition, error })),
      })),
    })
    const status = this.#ctx.status(req.groupId, 'commit')
    if (status !== undefined) return all(status)
    const store = this.#ctx.store
    let group = store.groups.get(req.groupId)
    if (group === undefined) {
      // No group: only a consumer outside group management may commit (it creates one).
      if (req.generationId >= 0) return all('ILLEGAL_GENERATION')
      group = store.create(req.groupId)
    }
    if (group.is('Dead')) return all('COORDINATOR_NOT_AVAILABLE')
    if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId))
      return all('FENCED_INSTANCE_ID')
    if (!(req.generationId < 0 && group.is('Empty'))) {
      if (!group.has(req.memberId)) return all('UNKNOWN_MEMBER_ID')
      if (req.generationId !== group.generationId) return all('ILLEGAL_GENERATION')
      if (group.is('CompletingRebalance')) return all('REBALANCE_IN_PROGRESS')
      this.#ctx.memberAlive(group, group.get(req.memberId))
    }
    return this.#store(group, req)
  }

  async #store(group: GroupMetadata, req: OffsetCommitRequest): Promise<OffsetCommitResponse> {
    const now = this.#ctx.clock.now()
    const maxMetadata = this.#ctx.config['offset.metadata.max.bytes']
    const records: RecordInput[] = []
    const written: {
      slot: { error?: ErrorCode }
      topic: string
      partition: number
      value: Parameters<typeof encodeOffsetValue>[0]
    }[] = []
    const topics = req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const slot: { partition: number; error?: ErrorCode } = { partition: p.partition }
        const metadata = p.metadata ?? ''
        if (!this.#ctx.partitionExists(t.topic, p.partition))
          slot.error = 'UNKNOWN_TOPIC_OR_PARTITION'
        else if (Buffer.byteLength(metadata, 'utf8') > maxMetadata)
          slot.error = 'OFFSET_METADATA_TOO_LARGE'
        else {
          const value = {
            offset: p.offset,
            leaderEpoch: p.leaderEpoch,
            metadata,
            commitTimestamp: now,
          }
          records.push({
            key: encodeOffsetKey(group.groupId, t.topic, p.partition),
            value: encodeOffsetValue(value),
          })
          written.push({ slot, topic: t.topic, partition: p.partition, value })
        }
        return slot as PartitionResult
      }),
    }))
    if (records.length === 0) return { topics }
    const pending = written.map((w) => tpKey(w.topic, w.partition))
    for (const key of pending) {
      group.pendingOffsetCommits.set(key, (group.pendingOffsetCommits.get(key) ?? 0) + 1)
    }
    const { error, baseOffset } = await this.#ctx.store
      .append(group.groupId, records)
      .finally(() => {
        for (const key of pending) {
          const n = (group.pendingOffsetCommits.get(key) ?? 1) - 1
          if (n > 0) group.pendingOffsetCommits.set(key, n)
          else group.pendingOffsetCommits.delete(key)
        }
      })
    if (error !== undefined) {
      for (const w of written) w.slot.error = COMMIT_ERRORS[error] ?? error
      return { topics }
    }
    written.forEach((w, i) => {
      const key = tpKey(w.topic, w.partition)
      const logOffset = baseOffset + i
      const old = group.offsets.get(key)
      if (old === undefined || old.logOffset < logOffset) {
        group.offsets.set(key, { ...w.value, logOffset, topic: w.topic, partition: w.partition })
      }
    })
    return { topics }
  }

  /** Serve OffsetFetch: -1 where nothing is committed; `topics` null: every committed partition. */
  async fetch(req: OffsetFetchRequest): Promise<OffsetFetchResponse> {
    const status = this.#ctx.status(req.groupId, 'fetch')
    if (status !== undefined) return { error: status, topics: [] }
    const group = this.#ctx.store.groups.get(req.groupId)
    const offsets = group === undefined || group.is('Dead') ? new Map() : group.offsets
    const one = (topic: string, partition: number) => {
      const o = offsets.get(tpKey(topic, partition))
      return o === undefined
        ? { partition, offset: -1, leaderEpoch: -1, metadata: '' }
        : { partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata }
    }
    if (req.topics !== null) {
      return {
        topics: req.topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => one(t.topic, p)),
        })),
      }
    }
    const byTopic = new Map<string, number[]>()
    for (const o of offsets.values()) {
      const list = byTopic.get(o.topic) ?? []
      list.push(o.partition)
      byTopic.set(o.topic, list)
    }
    return {
      topics: [...byTopic.keys()].sort().map((topic) => ({
        topic,
        partitions: byTopic
          .get(topic)!
          .sort((a, b) => a - b)
          .map((p) => one(topic, p)),
      })),
    }
  }

  /** Tombstones for every committed offset of a group (DeleteGroups). */
  tombstones(group: GroupMetadata): RecordInput[] {
    return [...group.offsets.values()].map((o) => ({
      key: encodeOffsetKey(group.groupId, o.topic, o.partition),
      value: null,
    }))
  }
}

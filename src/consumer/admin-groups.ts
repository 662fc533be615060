/**
 * Consumer-group administration over a cluster client, for the admin client to expose:
 * list, describe (members with their decoded subscriptions and assignments), committed offsets
 * with lag, offset resets (refused while the group has members, as Kafka refuses), and
 * deletion.
 */
import { EARLIEST_OFFSET, type GroupState, LATEST_OFFSET } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { withRetries } from '../client/retry.js'
import type { Clock } from '../common/clock.js'
import { type ErrorCode, fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe, toOffset } from '../common/validate.js'
import { validateTopicName } from '../log/topic-name.js'
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription } from './assignors/index.js'
import { GroupClient } from './group-client.js'
import { listOffsets } from './list-offsets.js'
import { tpKey } from './subscription-state.js'
import type { TopicPartition } from './types.js'

/** One member of a described group. */
export interface DescribedMember {
  /** The member id. */
  readonly memberId: string
  /** The static instance id, or null. */
  readonly groupInstanceId: string | null
  /** The client id. */
  readonly clientId: string
  /** The client host. */
  readonly clientHost: string
  /** The subscribed topics (consumer groups), else empty. */
  readonly topics: readonly string[]
  /** The assigned partitions (consumer groups), else empty. */
  readonly assignment: readonly TopicPartition[]
}

/** A group as its coordinator describes it. */
export interface DescribedConsumerGroup {
  /** The group id. */
  readonly groupId: string
  /** Kafka's state (`Dead` for an unknown group). */
  readonly state: GroupState
  /** `consumer`, or '' for an empty group. */
  readonly protocolType: string
  /** The chosen assignor, or ''. */
  readonly protocol: string
  /** The members. */
  readonly members: readonly DescribedMember[]
  /** The broker id of the group's coordinator (Kafka's `ConsumerGroupDescription.coordinator`). */
  readonly coordinator: number
}

/** A group as ListGroups lists it. */
export interface ListedGroup {
  /** The group id. */
  readonly groupId: string
  /** `consumer`, or '' for an empty group. */
  readonly protocolType: string
  /** Its state. */
  readonly state: GroupState
}

/** Committed offset and lag of one partition. */
export interface PartitionOffsetLag {
  /** The partition. */
  readonly partition: number
  /** The committed offset ('-1' when none). */
  readonly offset: string
  /** The high watermark. */
  readonly endOffset: string
  /** End offset minus committed offset, or null when nothing is committed. */
  readonly lag: string | null
  /** The commit's metadata, or null. */
  readonly metadata: string | null
}

/** Where {@link resetOffsets} moves a group's offsets: exactly one of the fields. */
export interface ResetOffsetsOptions {
  /** The group (it must have no members). */
  readonly groupId: string
  /** The topic (all its partitions). */
  readonly topic: string
  /** To the log start. */
  readonly earliest?: boolean
  /** To the high watermark. */
  readonly latest?: boolean
  /** To this offset (clamped to the log's range). */
  readonly offset?: string | number
  /** To the first offset at or after this time (ms), else the end. */
  readonly timestamp?: number
  /** By this many records from the committed offset (clamped). */
  readonly shiftBy?: number
  /** Only these partitions of the topic (default all); each must exist. */
  readonly partitions?: readonly number[]
  /** Compute the new offsets without committing them (`--dry-run`). */
  readonly validateOnly?: boolean
}

/** Every group of the cluster (ListGroups to every broker). */
export async function listGroups(client: ClusterClient): Promise<ListedGroup[]> {
  const meta = await client.metadata([], { force: true })
  const all = await Promise.all(
    [...meta.brokers.keys()].map((id) =>
      client.send(id, 'ListGroups', { statesFilter: [] }).catch(() => ({ groups: [] })),
    ),
  )
  const out = new Map<string, ListedGroup>()
  for (const r of all) {
    for (const g of r.groups) {
      out.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState })
    }
  }
  return [...out.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
}

/** Describe one group through its coordinator. @internal */
export async function describeOneGroup(group: GroupClient): Promise<DescribedConsumerGroup> {
  // The group's own error is in the answer: a coordinator error is retried like a thrown one.
  const g = await group.retrying(async () => {
    const r = await group.send('DescribeGroups', { groups: [group.groupId] })
    const described = r.groups[0]
    if (described === undefined) throw fromCode('GROUP_ID_NOT_FOUND', group.groupId)
    if (described.error === undefined) return described
    const error = fromCode(described.error, described.errorMessage ?? described.error)
    if (GroupClient.isCoordinatorError(error)) group.markUnknown()
    throw error
  })
  const consumer = g.protocolType === CONSUMER_PROTOCOL_TYPE
  return {
    groupId: g.groupId,
    state: g.groupState,
    protocolType: g.protocolType,
    protocol: g.protocolData,
    coordinator: group.coordinatorId ?? -1,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      topics:
        consumer && m.memberMetadata.length > 0 ? decodeSubscription(m.memberMetadata).topics : [],
      assignment:
        consumer && m.memberAssignment.length > 0
          ? decodeAssignment(m.memberAssignment).partitions
          : [],
    })),
  }
}

/** Describe groups (state, protocol, members with decoded assignments). */
export function describeGroups(
  client: ClusterClient,
  clock: Clock,
  groupIds: readonly string[],
): Promise<DescribedConsumerGroup[]> {
  checkIds(groupIds)
  return Promise.all(
    groupIds.map((id) => describeOneGroup(new GroupClient(client, clock, id, 100))),
  )
}

/** A group's committed offsets of `topics` (default: every topic it committed) with lag. */
export async function fetchOffsets(
  client: ClusterClient,
  clock: Clock,
  options: { readonly groupId: string; readonly topics?: readonly string[] },
): Promise<{ topic: string; partitions: PartitionOffsetLag[] }[]> {
  checkOptions(options, 'fetchOffsets')
  checkIds([options.groupId])
  if (options.topics !== undefined) checkTopics(options.topics)
  const group = new GroupClient(client, clock, options.groupId, 100)
  let topics = options.topics
  if (topics === undefined) {
    const all = await group.retrying(() =>
      group.send('OffsetFetch', { groupId: options.groupId, topics: null }),
    )
    topics = [...new Set(all.topics.map((t) => t.topic))]
  }
  const wanted = topics
  // A broker that has just restarted may not know the topics yet: ask again (another broker).
  const meta = await withRetries(
    async () => {
      const m = await client.metadata(wanted, { force: true })
      const unknown = wanted.find((topic) => m.partitionCount(topic) === 0)
      if (unknown !== undefined)
        throw fromCode('UNKNOWN_TOPIC_OR_PARTITION', `topic ${unknown} is unknown`)
      return m
    },
    { clock, retries: 5, backoffMs: 100 },
  )
  const tps: TopicPartition[] = []
  for (const topic of topics) {
    const n = meta.partitionCount(topic)
    for (let partition = 0; partition < n; partition++) tps.push({ topic, partition })
  }
  const [committed, ends] = await Promise.all([
    group.fetchCommitted(tps),
    listOffsets(
      client,
      clock,
      tps.map((t) => ({ ...t, timestamp: LATEST_OFFSET })),
    ),
  ])
  return topics.map((topic) => ({
    topic,
    partitions: tps
      .filter((t) => t.topic === topic)
      .map(({ partition }) => {
        const offset = committed.get(tpKey(topic, partition)) ?? -1
        const end = ends.get(tpKey(topic, partition)) ?? 0
        return {
          partition,
          offset: String(offset),
          endOffset: String(end),
          lag: offset < 0 ? null : String(Math.max(0, end - offset)),
          metadata: null,
        }
      }),
  }))
}

/**
 * Move a group's committed offsets of one topic. Refused with `NON_EMPTY_GROUP` while the
 * group has members (Kafka's tools refuse to reset an active group).
 */
export async function resetOffsets(
  client: ClusterClient,
  clock: Clock,
  options: ResetOffsetsOptions,
): Promise<{ topic: string; partition: number; offset: string }[]> {
  checkOptions(options, 'resetOffsets')
  const { groupId, topic } = options
  checkIds([groupId])
  validateTopicName(topic)
  const ways = (['earliest', 'latest', 'offset', 'timestamp', 'shiftBy'] as const).filter(
    (k) => options[k] !== undefined && options[k] !== false,
  )
  if (ways.length !== 1) {
    throw new InvalidArgumentError(
      `resetOffsets needs exactly one of earliest, latest, offset, timestamp, shiftBy; got ${describe(ways)}`,
    )
  }
  const group = new GroupClient(client, clock, groupId, 100)
  const described = await describeOneGroup(group)
  if (described.members.length > 0) {
    throw fromCode(
      'NON_EMPTY_GROUP',
      `group ${groupId} has ${described.members.length} active members: stop them before resetting offsets`,
    )
  }
  const meta = await client.metadata([topic], { force: true })
  const tps = partitionsToReset(topic, meta.partitionCount(topic), options.partitions)
  const at = (timestamp: number) =>
    listOffsets(
      client,
      clock,
      tps.map((t) => ({ ...t, timestamp })),
    )
  const [starts, ends] = await Promise.all([at(EARLIEST_OFFSET), at(LATEST_OFFSET)])
  const clamp = (p: number, o: number) =>
    Math.min(Math.max(o, starts.get(tpKey(topic, p)) ?? 0), ends.get(tpKey(topic, p)) ?? 0)
  let target: (p: number) => number
  if (options.earliest) target = (p) => starts.get(tpKey(topic, p)) ?? 0
  else if (options.latest) target = (p) => ends.get(tpKey(topic, p)) ?? 0
  else if (options.offset !== undefined) {
    const o = toOffset(options.offset)
    target = (p) => clamp(p, o)
  } else if (options.timestamp !== undefined) {
    const found = await at(toOffset(options.timestamp, 'timestamp'))
    target = (p) => found.get(tpKey(topic, p)) ?? 0
  } else {
    const shift = options.shiftBy as number
    if (!Number.isSafeInteger(shift))
      throw new InvalidArgumentError(`shiftBy must be an integer, got ${describe(shift)}`)
    const committed = await group.fetchCommitted(tps)
    target = (p) => {
      const c = committed.get(tpKey(topic, p)) ?? -1
      return clamp(p, (c < 0 ? (ends.get(tpKey(topic, p)) ?? 0) : c) + shift)
    }
  }
  const offsets = tps.map((t) => ({ ...t, offset: target(t.partition) }))
  if (options.validateOnly !== true) {
    await group.commit({ generationId: -1, memberId: '', groupInstanceId: null }, offsets)
  }
  return offsets.map((o) => ({ ...o, offset: String(o.offset) }))
}

/** The partitions of `topic` (of `count`) a reset moves: `only`, checked to exist, or all. */
function partitionsToReset(
  topic: string,
  count: number,
  only: readonly number[] | undefined,
): TopicPartition[] {
  if (count === 0) throw fromCode('UNKNOWN_TOPIC_OR_PARTITION', `topic ${topic} is unknown`)
  if (only === undefined)
    return Array.from({ length: count }, (_, partition) => ({ topic, partition }))
  if (!Array.isArray(only) || only.length === 0) {
    throw new InvalidArgumentError(`partitions must be a non-empty array, got ${describe(only)}`)
  }
  const missing = only.filter((p) => !Number.isSafeInteger(p) || p < 0 || p >= count)
  if (missing.length > 0) {
    const names = missing.map((p) => `${topic}-${p}`).join(',')
    throw fromCode('UNKNOWN_TOPIC_OR_PARTITION', `The partitions "${names}" do not exist`)
  }
  return [...new Set(only)].map((partition) => ({ topic, partition }))
}

/** Delete empty groups and their offsets; per group, the error code if it failed. */
export async function deleteGroups(
  client: ClusterClient,
  clock: Clock,
  groupIds: readonly string[],
): Promise<{ groupId: string; error?: ErrorCode }[]> {
  checkIds(groupIds)
  return Promise.all(
    groupIds.map(async (groupId) => {
      const group = new GroupClient(client, clock, groupId, 100)
      const r = await group.retrying(async () => {
        const res = await group.send('DeleteGroups', { groupsNames: [groupId] })
        const one = res.results[0]
        if (one?.error !== undefined && GroupClient.isCoordinatorError(fromCode(one.error))) {
          group.markUnknown()
          throw fromCode(one.error)
        }
        return one
      })
      return r?.error === undefined ? { groupId } : { groupId, error: r.error }
    }),
  )
}

function checkOptions(options: unknown, what: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`${what} takes an object, got ${describe(options)}`)
  }
}

function checkTopics(topics: readonly string[]): void {
  if (!Array.isArray(topics))
    throw new InvalidArgumentError(`topics must be an array, got ${describe(topics)}`)
  for (const topic of topics) validateTopicName(topic)
}

function checkIds(ids: readonly string[]): void {
  if (!Array.isArray(ids))
    throw new InvalidArgumentError(`group ids must be an array, got ${describe(ids)}`)
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidArgumentError(`a group id must be a non-empty string, got ${describe(id)}`)
    }
  }
}

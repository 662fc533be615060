/**
 * A broker's group coordinator (Kafka's `GroupCoordinator`): it serves the group APIs for
 * the groups whose `__consumer_offsets` partition this broker leads. JoinGroup is the
 * {@link Rebalancer}'s; SyncGroup relays the leader's assignment to every member; heartbeats
 * keep members alive and tell them of rebalances; LeaveGroup removes members; offsets are
 * committed to and fetched from the {@link GroupStore}. Every error is Kafka's.
 */
import type { Clock } from '../../common/clock.js'
import { type ErrorCode, fromCode } from '../../common/errors.js'
import type { Random } from '../../common/random.js'
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribedGroup,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from '../api.js'
import type { BrokerConfig } from '../config.js'
import { Periodic } from '../replica/periodic.js'
import type { ReplicaHost } from '../replica-host.js'
import type { GroupMetadata } from './group.js'
import { GroupStore } from './group-store.js'
import { expireOffsets } from './offset-expiry.js'
import { groupRecord, OffsetsApi } from './offsets.js'
import { joinError, Rebalancer } from './rebalance.js'
import { encodeGroupKey } from './schemas.js'

/** What a group coordinator is built from. @internal */
export interface GroupCoordinatorOptions {
  /** Time and timers. */
  readonly clock: Clock
  /** Member ids. */
  readonly random: Random
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** The broker's replica manager while it runs. */
  replicas(): ReplicaHost | undefined
  /** The partition count of `__consumer_offsets`. */
  offsetsPartitionCount(): number
  /** Whether a topic partition exists (OffsetCommit answers UNKNOWN_TOPIC_OR_PARTITION otherwise). */
  partitionExists(topic: string, partition: number): boolean
}

/** The APIs whose group id may be ''. */
type Api = 'join' | 'sync' | 'heartbeat' | 'leave' | 'commit' | 'fetch' | 'describe' | 'delete'
const EMPTY_ID_OK: ReadonlySet<Api> = new Set(['commit', 'fetch', 'describe', 'delete'])
const NO_BYTES = new Uint8Array(0)

/** The group coordinator of one broker: see the module comment. @internal */
export class GroupCoordinator {
  /** The groups and offsets. */
  readonly store: GroupStore
  readonly #o: GroupCoordinatorOptions
  readonly #rebalancer: Rebalancer
  readonly #offsets: OffsetsApi
  readonly #expiry: Periodic
  /** Serving requests (not draining nor shut down). */
  #active = true
  #shutDown = false

  /** A coordinator owning no partition yet. */
  constructor(options: GroupCoordinatorOptions) {
    this.#o = options
    this.store = new GroupStore({
      clock: options.clock,
      config: options.config,
      replicas: options.replicas,
      partitionCount: options.offsetsPartitionCount,
      onLoaded: (group) => {
        for (const m of group.members.values()) this.#rebalancer.scheduleHeartbeat(group, m)
      },
      onUnloaded: (group) => this.#unload(group),
    })
    this.#rebalancer = new Rebalancer({
      clock: options.clock,
      random: options.random,
      initialDelayMs: options.config['group.initial.rebalance.delay.ms'],
      storeGroup: async (group) =>
        (await this.store.append(group.groupId, [groupRecord(group)])).error,
    })
    this.#offsets = new OffsetsApi({
      clock: options.clock,
      config: options.config,
      store: this.store,
      status: (id, api) => this.#status(id, api),
      partitionExists: options.partitionExists,
      memberAlive: (group, member) => this.#rebalancer.scheduleHeartbeat(group, member),
    })
    this.#expiry = new Periodic(
      options.clock,
      options.config['offsets.retention.check.interval.ms'],
      () => this.expireOffsets(),
    )
    this.#expiry.start()
  }

  /**
   * Expire committed offsets as `offsets.retention.minutes` says (see offset-expiry.ts), and
   * drop the Empty groups left without offsets; run every
   * `offsets.retention.check.interval.ms`. Resolves once the tombstones are written.
   */
  async expireOffsets(): Promise<void> {
    if (!this.#active) return
    const now = this.#o.clock.now()
    const retentionMs = this.#o.config['offsets.retention.minutes'] * 60_000
    const writes: Promise<unknown>[] = []
    for (const group of [...this.store.groups.values()]) {
      if (group.is('Dead') || this.store.isLoading(group.groupId)) continue
      const tombstones = expireOffsets(group, now, retentionMs)
      if (group.is('Dead')) this.store.groups.delete(group.groupId)
      if (tombstones.length > 0) writes.push(this.store.append(group.groupId, tombstones))
    }
    await Promise.all(writes)
  }

  /** Offsets: commit and fetch. */
  get offsets(): OffsetsApi {
    return this.#offsets
  }

  /** This broker leads `__consumer_offsets` partition `partition` in `epoch`: load it. */
  onElection(partition: number, epoch: number): Promise<void> {
    return this.store.elect(partition, epoch)
  }

  /** This broker stopped leading `partition`: unload its groups. */
  onResignation(partition: number): Promise<void> {
    return this.store.resign(partition)
  }

  #unload(group: GroupMetadata): void {
    const now = this.#o.clock.now()
    this.#rebalancer.forget(group, 'NOT_COORDINATOR')
    group.transitionTo('Dead', now)
  }

  /** Kafka's `validateGroupStatus`: the error for `groupId`, or undefined when it is ours. */
  #status(groupId: string, api: Api): ErrorCode | undefined {
    if (typeof groupId !== 'string' || (groupId === '' && !EMPTY_ID_OK.has(api))) {
      return 'INVALID_GROUP_ID'
    }
    if (!this.#active) return 'COORDINATOR_NOT_AVAILABLE'
    if (this.store.isLoading(groupId)) return 'COORDINATOR_LOAD_IN_PROGRESS'
    if (!this.store.owns(groupId)) return 'NOT_COORDINATOR'
    return undefined
  }

  /** Serve JoinGroup; a join that starts or waits on a rebalance is held until it ends. */
  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResponse> {
    checkRequest(req, 'JoinGroup')
    checkProtocols(req.protocols)
    const error = this.#status(req.groupId, 'join')
    if (error !== undefined) return Promise.resolve(joinError(error, req.memberId))
    const c = this.#o.config
    if (
      req.sessionTimeoutMs < c['group.min.session.timeout.ms'] ||
      req.sessionTimeoutMs > c['group.max.session.timeout.ms']
    ) {
      return Promise.resolve(joinError('INVALID_SESSION_TIMEOUT', req.memberId))
    }
    if (req.signal?.aborted) return Promise.reject(fromCode('ABORTED', 'the JoinGroup was aborted'))
    const unknown = req.memberId === ''
    let group = this.store.groups.get(req.groupId)
    if (group === undefined) {
      if (!unknown) return Promise.resolve(joinError('UNKNOWN_MEMBER_ID', req.memberId))
      group = this.store.create(req.groupId)
    }
    const g = group
    return new Promise<JoinGroupResponse>((resolve, reject) => {
      let onAbort: (() => void) | undefined
      const cb = (response: JoinGroupResponse) => {
        if (onAbort !== undefined) req.signal?.removeEventListener('abort', onAbort)
        resolve(response)
      }
      if (!this.#acceptJoiningMember(g, req.memberId)) {
        return cb(joinError('GROUP_MAX_SIZE_REACHED', ''))
      }
      if (unknown) this.#rebalancer.joinUnknown(g, req, '', cb)
      else this.#rebalancer.joinKnown(g, req, '', cb)
      if (g.is('PreparingRebalance')) this.#rebalancer.checkJoin(g)
      const member = [...g.members.values()].find((m) => m.awaitingJoin === cb)
      if (member !== undefined && req.signal !== undefined) {
        onAbort = () => {
          reject(fromCode('ABORTED', 'the JoinGroup was aborted'))
          this.#rebalancer.abortJoin(g, member, cb)
        }
        req.signal.addEventListener('abort', onAbort, { once: true })
      }
    })
  }

  /** Kafka's `acceptJoiningMember`: `group.max.size`. */
  #acceptJoiningMember(group: GroupMetadata, memberId: string): boolean {
    const max = this.#o.config['group.max.size']
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true
      case 'PreparingRebalance':
        return (
          (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numAwaiting < max
        )
      default:
        return group.has(memberId) || group.size < max
    }
  }

  /** Serve SyncGroup; members wait for the leader's assignment, which the leader persists. */
  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    checkRequest(req, 'SyncGroup')
    const fail = (error: ErrorCode) => Promise.resolve({ error, assignment: NO_BYTES })
    const status = this.#status(req.groupId, 'sync')
    // A loading coordinator lost the rebalance: the member should rejoin.
    if (status === 'COORDINATOR_LOAD_IN_PROGRESS') return fail('REBALANCE_IN_PROGRESS')
    if (status !== undefined) return fail(status)
    const group = this.store.groups.get(req.groupId)
    if (group === undefined) return fail('UNKNOWN_MEMBER_ID')
    if (group.is('Dead')) return fail('COORDINATOR_NOT_AVAILABLE')
    if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId))
      return fail('FENCED_INSTANCE_ID')
    if (!group.has(req.memberId)) return fail('UNKNOWN_MEMBER_ID')
    if (req.generationId !== group.generationId) return fail('ILLEGAL_GENERATION')
    const member = group.get(req.memberId)
    switch (group.state) {
      case 'Empty':
        return fail('UNKNOWN_MEMBER_ID')
      case 'PreparingRebalance':
        return fail('REBALANCE_IN_PROGRESS')
      case 'Stable':
        this.#rebalancer.syncReceived(group, req.memberId)
        this.#rebalancer.scheduleHeartbeat(group, member)
        return Promise.resolve({ assignment: member.assignment })
      default:
        break
    }
    this.#rebalancer.syncReceived(group, req.memberId)
    return new Promise<SyncGroupResponse>((resolve) => {
      group.answerSync(member, { error: 'REBALANCE_IN_PROGRESS', assignment: NO_BYTES })
      member.awaitingSync = resolve
      if (group.isLeader(req.memberId)) this.#completeSync(group, req)
    })
  }

  /** The leader's SyncGroup: persist the assignment, then hand every member its own. */
  #completeSync(group: GroupMetadata, req: SyncGroupRequest): void {
    const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]))
    const assignment = new Map<string, Uint8Array>()
    for (const id of group.members.keys()) assignment.set(id, given.get(id) ?? NO_BYTES)
    const generation = group.generationId
    void this.store.append(group.groupId, [groupRecord(group, assignment)]).then(({ error }) => {
      if (!group.is('CompletingRebalance') || group.generationId !== generation) return
      if (error !== undefined) {
        const code = error === 'REQUEST_TIMED_OUT' ? 'REBALANCE_IN_PROGRESS' : error
        for (const m of group.members.values()) {
          m.assignment = NO_BYTES
          group.answerSync(m, { error: code, assignment: NO_BYTES })
        }
        this.#rebalancer.maybePrepareRebalance(group)
        return
      }
      for (const m of group.members.values()) {
        m.assignment = assignment.get(m.memberId) ?? NO_BYTES
        group.answerSync(m, { assignment: m.assignment })
        this.#rebalancer.scheduleHeartbeat(group, m)
      }
      group.transitionTo('Stable', this.#o.clock.now())
    })
  }

  /** Serve Heartbeat: REBALANCE_IN_PROGRESS asks the member to rejoin. */
  async heartbeat(req: HeartbeatRequest): Promise<HeartbeatResponse> {
    checkRequest(req, 'Heartbeat')
    const status = this.#status(req.groupId, 'heartbeat')
    if (status !== undefined) return { error: status }
    const group = this.store.groups.get(req.groupId)
    if (group === undefined) return { error: 'UNKNOWN_MEMBER_ID' }
    if (group.is('Dead')) return { error: 'COORDINATOR_NOT_AVAILABLE' }
    if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId)) {
      return { error: 'FENCED_INSTANCE_ID' }
    }
    if (!group.has(req.memberId)) return { error: 'UNKNOWN_MEMBER_ID' }
    if (req.generationId !== group.generationId) return { error: 'ILLEGAL_GENERATION' }
    if (group.is('Empty')) return { error: 'UNKNOWN_MEMBER_ID' }
    this.#rebalancer.scheduleHeartbeat(group, group.get(req.memberId))
    return group.is('PreparingRebalance') ? { error: 'REBALANCE_IN_PROGRESS' } : {}
  }

  /** Serve LeaveGroup (v3: several members; a static member may be named by instance id only). */
  async leaveGroup(req: LeaveGroupRequest): Promise<LeaveGroupResponse> {
    checkRequest(req, 'LeaveGroup')
    const status = this.#status(req.groupId, 'leave')
    if (status !== undefined) return { error: status, members: [] }
    const group = this.store.groups.get(req.groupId)
    const each = (error: ErrorCode | undefined) =>
      req.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        ...(error === undefined ? {} : { error }),
      }))
    if (group === undefined) return { members: each('UNKNOWN_MEMBER_ID') }
    if (group.is('Dead')) return { error: 'COORDINATOR_NOT_AVAILABLE', members: [] }
    const members = req.members.map((m) => {
      const out = { memberId: m.memberId, groupInstanceId: m.groupInstanceId }
      if (m.memberId !== '' && group.pendingMembers.has(m.memberId)) {
        this.#rebalancer.removePending(group, m.memberId)
        return out
      }
      if (group.isStaticMemberFenced(m.memberId, m.groupInstanceId)) {
        return { ...out, error: 'FENCED_INSTANCE_ID' as const }
      }
      const id =
        m.groupInstanceId === null
          ? m.memberId
          : (group.staticMembers.get(m.groupInstanceId) ?? m.memberId)
      const member = group.members.get(id)
      if (member === undefined) return { ...out, error: 'UNKNOWN_MEMBER_ID' as const }
      this.#rebalancer.removeMember(group, member)
      return out
    })
    return { members }
  }

  /** Serve DescribeGroups: an unknown group is Dead with no members. */
  async describeGroups(req: DescribeGroupsRequest): Promise<DescribeGroupsResponse> {
    checkRequest(req, 'DescribeGroups')
    return { groups: req.groups.map((id) => this.#describe(id)) }
  }

  #describe(groupId: string): DescribedGroup {
    const dead: DescribedGroup = {
      groupId,
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    }
    const status = this.#status(groupId, 'describe')
    if (status !== undefined) return { ...dead, error: status }
    const group = this.store.groups.get(groupId)
    if (group === undefined) return dead
    const stable = group.is('Stable')
    const protocol = stable ? (group.protocolName ?? '') : ''
    return {
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: protocol,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(protocol) : NO_BYTES,
        memberAssignment: stable ? m.assignment : NO_BYTES,
      })),
    }
  }

  /** Serve ListGroups: this broker's groups (COORDINATOR_LOAD_IN_PROGRESS while any partition loads). */
  async listGroups(req: ListGroupsRequest): Promise<ListGroupsResponse> {
    checkRequest(req, 'ListGroups')
    if (!this.#active) return { error: 'COORDINATOR_NOT_AVAILABLE', groups: [] }
    const filter = new Set(req.statesFilter)
    const groups = [...this.store.groups.values()]
      .filter((g) => !g.is('Dead') && (filter.size === 0 || filter.has(g.state)))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }))
    return this.store.anyLoading ? { error: 'COORDINATOR_LOAD_IN_PROGRESS', groups } : { groups }
  }

  /** Serve DeleteGroups: empty groups go with their offsets (tombstones); others are NON_EMPTY_GROUP. */
  async deleteGroups(req: DeleteGroupsRequest): Promise<DeleteGroupsResponse> {
    checkRequest(req, 'DeleteGroups')
    const results: DeleteGroupsResponse['results'][number][] = []
    for (const groupId of req.groupsNames) {
      const status = this.#status(groupId, 'delete')
      const group = this.store.groups.get(groupId)
      if (status !== undefined) results.push({ groupId, error: status })
      else if (group === undefined || group.is('Dead'))
        results.push({ groupId, error: 'GROUP_ID_NOT_FOUND' })
      else if (!group.is('Empty')) results.push({ groupId, error: 'NON_EMPTY_GROUP' })
      else {
        group.transitionTo('Dead', this.#o.clock.now())
        this.#rebalancer.forget(group, 'COORDINATOR_NOT_AVAILABLE')
        this.store.groups.delete(groupId)
        const tombstones = [
          ...this.#offsets.tombstones(group),
          { key: encodeGroupKey(groupId), value: null },
        ]
        await this.store.append(groupId, tombstones)
        results.push({ groupId })
      }
    }
    return { results }
  }

  /**
   * The first step of a clean shutdown: stop serving (requests answer
   * COORDINATOR_NOT_AVAILABLE, offsets stop expiring) and resolve once the group and offset
   * records in flight are written and replicated, or failed (each is bounded by
   * `offsets.commit.timeout.ms`: see {@link GroupStore.drain}). The group left by its last
   * member is then stored Empty before the logs close. {@link shutdown} follows.
   */
  drain(): Promise<void> {
    this.#active = false
    void this.#expiry.stop()
    return this.store.drain()
  }

  /** Stop: timers cleared, held requests answered NOT_COORDINATOR, groups dropped. */
  shutdown(): void {
    if (this.#shutDown) return
    this.#shutDown = true
    this.#active = false
    void this.#expiry.stop()
    this.store.close()
    this.#rebalancer.close()
  }
}

function checkRequest(req: unknown, api: string): void {
  if (typeof req !== 'object' || req === null)
    throw fromCode('INVALID_REQUEST', `a ${api} request must be an object`)
}

/** JoinGroup's protocols: an array of `{ name, metadata }` without holes (a malformed request else). */
function checkProtocols(protocols: unknown): void {
  if (!Array.isArray(protocols))
    throw fromCode('INVALID_REQUEST', 'JoinGroup protocols must be an array')
  for (let i = 0; i < protocols.length; i++) {
    const p = protocols[i] as { name?: unknown; metadata?: unknown } | undefined
    if (typeof p?.name !== 'string' || !(p.metadata instanceof Uint8Array)) {
      throw fromCode('INVALID_REQUEST', `JoinGroup protocols[${i}] must be { name, metadata }`)
    }
  }
}

/**
 * A consumer's membership of its group (Kafka's `AbstractCoordinator` and the rebalance part
 * of `ConsumerCoordinator`): JoinGroup (a first join answered `MEMBER_ID_REQUIRED` rejoins with
 * the id given), the leader's assignment, SyncGroup, heartbeats every `heartbeatIntervalMs` on
 * the clock, and LeaveGroup. A heartbeat answered `REBALANCE_IN_PROGRESS` asks for a rejoin
 * (the member keeps heartbeating until it rejoins); `ILLEGAL_GENERATION`, `UNKNOWN_MEMBER_ID`
 * and `FENCED_INSTANCE_ID` end the generation (its partitions are lost). A member whose
 * application has not polled for `maxPollIntervalMs` leaves the group, as Java's heartbeat
 * thread makes it leave. The rebalance itself runs when the consumer's loop asks for it
 * ({@link Membership.ensureActive}), as Java runs it inside `poll`.
 */

import type { EventEmitter } from 'eventemitter3'
import type { ClusterClient } from '../client/cluster-client.js'
import type { Clock, Timer } from '../common/clock.js'
import { fromCode, isLogkeeperError, type LogkeeperError } from '../common/errors.js'
import { untilAborted } from '../common/wake.js'
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, encodeSubscription } from './assignors/index.js'
import type { PartitionAssignor, RebalanceProtocol } from './assignors/types.js'
import type { ConsumerEvents } from './events.js'
import { GroupClient } from './group-client.js'
import { assignAsLeader } from './leader-assignment.js'
import type { ResolvedConsumerOptions } from './options.js'
import type { TopicPartition } from './types.js'

/** What the membership asks of its consumer. */
export interface MembershipHooks {
  /** The topics subscribed now. */
  topics(): string[]
  /** The partitions owned now. */
  owned(): TopicPartition[]
  /** Before a join: commit and revoke (eager), or lose everything (the generation ended). */
  onJoinPrepare(generationValid: boolean, protocol: RebalanceProtocol): Promise<void>
  /** After SyncGroup: take the new assignment. */
  onJoinComplete(assigned: TopicPartition[], protocol: RebalanceProtocol): Promise<void>
  /** Wake the consumer's loop: a rebalance is wanted. */
  wakeup(): void
  /** When the application last polled (or the runner last went round). */
  lastPollAt(): number
}

/** Kafka's states of a member, as the client sees itself. */
export type MemberState = 'unjoined' | 'joining' | 'stable'

/** Errors after which a JoinGroup or SyncGroup is simply sent again. */
const REJOIN_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION'])

/** A consumer's membership of its group: see the module comment. */
export class Membership {
  /** This member's id ('' before the first join). */
  memberId = ''
  /** The generation (-1 outside one). */
  generationId = -1
  /** The leader's member id. */
  leaderId = ''
  /** The protocol (assignor) the group chose. */
  protocolName = ''
  /** The state. */
  state: MemberState = 'unjoined'
  /** The group's coordinator. */
  readonly group: GroupClient
  readonly #client: ClusterClient
  readonly #clock: Clock
  readonly #o: ResolvedConsumerOptions
  readonly #hooks: MembershipHooks
  readonly #events: EventEmitter<ConsumerEvents>
  readonly #protocol: RebalanceProtocol
  #abort = new AbortController()
  #rejoinReason: string | undefined = 'first join'
  #joinPrepared = false
  #joining: Promise<void> | undefined
  #heartbeat: Timer | undefined
  #partitionCounts: Map<string, number> | undefined
  #owned: { assignment: TopicPartition[] | null; generationId: number } = {
    assignment: null,
    generationId: -1,
  }
  #closed = false

  /** A member that has not joined yet. */
  constructor(
    client: ClusterClient,
    clock: Clock,
    options: ResolvedConsumerOptions & { readonly groupId: string },
    hooks: MembershipHooks,
    events: EventEmitter<ConsumerEvents>,
  ) {
    this.#client = client
    this.#clock = clock
    this.#o = options
    this.#hooks = hooks
    this.#events = events
    this.group = new GroupClient(client, clock, options.groupId, options.retryBackoffMs)
    // Java's rule: cooperative only when every configured assignor supports it.
    this.#protocol = options.assignors.every((a) => a.supportedProtocols.includes('cooperative'))
      ? 'cooperative'
      : 'eager'
  }

  /** The rebalance protocol in use. */
  get protocol(): RebalanceProtocol {
    return this.#protocol
  }

  /** Whether a rejoin is wanted or under way. */
  get rejoinNeeded(): boolean {
    return this.#rejoinReason !== undefined || this.state !== 'stable'
  }

  /** Whether the member is in a generation it may commit for. */
  get generationValid(): boolean {
    return this.generationId >= 0 && this.memberId !== ''
  }

  /** Ask for a rejoin (the next {@link ensureActive} runs it) and wake the consumer. */
  requestRejoin(reason: string): void {
    this.#rejoinReason ??= reason
    this.#hooks.wakeup()
  }

  /** The leader checks whether the topics it assigned changed their partition counts. */
  checkPartitionCounts(counts: (topic: string) => number): void {
    if (this.state !== 'stable' || this.leaderId !== this.memberId) return
    for (const [topic, n] of this.#partitionCounts ?? []) {
      const now = counts(topic)
      if (now > 0 && now !== n) this.requestRejoin(`partitions of ${topic} changed (${n} → ${now})`)
    }
  }

  /** Join (or rejoin) when needed; resolves once the member is stable in a generation. */
  ensureActive(): Promise<void> {
    if (!this.rejoinNeeded) return Promise.resolve()
    this.#joining ??= this.#join().finally(() => {
      this.#joining = undefined
    })
    return this.#joining
  }

  async #join(): Promise<void> {
    // The join `abortJoin` ends: a later join starts afresh with the next signal.
    const signal = this.#abort.signal
    for (;;) {
      this.#checkOpen()
      signal.throwIfAborted()
      if (!this.#joinPrepared) {
        this.#stopHeartbeats()
        const valid = this.generationValid
        await this.#hooks.onJoinPrepare(valid, this.#protocol)
        // The generation ended while preparing (its commit was refused): prepare again, losing
        // the partitions it kept (cooperative) instead of taking them into the next generation.
        if (valid && !this.generationValid) continue
        this.#joinPrepared = true
        this.state = 'joining'
        this.#events.emit('rebalancing', {
          groupId: this.group.groupId,
          memberId: this.memberId,
          reason: this.#rejoinReason ?? 'rejoin',
        })
      }
      try {
        const started = this.#clock.now()
        const assigned = await this.#joinAndSync(signal)
        if (assigned === undefined) continue
        this.#joinPrepared = false
        this.#rejoinReason = undefined
        this.state = 'stable'
        this.#owned = { assignment: assigned, generationId: this.generationId }
        this.#scheduleHeartbeat(this.#o.heartbeatIntervalMs)
        this.#emitJoin(assigned, this.#clock.now() - started)
        await this.#hooks.onJoinComplete(assigned, this.#protocol)
        return
      } catch (err) {
        this.#checkOpen()
        signal.throwIfAborted()
        if (!GroupClient.isCoordinatorError(err) && !isRetriableJoin(err)) throw err
        await this.#clock.sleep(this.#o.retryBackoffMs, signal).catch(() => undefined)
      }
    }
  }

  /** One JoinGroup and SyncGroup; undefined when they must be sent again at once. */
  async #joinAndSync(signal: AbortSignal): Promise<TopicPartition[] | undefined> {
    const topics = this.#hooks.topics()
    const owned = this.#hooks.owned()
    const join = await this.group.send(
      'JoinGroup',
      {
        groupId: this.group.groupId,
        sessionTimeoutMs: this.#o.sessionTimeoutMs,
        rebalanceTimeoutMs: this.#o.rebalanceTimeoutMs,
        memberId: this.memberId,
        groupInstanceId: this.#o.groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: this.#o.assignors.map((a) => ({
          name: a.name,
          metadata: encodeSubscription({
            topics,
            userData: a.subscriptionUserData(this.#owned),
            ownedPartitions: owned,
            generationId: this.#owned.generationId,
          }),
        })),
        clientId: this.#o.clientId ?? String(this.#client.clientId),
        signal,
      },
      signal,
    )
    this.#checkOpen()
    if (join.error === 'MEMBER_ID_REQUIRED') {
      this.memberId = join.memberId
      return undefined
    }
    if (join.error !== undefined) return this.#joinFailed(join.error, join.errorMessage)
    this.memberId = join.memberId
    this.generationId = join.generationId
    this.leaderId = join.leader
    this.protocolName = join.protocolName
    let assignments: { memberId: string; assignment: Uint8Array }[] = []
    if (join.leader === join.memberId) {
      const assignor = this.#assignor(join.protocolName)
      const result = await assignAsLeader(this.#client, assignor, join.members)
      assignments = result.assignments
      this.#partitionCounts = result.partitionCounts
    } else this.#partitionCounts = undefined
    const sync = await this.group.send('SyncGroup', {
      groupId: this.group.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.#o.groupInstanceId,
      assignments,
    })
    this.#checkOpen()
    if (sync.error !== undefined) return this.#joinFailed(sync.error, sync.errorMessage)
    return decodeAssignment(sync.assignment).partitions
  }

  #joinFailed(code: string, message: string | undefined): undefined {
    const err = fromCode(code as LogkeeperError['code'], message ?? code)
    if (code === 'UNKNOWN_MEMBER_ID' || code === 'ILLEGAL_GENERATION') this.#resetGeneration(code)
    if (GroupClient.isCoordinatorError(err)) this.group.markUnknown()
    if (REJOIN_ERRORS.has(code) && code !== 'REBALANCE_IN_PROGRESS') return undefined
    throw err
  }

  #assignor(name: string): PartitionAssignor {
    const a = this.#o.assignors.find((x) => x.name === name)
    if (a === undefined) throw fromCode('INCONSISTENT_GROUP_PROTOCOL', `no assignor ${name}`)
    return a
  }

  #emitJoin(assigned: TopicPartition[], duration: number): void {
    const memberAssignment: Record<string, number[]> = {}
    for (const { topic, partition } of assigned) {
      memberAssignment[topic] = [...(memberAssignment[topic] ?? []), partition]
    }
    this.#events.emit('group.join', {
      groupId: this.group.groupId,
      memberId: this.memberId,
      leaderId: this.leaderId,
      isLeader: this.leaderId === this.memberId,
      generationId: this.generationId,
      memberAssignment,
      groupProtocol: this.protocolName,
      duration,
    })
  }

  /** Forget the generation (and the member id on `UNKNOWN_MEMBER_ID`); the partitions are lost. */
  #resetGeneration(reason: string): void {
    if (reason !== 'ILLEGAL_GENERATION') this.memberId = ''
    this.generationId = -1
    this.#owned = { assignment: null, generationId: -1 }
    this.state = 'unjoined'
    // A join under way prepares again: the partitions it kept are lost with the generation.
    this.#joinPrepared = false
    this.#stopHeartbeats()
    this.requestRejoin(reason)
  }

  /** A commit failed because the generation ended: rejoin. */
  onCommitError(err: unknown): void {
    if (!isLogkeeperError(err)) return
    if (err.code === 'UNKNOWN_MEMBER_ID' || err.code === 'ILLEGAL_GENERATION') {
      this.#resetGeneration(err.code)
    } else if (err.code === 'REBALANCE_IN_PROGRESS') this.requestRejoin('rebalance in progress')
  }

  #scheduleHeartbeat(ms: number): void {
    this.#stopHeartbeats()
    if (this.#closed) return
    this.#heartbeat = this.#clock.setTimeout(() => this.#beat(), ms)
  }

  #stopHeartbeats(): void {
    this.#clock.clearTimeout(this.#heartbeat)
    this.#heartbeat = undefined
  }

  async #beat(): Promise<void> {
    this.#heartbeat = undefined
    if (this.#closed || this.state !== 'stable') return
    if (this.#clock.now() - this.#hooks.lastPollAt() > this.#o.maxPollIntervalMs) {
      await this.leave('consumer poll timeout has expired')
      this.requestRejoin('consumer poll timeout has expired')
      return
    }
    const generationId = this.generationId
    let next = this.#o.heartbeatIntervalMs
    try {
      const r = await this.group.send('Heartbeat', {
        groupId: this.group.groupId,
        generationId,
        memberId: this.memberId,
        groupInstanceId: this.#o.groupInstanceId,
      })
      if (this.#closed || this.state !== 'stable' || generationId !== this.generationId) return
      if (r.error === undefined) {
        this.#events.emit('heartbeat', {
          groupId: this.group.groupId,
          memberId: this.memberId,
          groupGenerationId: generationId,
        })
      } else if (r.error === 'REBALANCE_IN_PROGRESS') this.requestRejoin('group is rebalancing')
      else if (
        r.error === 'ILLEGAL_GENERATION' ||
        r.error === 'UNKNOWN_MEMBER_ID' ||
        r.error === 'FENCED_INSTANCE_ID'
      ) {
        this.#resetGeneration(r.error)
        return
      } else next = this.#o.retryBackoffMs
    } catch {
      // The coordinator is gone: the next beat finds the new one.
      next = this.#o.retryBackoffMs
    }
    if (this.state === 'stable') this.#scheduleHeartbeat(next)
  }

  /**
   * Leave the group now (LeaveGroup; a static member does not send it, as Kafka's): the
   * generation ends and heartbeats stop.
   */
  async leave(reason: string, signal?: AbortSignal): Promise<void> {
    this.#stopHeartbeats()
    const memberId = this.memberId
    this.state = 'unjoined'
    this.generationId = -1
    this.memberId = ''
    this.#owned = { assignment: null, generationId: -1 }
    if (memberId === '' || this.#o.groupInstanceId !== null) return
    const id = this.group.coordinatorId
    if (id === undefined) return
    const sent = this.#client.send(id, 'LeaveGroup', {
      groupId: this.group.groupId,
      members: [{ memberId, groupInstanceId: null }],
    })
    await (signal === undefined ? sent : untilAborted(sent, signal)).catch(() => undefined)
    void reason
  }

  /** Abort a held JoinGroup (the consumer stops); a later join starts afresh. */
  abortJoin(): void {
    this.#abort.abort(fromCode('CLOSED', 'the consumer stopped'))
    this.#abort = new AbortController()
  }

  /** Stop: abort a held join, stop heartbeats. Call {@link leave} first to leave the group. */
  close(): void {
    this.#closed = true
    this.#stopHeartbeats()
    this.#abort.abort(fromCode('CLOSED', 'the consumer is disconnected'))
    this.group.close()
  }

  #checkOpen(): void {
    if (this.#closed) throw fromCode('CLOSED', 'the consumer is disconnected')
  }
}

function isRetriableJoin(err: unknown): boolean {
  return isLogkeeperError(err) && (err.retriable || err.code === 'REBALANCE_IN_PROGRESS')
}

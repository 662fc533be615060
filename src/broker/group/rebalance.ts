/**
 * The join phase of Kafka's group protocol (the JoinGroup half of `GroupCoordinator`, with
 * its `DelayedJoin`, `InitialDelayedJoin` and `DelayedHeartbeat` as clock timers): members
 * join and rejoin, a rebalance waits for every member (or the rebalance timeout; a new group
 * first waits `group.initial.rebalance.delay.ms`, extended while members keep coming), then
 * starts the next generation and answers the held joins (only the leader gets the members).
 * Session timers remove members that stop heartbeating; members of the new generation that
 * send no SyncGroup within the rebalance timeout are removed (Kafka's `DelayedSync`, 2.8+)
 * and the group rebalances again.
 */
import type { Clock, Timer } from '../../common/clock.js'
import { KeyedTimers } from '../../common/keyed-timers.js'
import type { Random } from '../../common/random.js'
import type { JoinGroupRequest, JoinGroupResponse } from '../api.js'
import type { GroupMetadata } from './group.js'
import { type JoinCallback, MemberMetadata } from './member.js'

/** How long a new member's JoinGroup may be held before it is dropped (Kafka's 5 minutes). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60_000

/** What the rebalancer needs from the coordinator. @internal */
export interface RebalanceContext {
  /** Time and timers. */
  readonly clock: Clock
  /** Member ids. */
  readonly random: Random
  /** `group.initial.rebalance.delay.ms`. */
  readonly initialDelayMs: number
  /** Persist the group (after a rebalance ends Empty, or a static member's new id). */
  storeGroup(group: GroupMetadata): Promise<string | undefined>
}

interface JoinOp {
  timer: Timer
  /** An initial delayed join: never completes early; may be extended. */
  readonly initial?: { readonly delayMs: number; readonly remainingMs: number }
}

/** A JoinGroup error response. */
export function joinError(error: JoinGroupResponse['error'], memberId = ''): JoinGroupResponse {
  return { error, generationId: -1, protocolName: '', leader: '', memberId, members: [] }
}

/** The join phase and session timers of a coordinator's groups. @internal */
export class Rebalancer {
  readonly #ctx: RebalanceContext
  readonly #joins = new Map<GroupMetadata, JoinOp>()
  /** Each member's session timer. */
  readonly #heartbeats: KeyedTimers<MemberMetadata>
  /** Each pending member id's join timer (`<group>\0<member id>`). */
  readonly #pending: KeyedTimers<string>
  /** Each group's wait for its members' SyncGroup. */
  readonly #syncs: KeyedTimers<GroupMetadata>

  /** A rebalancer with no timers. */
  constructor(ctx: RebalanceContext) {
    this.#ctx = ctx
    this.#heartbeats = new KeyedTimers(ctx.clock)
    this.#pending = new KeyedTimers(ctx.clock)
    this.#syncs = new KeyedTimers(ctx.clock)
  }

  /** A join from a member without an id (`memberId` ''). */
  joinUnknown(
    group: GroupMetadata,
    req: JoinGroupRequest,
    clientHost: string,
    cb: JoinCallback,
  ): void {
    if (group.is('Dead')) {
      cb(joinError('COORDINATOR_NOT_AVAILABLE'))
      return
    }
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      cb(joinError('INCONSISTENT_GROUP_PROTOCOL'))
      return
    }
    const newId = `${req.groupInstanceId ?? req.clientId}-${this.#ctx.random.uuid()}`
    if (req.groupInstanceId !== null && group.staticMembers.has(req.groupInstanceId)) {
      this.#replaceStatic(group, req, newId, cb)
      return
    }
    if (req.groupInstanceId === null) {
      // KIP-394: a dynamic member first learns its id, then joins with it.
      group.pendingMembers.add(newId)
      this.#schedulePending(group, newId, req.sessionTimeoutMs)
      cb(joinError('MEMBER_ID_REQUIRED', newId))
      return
    }
    this.#addMember(group, req, newId, clientHost, cb)
  }

  /** A join from a member with an id. */
  joinKnown(
    group: GroupMetadata,
    req: JoinGroupRequest,
    clientHost: string,
    cb: JoinCallback,
  ): void {
    const memberId = req.memberId
    if (group.is('Dead')) {
      cb(joinError('COORDINATOR_NOT_AVAILABLE', memberId))
      return
    }
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      cb(joinError('INCONSISTENT_GROUP_PROTOCOL', memberId))
      return
    }
    if (group.pendingMembers.has(memberId)) {
      this.#addMember(group, { ...req, groupInstanceId: null }, memberId, clientHost, cb)
      return
    }
    if (group.isStaticMemberFenced(memberId, req.groupInstanceId)) {
      cb(joinError('FENCED_INSTANCE_ID', memberId))
      return
    }
    const unknownInstance =
      req.groupInstanceId !== null && !group.staticMembers.has(req.groupInstanceId)
    if (!group.has(memberId) || unknownInstance) {
      cb(joinError('UNKNOWN_MEMBER_ID', memberId))
      return
    }
    const member = group.get(memberId)
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs
    member.sessionTimeoutMs = req.sessionTimeoutMs
    switch (group.state) {
      case 'PreparingRebalance':
        this.#updateAndRebalance(group, member, req, cb)
        return
      case 'CompletingRebalance':
        // The same metadata again (the answer was lost): the current generation once more.
        if (member.matches(req.protocols)) {
          cb(this.#joinResult(group, member))
          return
        }
        this.#updateAndRebalance(group, member, req, cb)
        return
      case 'Stable':
        if (group.isLeader(memberId) || !member.matches(req.protocols)) {
          this.#updateAndRebalance(group, member, req, cb)
          return
        }
        cb(this.#joinResult(group, member))
        return
      default:
        cb(joinError('UNKNOWN_MEMBER_ID', memberId))
        return
    }
  }

  #joinResult(group: GroupMetadata, member: MemberMetadata): JoinGroupResponse {
    const protocol = group.protocolName ?? ''
    return {
      generationId: group.generationId,
      protocolName: protocol,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: group.isLeader(member.memberId)
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.metadata(protocol),
          }))
        : [],
    }
  }

  #addMember(
    group: GroupMetadata,
    req: JoinGroupRequest,
    memberId: string,
    clientHost: string,
    cb: JoinCallback,
  ): void {
    const member = new MemberMetadata(
      memberId,
      req.groupInstanceId,
      req.clientId,
      clientHost,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      req.protocols,
    )
    member.isNew = true
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true
    this.#clearPending(group, memberId)
    group.add(member, cb)
    this.scheduleHeartbeat(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS)
    this.maybePrepareRebalance(group)
  }

  #updateAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    req: JoinGroupRequest,
    cb: JoinCallback,
  ): void {
    group.updateMember(member, req.protocols, cb)
    this.maybePrepareRebalance(group)
  }

  /** A static member rejoined without its id: it gets a new one, the old one is fenced. */
  #replaceStatic(
    group: GroupMetadata,
    req: JoinGroupRequest,
    newId: string,
    cb: JoinCallback,
  ): void {
    const instanceId = req.groupInstanceId!
    const oldId = group.staticMembers.get(instanceId)!
    const currentLeader = group.leaderId ?? ''
    const oldProtocols = group.get(oldId).protocols
    const member = group.replaceStaticMember(instanceId, newId)
    this.scheduleHeartbeat(group, member)
    group.updateMember(member, req.protocols, cb)
    if (group.is('Stable')) {
      if (group.protocolName !== group.selectProtocol()) {
        this.maybePrepareRebalance(group)
        return
      }
      // No rebalance: persist the new member id, then answer with the current generation
      // (and the old leader id, so that a leader does not assign in a stable group).
      const generation = group.generationId
      void this.#ctx.storeGroup(group).then((error) => {
        if (error !== undefined) {
          this.#revertStatic(group, member, { instanceId, oldId, newId, oldProtocols }, error)
          return
        }
        group.answerJoin(member, {
          generationId: generation,
          protocolName: group.protocolName ?? '',
          leader: currentLeader,
          memberId: newId,
          members: [],
        })
      })
    } else if (group.is('CompletingRebalance')) this.prepareRebalance(group)
  }

  /**
   * The new member id of a static member could not be stored: it answers `error`, and the
   * member gets its old id and protocols back, unless the group moved on meanwhile (the member
   * was removed or replaced again), when only the held join is answered.
   */
  #revertStatic(
    group: GroupMetadata,
    member: MemberMetadata,
    ids: {
      instanceId: string
      oldId: string
      newId: string
      oldProtocols: MemberMetadata['protocols']
    },
    error: string,
  ): void {
    group.answerJoin(member, joinError(error as JoinGroupResponse['error']))
    const current =
      group.staticMembers.get(ids.instanceId) === ids.newId &&
      group.members.get(ids.newId) === member
    if (!current || group.is('Dead')) return
    group.updateMember(member, ids.oldProtocols, undefined)
    group.replaceStaticMember(ids.instanceId, ids.oldId)
    this.scheduleHeartbeat(group, member)
  }

  /** Start a rebalance if the group may. */
  maybePrepareRebalance(group: GroupMetadata): void {
    if (group.canRebalance()) this.prepareRebalance(group)
  }

  /** Start a rebalance: held syncs answer REBALANCE_IN_PROGRESS; the join phase begins. */
  prepareRebalance(group: GroupMetadata): void {
    const now = this.#ctx.clock.now()
    if (group.is('CompletingRebalance')) {
      for (const m of group.members.values()) {
        group.answerSync(m, { error: 'REBALANCE_IN_PROGRESS', assignment: new Uint8Array(0) })
      }
    }
    const wasEmpty = group.is('Empty')
    group.transitionTo('PreparingRebalance', now)
    this.#cancelJoin(group)
    if (wasEmpty && this.#ctx.initialDelayMs > 0) {
      const delay = this.#ctx.initialDelayMs
      this.#startJoin(group, delay, {
        delayMs: delay,
        remainingMs: Math.max(group.rebalanceTimeoutMs - delay, 0),
      })
    } else {
      this.#startJoin(group, group.rebalanceTimeoutMs)
      this.checkJoin(group)
    }
  }

  #startJoin(group: GroupMetadata, ms: number, initial?: JoinOp['initial']): void {
    const op: JoinOp = {
      timer: this.#ctx.clock.setTimeout(() => this.#expireJoin(group, op), ms),
      ...(initial === undefined ? {} : { initial }),
    }
    this.#joins.set(group, op)
  }

  #cancelJoin(group: GroupMetadata): void {
    const op = this.#joins.get(group)
    if (op === undefined) return
    this.#ctx.clock.clearTimeout(op.timer)
    this.#joins.delete(group)
  }

  #expireJoin(group: GroupMetadata, op: JoinOp): void {
    if (this.#joins.get(group) !== op) return
    this.#joins.delete(group)
    const initial = op.initial
    if (initial !== undefined && group.newMemberAdded && initial.remainingMs !== 0) {
      group.newMemberAdded = false
      const delay = Math.min(this.#ctx.initialDelayMs, initial.remainingMs)
      const remaining = Math.max(initial.remainingMs - initial.delayMs, 0)
      this.#startJoin(group, delay, { delayMs: delay, remainingMs: remaining })
      return
    }
    this.#completeJoin(group)
  }

  /** End the join phase now if every member has rejoined (not during an initial delay). */
  checkJoin(group: GroupMetadata): void {
    const op = this.#joins.get(group)
    if (op === undefined || op.initial !== undefined || !group.is('PreparingRebalance')) return
    if (!group.hasAllMembersJoined()) return
    this.#cancelJoin(group)
    this.#completeJoin(group)
  }

  #completeJoin(group: GroupMetadata): void {
    if (!group.is('PreparingRebalance')) return
    // Dynamic members that did not rejoin in time leave the group.
    for (const m of group.notYetRejoined()) {
      if (m.isStatic) continue
      this.#clearHeartbeat(m)
      group.remove(m.memberId)
    }
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Nobody rejoined: wait again, until session timeouts remove the silent members.
      this.#startJoin(group, group.rebalanceTimeoutMs)
      return
    }
    group.initNextGeneration(this.#ctx.clock.now())
    if (group.is('Empty')) {
      void this.#ctx.storeGroup(group)
      return
    }
    for (const m of [...group.members.values()]) {
      group.answerJoin(m, this.#joinResult(group, m))
      this.scheduleHeartbeat(group, m)
      m.isNew = false
      group.pendingSyncMembers.add(m.memberId)
    }
    this.#schedulePendingSync(group)
  }

  /** Wait the rebalance timeout for every member's SyncGroup (Kafka's `DelayedSync`). */
  #schedulePendingSync(group: GroupMetadata): void {
    const generation = group.generationId
    this.#syncs.set(group, group.rebalanceTimeoutMs, () =>
      this.#expirePendingSync(group, generation),
    )
  }

  #cancelPendingSync(group: GroupMetadata): void {
    this.#syncs.clear(group)
  }

  /** A member sent its SyncGroup: once all have, the wait for them ends. */
  syncReceived(group: GroupMetadata, memberId: string): void {
    group.pendingSyncMembers.delete(memberId)
    if (group.pendingSyncMembers.size === 0) this.#cancelPendingSync(group)
  }

  /** Kafka's `onExpirePendingSync`: the members that never synced leave; the group rebalances. */
  #expirePendingSync(group: GroupMetadata, generation: number): void {
    if (group.generationId !== generation || group.pendingSyncMembers.size === 0) return
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return
    for (const id of [...group.pendingSyncMembers]) {
      const member = group.members.get(id)
      if (member === undefined) continue
      this.#clearHeartbeat(member)
      group.answerJoin(member, joinError('UNKNOWN_MEMBER_ID'))
      group.answerSync(member, { error: 'UNKNOWN_MEMBER_ID', assignment: new Uint8Array(0) })
      group.remove(id)
    }
    this.prepareRebalance(group)
  }

  /**
   * Remove a member (left, expired, or gave up): its held join answers UNKNOWN_MEMBER_ID,
   * and the group rebalances (or, mid-rebalance, may now complete the join phase).
   */
  removeMember(group: GroupMetadata, member: MemberMetadata): void {
    this.#clearHeartbeat(member)
    group.answerJoin(member, joinError('UNKNOWN_MEMBER_ID'))
    group.remove(member.memberId)
    if (group.is('Stable') || group.is('CompletingRebalance')) this.maybePrepareRebalance(group)
    else if (group.is('PreparingRebalance')) this.checkJoin(group)
  }

  /** Restart a member's session timer (`timeoutMs`, default its session timeout). */
  scheduleHeartbeat(group: GroupMetadata, member: MemberMetadata, timeoutMs?: number): void {
    this.#heartbeats.set(member, timeoutMs ?? member.sessionTimeoutMs, () => {
      if (group.members.get(member.memberId) !== member) return
      // Members awaiting the end of a rebalance are alive (new members excepted).
      if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return
      this.removeMember(group, member)
    })
  }

  #clearHeartbeat(member: MemberMetadata): void {
    this.#heartbeats.clear(member)
  }

  #schedulePending(group: GroupMetadata, memberId: string, ms: number): void {
    this.#pending.set(pendingKey(group, memberId), ms, () => this.removePending(group, memberId))
  }

  #clearPending(group: GroupMetadata, memberId: string): void {
    this.#pending.clear(pendingKey(group, memberId))
  }

  /** A pending member id is given up (expired or left). */
  removePending(group: GroupMetadata, memberId: string): void {
    this.#clearPending(group, memberId)
    if (!group.pendingMembers.delete(memberId)) return
    if (group.is('PreparingRebalance')) this.checkJoin(group)
  }

  /** A member's held JoinGroup was aborted: it is no longer awaited (a new member leaves). */
  abortJoin(group: GroupMetadata, member: MemberMetadata, cb: JoinCallback): void {
    if (member.awaitingJoin !== cb || group.members.get(member.memberId) !== member) return
    if (member.isNew) {
      this.removeMember(group, member)
      return
    }
    group.answerJoin(member, joinError('REBALANCE_IN_PROGRESS', member.memberId))
  }

  /** Forget a group (unloaded or deleted): its timers stop, held requests answer `error`. */
  forget(group: GroupMetadata, error: 'NOT_COORDINATOR' | 'COORDINATOR_NOT_AVAILABLE'): void {
    this.#cancelJoin(group)
    this.#cancelPendingSync(group)
    for (const m of group.members.values()) {
      this.#clearHeartbeat(m)
      group.answerJoin(m, joinError(error, m.memberId))
      group.answerSync(m, { error, assignment: new Uint8Array(0) })
    }
    for (const id of group.pendingMembers) this.#clearPending(group, id)
  }

  /** Stop every timer. */
  close(): void {
    for (const op of this.#joins.values()) this.#ctx.clock.clearTimeout(op.timer)
    this.#joins.clear()
    this.#heartbeats.clearAll()
    this.#pending.clearAll()
    this.#syncs.clearAll()
  }
}

/** A pending member's key among all groups' pending members. */
function pendingKey(group: GroupMetadata, memberId: string): string {
  return `${group.groupId}\u0000${memberId}`
}

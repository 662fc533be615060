/**
 * One consumer group (Kafka's `GroupMetadata`): its state, generation, protocol, leader,
 * members (dynamic, static and pending), and its committed offsets. The state machine:
 *
 * ```
 * Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance
 *   ▲                    ▲   │ (no members left)                 │ leader's SyncGroup
 *   └────────────────────┼───┘                                   ▼
 *                        └──────── join, leave, expiry ─────── Stable
 * any ──▶ Dead (deleted or unloaded)
 * ```
 */
import { fromCode } from '../../common/errors.js'
import type { GroupState, JoinGroupProtocol } from '../api.js'
import type { JoinCallback, MemberMetadata } from './member.js'
import type { OffsetValue } from './schemas.js'

const VALID_PREVIOUS: { readonly [S in GroupState]: readonly GroupState[] } = {
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  Empty: ['PreparingRebalance'],
}

/** A committed offset and where its record lies in `__consumer_offsets`. @internal */
export interface CommittedOffset extends OffsetValue {
  /** The offset of its record in the log (a later record wins). */
  readonly logOffset: number
}

/** The map key of a topic partition. @internal */
export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

/** A consumer group: see the module comment. @internal */
export class GroupMetadata {
  /** Its state. */
  state: GroupState
  /** When it entered that state. */
  currentStateTimestamp: number
  /** The generation (0 before the first rebalance). */
  generationId = 0
  /** `consumer`, or undefined before the first member. */
  protocolType: string | undefined
  /** The protocol of the current generation. */
  protocolName: string | undefined
  /** The leader's member id. */
  leaderId: string | undefined
  /** Members by id, in the order they joined. */
  readonly members = new Map<string, MemberMetadata>()
  /** Member ids handed out with MEMBER_ID_REQUIRED, not joined yet. */
  readonly pendingMembers = new Set<string>()
  /** Members of the current generation that have not sent their SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>()
  /** Member ids by static instance id. */
  readonly staticMembers = new Map<string, string>()
  /** A member joined during the first rebalance (the initial delay may be extended). */
  newMemberAdded = false
  /** Committed offsets by {@link tpKey}. */
  readonly offsets = new Map<string, CommittedOffset & { topic: string; partition: number }>()
  /** Commits in flight by {@link tpKey} (how many): such an offset is never expired. */
  readonly pendingOffsetCommits = new Map<string, number>()
  #awaitingJoin = 0

  /**
   * @param groupId - the group id
   * @param state - the initial state (Empty for a new group, Stable for a loaded one with members)
   * @param nowMs - the time now
   */
  constructor(
    readonly groupId: string,
    state: GroupState,
    nowMs: number,
  ) {
    this.state = state
    this.currentStateTimestamp = nowMs
  }

  /** Whether it is in `state`. */
  is(state: GroupState): boolean {
    return this.state === state
  }

  /** Move to `state` (only along the state machine's arrows). */
  transitionTo(state: GroupState, nowMs: number): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) {
      throw fromCode(
        'UNKNOWN_SERVER_ERROR',
        `group ${this.groupId}: no transition from ${this.state} to ${state}`,
      )
    }
    this.state = state
    this.currentStateTimestamp = nowMs
  }

  /** Whether a rebalance may start from here. */
  canRebalance(): boolean {
    return this.state === 'Stable' || this.state === 'CompletingRebalance' || this.state === 'Empty'
  }

  /** How many members. */
  get size(): number {
    return this.members.size
  }

  /** How many members have a JoinGroup held. */
  get numAwaiting(): number {
    return this.#awaitingJoin
  }

  /** Whether `memberId` is a member. */
  has(memberId: string): boolean {
    return this.members.has(memberId)
  }

  /** The member `memberId` (it must exist). */
  get(memberId: string): MemberMetadata {
    const m = this.members.get(memberId)
    if (m === undefined) {
      throw fromCode('UNKNOWN_MEMBER_ID', `group ${this.groupId} has no member ${memberId}`)
    }
    return m
  }

  /** Whether `memberId` leads. */
  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  /** The longest rebalance timeout of its members. */
  get rebalanceTimeoutMs(): number {
    let max = 0
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs)
    return max
  }

  /** Whether every member has rejoined and no member id is pending. */
  hasAllMembersJoined(): boolean {
    return this.members.size === this.#awaitingJoin && this.pendingMembers.size === 0
  }

  /** Members that have not rejoined in this rebalance. */
  notYetRejoined(): MemberMetadata[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin)
  }

  /** Add a member with its held JoinGroup (the first member leads). */
  add(member: MemberMetadata, callback: JoinCallback | undefined): void {
    if (this.members.size === 0) this.protocolType = member.protocolType
    this.leaderId ??= member.memberId
    this.members.set(member.memberId, member)
    if (member.groupInstanceId !== null) {
      this.staticMembers.set(member.groupInstanceId, member.memberId)
    }
    this.pendingMembers.delete(member.memberId)
    if (callback !== undefined) this.#setJoin(member, callback)
  }

  /** Remove a member (a new leader is the first member left). */
  remove(memberId: string): void {
    const m = this.members.get(memberId)
    if (m === undefined) return
    this.members.delete(memberId)
    this.pendingSyncMembers.delete(memberId)
    if (m.isAwaitingJoin) this.#awaitingJoin--
    m.awaitingJoin = undefined
    if (m.groupInstanceId !== null && this.staticMembers.get(m.groupInstanceId) === memberId) {
      this.staticMembers.delete(m.groupInstanceId)
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value
  }

  /** New protocols for a member, and its held JoinGroup. */
  updateMember(
    member: MemberMetadata,
    protocols: readonly JoinGroupProtocol[],
    callback: JoinCallback | undefined,
  ): void {
    member.protocols = protocols
    if (callback !== undefined) this.#setJoin(member, callback)
  }

  #setJoin(member: MemberMetadata, callback: JoinCallback): void {
    if (!member.isAwaitingJoin) this.#awaitingJoin++
    member.awaitingJoin = callback
  }

  /** Answer a member's held JoinGroup, if any. */
  answerJoin(member: MemberMetadata, response: Parameters<JoinCallback>[0]): void {
    const cb = member.awaitingJoin
    if (cb === undefined) return
    member.awaitingJoin = undefined
    this.#awaitingJoin--
    cb(response)
  }

  /** Answer a member's held SyncGroup, if any. */
  answerSync(
    member: MemberMetadata,
    response: Parameters<NonNullable<MemberMetadata['awaitingSync']>>[0],
  ): void {
    const cb = member.awaitingSync
    if (cb === undefined) return
    member.awaitingSync = undefined
    cb(response)
  }

  /**
   * The protocols every member supports (Kafka's `candidateProtocols`), computed from the
   * members themselves so that no count can drift from them. With no members, undefined:
   * every protocol is supported.
   */
  candidateProtocols(): Set<string> | undefined {
    let candidates: Set<string> | undefined
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name))
      candidates = candidates === undefined ? names : intersect(candidates, names)
    }
    return candidates
  }

  /** Whether a member of this type with these protocols may join (Kafka's `supportsProtocols`). */
  supportsProtocols(protocolType: string, protocols: readonly JoinGroupProtocol[]): boolean {
    if (this.state === 'Empty') return protocolType !== '' && protocols.length > 0
    if (this.protocolType !== protocolType) return false
    const candidates = this.candidateProtocols()
    return protocols.some((p) => candidates === undefined || candidates.has(p.name))
  }

  /**
   * The protocol for the next generation: among those every member supports, the one most
   * members prefer (ties go to the one voted for first). Throws INCONSISTENT_GROUP_PROTOCOL
   * when the members share none (joins are checked, so only a broken invariant gets here).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols() ?? new Set<string>()
    const votes = new Map<string, number>()
    for (const m of this.members.values()) {
      const v = m.vote(candidates)
      votes.set(v, (votes.get(v) ?? 0) + 1)
    }
    let best = ''
    let most = -1
    for (const [name, n] of votes) {
      if (n > most) {
        best = name
        most = n
      }
    }
    return best
  }

  /** If the leader has not rejoined, make a member that has the leader. False when none has. */
  maybeElectNewJoinedLeader(): boolean {
    const leader = this.leaderId === undefined ? undefined : this.members.get(this.leaderId)
    if (leader?.isAwaitingJoin) return true
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId
        return true
      }
    }
    return false
  }

  /** Start the next generation: CompletingRebalance with members, Empty without. */
  initNextGeneration(nowMs: number): void {
    this.generationId++
    this.pendingSyncMembers.clear()
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol()
      this.transitionTo('CompletingRebalance', nowMs)
    } else {
      this.protocolName = undefined
      this.transitionTo('Empty', nowMs)
    }
  }

  /** Whether `memberId` is fenced: another member holds `groupInstanceId`. */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false
    const holder = this.staticMembers.get(groupInstanceId)
    return holder !== undefined && memberId !== '' && holder !== memberId
  }

  /**
   * Give the static member holding `groupInstanceId` a new member id; its held join and sync
   * answer FENCED_INSTANCE_ID first (the old process is fenced).
   */
  replaceStaticMember(groupInstanceId: string, newMemberId: string): MemberMetadata {
    const oldId = this.staticMembers.get(groupInstanceId)!
    const member = this.get(oldId)
    this.answerJoin(member, {
      error: 'FENCED_INSTANCE_ID',
      memberId: oldId,
      generationId: -1,
      protocolName: '',
      leader: '',
      members: [],
    })
    this.answerSync(member, { error: 'FENCED_INSTANCE_ID', assignment: new Uint8Array(0) })
    this.members.delete(oldId)
    member.memberId = newMemberId
    this.members.set(newMemberId, member)
    if (this.pendingSyncMembers.delete(oldId)) this.pendingSyncMembers.add(newMemberId)
    if (this.leaderId === oldId) this.leaderId = newMemberId
    this.staticMembers.set(groupInstanceId, newMemberId)
    return member
  }
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)))
}

/**
 * One member of a group (Kafka's `MemberMetadata`): its timeouts, the protocols it supports
 * with their metadata, its assignment, and the JoinGroup or SyncGroup it is waiting on.
 */
import { fromCode } from '../../common/errors.js'
import type { JoinGroupProtocol, JoinGroupResponse, SyncGroupResponse } from '../api.js'

/** Answers a held JoinGroup. @internal */
export type JoinCallback = (response: JoinGroupResponse) => void
/** Answers a held SyncGroup. @internal */
export type SyncCallback = (response: SyncGroupResponse) => void

/** A group member. @internal */
export class MemberMetadata {
  /** The assignment from the last SyncGroup of the leader. */
  assignment: Uint8Array = new Uint8Array(0)
  /** Its held JoinGroup, while it awaits the end of the join phase. */
  awaitingJoin: JoinCallback | undefined
  /** Its held SyncGroup, while it awaits the leader's assignment. */
  awaitingSync: SyncCallback | undefined
  /** Joined in the current rebalance and not yet answered (new members expire sooner). */
  isNew = false
  /** The protocols it supports, preferred first. */
  protocols: readonly JoinGroupProtocol[]

  /**
   * @param memberId - its id
   * @param groupInstanceId - its static instance id, or null
   * @param clientId - the client id
   * @param clientHost - the client host
   * @param rebalanceTimeoutMs - how long a rebalance waits for it
   * @param sessionTimeoutMs - how long it lives without a heartbeat
   * @param protocolType - `consumer`
   * @param protocols - the protocols it supports
   */
  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    protocols: readonly JoinGroupProtocol[],
  ) {
    this.protocols = protocols
  }

  /** Whether a JoinGroup of it is held. */
  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== undefined
  }

  /** Whether a SyncGroup of it is held. */
  get isAwaitingSync(): boolean {
    return this.awaitingSync !== undefined
  }

  /** Whether it is a static member. */
  get isStatic(): boolean {
    return this.groupInstanceId !== null
  }

  /** Its metadata for `protocol` (empty when it does not support it). */
  metadata(protocol: string): Uint8Array {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? new Uint8Array(0)
  }

  /** Whether `protocols` are the ones it has (same names, same bytes, same order). */
  matches(protocols: readonly JoinGroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false
    return protocols.every((p, i) => {
      const mine = this.protocols[i]!
      return p.name === mine.name && Buffer.from(p.metadata).equals(Buffer.from(mine.metadata))
    })
  }

  /** Its first preferred protocol among `candidates`. */
  vote(candidates: ReadonlySet<string>): string {
    const p = this.protocols.find((x) => candidates.has(x.name))
    if (p === undefined) {
      throw fromCode(
        'INCONSISTENT_GROUP_PROTOCOL',
        `member ${this.memberId} supports none of the candidates`,
      )
    }
    return p.name
  }
}

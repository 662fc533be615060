/**
 * The consumer's typed events (eventemitter3), named as kafkajs names them.
 */
import type { BrokerId } from '../broker/api.js'
import type { CommittedOffset, TopicPartition } from './types.js'

/** Event names, as constants. */
export const CONSUMER_EVENTS = Object.freeze({
  GROUP_JOIN: 'group.join',
  REBALANCING: 'rebalancing',
  PARTITIONS_ASSIGNED: 'partitions.assigned',
  PARTITIONS_REVOKED: 'partitions.revoked',
  PARTITIONS_LOST: 'partitions.lost',
  COMMIT_OFFSETS: 'commit.offsets',
  HEARTBEAT: 'heartbeat',
  FETCH: 'fetch',
  CRASH: 'crash',
  STOP: 'stop',
  DISCONNECT: 'disconnect',
} as const)

/** The member joined a generation of its group (after SyncGroup). */
export interface GroupJoinEvent {
  /** The group. */
  readonly groupId: string
  /** This member's id. */
  readonly memberId: string
  /** The leader's member id. */
  readonly leaderId: string
  /** Whether this member is the leader (it ran the assignor). */
  readonly isLeader: boolean
  /** The generation. */
  readonly generationId: number
  /** This member's partitions by topic. */
  readonly memberAssignment: Readonly<Record<string, number[]>>
  /** The assignor the group chose. */
  readonly groupProtocol: string
  /** How long the join and sync took, in ms of the consumer's clock. */
  readonly duration: number
}

/** A rebalance started: the member is (re)joining. */
export interface RebalancingEvent {
  /** The group. */
  readonly groupId: string
  /** This member's id ('' before the first join). */
  readonly memberId: string
  /** Why. */
  readonly reason: string
}

/** Partitions given to, taken from, or lost by this member. */
export interface PartitionsEvent {
  /** The partitions. */
  readonly partitions: readonly TopicPartition[]
}

/** A heartbeat was answered without error. */
export interface HeartbeatEvent {
  /** The group. */
  readonly groupId: string
  /** This member's id. */
  readonly memberId: string
  /** The generation. */
  readonly groupGenerationId: number
}

/** Offsets were committed. */
export interface CommitOffsetsEvent {
  /** The group. */
  readonly groupId: string
  /** This member's id ('' outside a generation). */
  readonly memberId: string
  /** The generation (-1 outside one). */
  readonly groupGenerationId: number
  /** The offsets committed. */
  readonly topics: readonly CommittedOffset[]
}

/** A fetch response came back from a leader. */
export interface FetchEvent {
  /** The leader. */
  readonly nodeId: BrokerId
  /** Records in it (after skipping those below the position). */
  readonly numberOfRecords: number
  /** How long it was held, in ms. */
  readonly duration: number
}

/** The consumer crashed: a handler failed after its retries, or an error it cannot get past. */
export interface CrashEvent {
  /** The error. */
  readonly error: unknown
  /** The group, if any. */
  readonly groupId: string | undefined
  /** Whether the consumer restarts (rejoins and goes on from the committed offsets). */
  readonly restart: boolean
}

/** Every event of a {@link Consumer}, with its listener's signature. */
export interface ConsumerEvents {
  /** Joined a generation. */
  'group.join': (event: GroupJoinEvent) => void
  /** A rebalance started. */
  rebalancing: (event: RebalancingEvent) => void
  /** Partitions were assigned (positions are found before the first fetch). */
  'partitions.assigned': (event: PartitionsEvent) => void
  /** Partitions were revoked (after the last commit of their offsets). */
  'partitions.revoked': (event: PartitionsEvent) => void
  /** Partitions were lost: the member fell out of its generation without committing. */
  'partitions.lost': (event: PartitionsEvent) => void
  /** Offsets were committed. */
  'commit.offsets': (event: CommitOffsetsEvent) => void
  /** A heartbeat succeeded. */
  heartbeat: (event: HeartbeatEvent) => void
  /** A fetch response arrived. */
  fetch: (event: FetchEvent) => void
  /** The consumer crashed. */
  crash: (event: CrashEvent) => void
  /** `run()` stopped. */
  stop: () => void
  /** The consumer disconnected (left its group, no timer left). */
  disconnect: () => void
}

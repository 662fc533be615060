/**
 * What the replica manager needs from the broker around it, and what it offers. The replica
 * manager (this folder) hosts a broker's partitions: it leads some and follows others, as
 * LeaderAndIsr tells it; it serves Produce, Fetch and ListOffsets for them; its followers fetch
 * from their leaders through the transport; it keeps the ISR and the high watermark.
 */
import type { Clock } from '../../common/clock.js'
import type { Random } from '../../common/random.js'
import type { PartitionLog } from '../../log/partition-log.js'
import type { CheckpointStore, PartitionCheckpoint } from '../../storage/checkpoints.js'
import type { TopicPartition } from '../../storage/log-store.js'
import type { BrokerId, PartitionState } from '../api.js'
import type { BrokerConfig, TopicConfig } from '../config.js'
import type { Transport } from '../transport.js'

/** What a log is opened with from its checkpoint. */
export type LogCheckpoint = Pick<
  PartitionCheckpoint,
  'highWatermark' | 'logStartOffset' | 'cleanShutdown'
>

/** Opens and deletes partition logs (memory or disk). */
export interface LogFactory {
  /**
   * Open the log of `tp` (creating it when absent) with `config`, `replicated: true` and the
   * checkpointed high watermark, log start offset and clean-shutdown description passed
   * through.
   */
  open(
    tp: TopicPartition,
    config: Readonly<TopicConfig>,
    checkpoint: LogCheckpoint,
  ): Promise<PartitionLog>
  /** Delete the log of `tp` and its files (it is closed first by the caller). */
  delete(tp: TopicPartition): Promise<void>
}

/** Writes a leader's ISR change, as Kafka's ZooKeeper-mode leaders did. */
export interface IsrWriter {
  /**
   * Write the new ISR of a partition this broker leads, conditional on the state znode's
   * version: returns the new version, or `null` when the version no longer matches (the
   * controller changed the state: the leader must wait for its LeaderAndIsr) or the broker
   * cannot reach the coordinator. The writer also tells the controller (`/isr_change_notification`).
   */
  updateIsr(state: PartitionState, newIsr: readonly BrokerId[]): Promise<number | null>
}

/** What the replica manager is built from. */
export interface ReplicaManagerOptions {
  /** This broker. */
  readonly brokerId: BrokerId
  /** Time and timers. */
  readonly clock: Clock
  /** Randomness (none needed today; for jitter). */
  readonly random: Random
  /** For followers' fetches (sent as `brokerId`). */
  readonly transport: Transport
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** Opens logs. */
  readonly logs: LogFactory
  /** Where high watermarks, log start offsets and leader epochs are saved (disk mode), or none. */
  readonly checkpoints?: CheckpointStore
  /** ISR changes go through this. */
  readonly isr: IsrWriter
  /** A topic's current settings (from `/config/topics/<t>` over the defaults). */
  topicConfig(topic: string): Readonly<TopicConfig>
}

/** A snapshot of one hosted partition, for the Topic and Partition views and tests. */
export interface ReplicaInfo {
  /** The partition. */
  readonly topicPartition: TopicPartition
  /** Whether this broker leads it. */
  readonly isLeader: boolean
  /** The leader as this broker knows it. */
  readonly leader: BrokerId
  /** The leader epoch as this broker knows it. */
  readonly leaderEpoch: number
  /** The ISR (the leader's view; the last LeaderAndIsr's on a follower). */
  readonly isr: readonly BrokerId[]
  /** The replicas. */
  readonly replicas: readonly BrokerId[]
  /** First offset kept. */
  readonly logStartOffset: number
  /** Offsets below this are committed (readable by consumers). */
  readonly highWatermark: number
  /** The next offset to be written. */
  readonly logEndOffset: number
}

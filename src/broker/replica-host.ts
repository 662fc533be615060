/**
 * What the broker needs of the replica manager that hosts its partitions (the shape of
 * `ReplicaManager` in `replica/`). The broker builds one per start through a
 * {@link ReplicaHostFactory}, so tests and the cluster choose the implementation.
 */
import type { ReadOptions, ReadResult } from '../log/log-read.js'
import type { TopicPartition } from '../storage/log-store.js'
import type {
  FetchRequest,
  FetchResponse,
  LeaderAndIsrRequest,
  LeaderAndIsrResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  ProduceRequest,
  ProduceResponse,
  StopReplicaRequest,
  StopReplicaResponse,
} from './api.js'
import type { ReplicaInfo, ReplicaManagerOptions } from './replica/types.js'

/** A broker's partitions: leaders and followers, as LeaderAndIsr says. */
export interface ReplicaHost {
  /** Become leader or follower of the partitions named. */
  becomeLeaderOrFollower(request: LeaderAndIsrRequest): Promise<LeaderAndIsrResponse>
  /** Stop hosting partitions (deleting their logs when asked). */
  stopReplicas(request: StopReplicaRequest): Promise<StopReplicaResponse>
  /** Append to led partitions. */
  produce(request: ProduceRequest): Promise<ProduceResponse>
  /** Read from led partitions (consumers and followers). */
  fetch(request: FetchRequest): Promise<FetchResponse>
  /** Look up offsets in led partitions. */
  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse>
  /** A topic's config changed: re-read it through `topicConfig`. */
  topicConfigChanged(topic: string): void
  /** One hosted partition, or undefined. */
  replica(tp: TopicPartition): ReplicaInfo | undefined
  /** Every hosted partition. */
  replicas(): readonly ReplicaInfo[]
  /** Read this broker's own copy of a hosted partition up to its log end (tests and tools). */
  readLocal(
    tp: TopicPartition,
    fromOffset: number,
    options?: ReadOptions,
  ): Promise<ReadResult | undefined>
  /** Stop: close the logs (`crash`: without flushing or checkpointing, as a killed process). */
  shutdown(options: { crash: boolean }): Promise<void>
}

/** Builds a broker's replica host from what the broker provides. */
export type ReplicaHostFactory = (options: ReplicaManagerOptions) => ReplicaHost

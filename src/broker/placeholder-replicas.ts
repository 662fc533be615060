/**
 * A replica host that keeps leadership state only (no logs): it answers LeaderAndIsr and
 * StopReplica and reports what it hosts, and refuses produce, fetch and list-offsets with
 * `NOT_LEADER_OR_FOLLOWER`. It stands in until the replica manager is wired in, and serves
 * tests of the controller that need no data.
 */
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
import type { ReplicaHost } from './replica-host.js'

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`

/** Leadership without logs. */
export class PlaceholderReplicas implements ReplicaHost {
  readonly #replicas = new Map<string, ReplicaInfo>()

  /** For broker `options.brokerId`. */
  constructor(private readonly options: ReplicaManagerOptions) {}

  async becomeLeaderOrFollower(request: LeaderAndIsrRequest): Promise<LeaderAndIsrResponse> {
    for (const p of request.partitions) {
      const topicPartition = { topic: p.topic, partition: p.partition }
      this.#replicas.set(key(topicPartition), {
        topicPartition,
        isLeader: p.leader === this.options.brokerId,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        isr: p.isr,
        replicas: p.replicas,
        logStartOffset: 0,
        highWatermark: 0,
        logEndOffset: 0,
      })
    }
    return {
      partitions: request.partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
    }
  }

  async stopReplicas(request: StopReplicaRequest): Promise<StopReplicaResponse> {
    for (const p of request.partitions) this.#replicas.delete(key(p))
    return {
      partitions: request.partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
    }
  }

  async produce(request: ProduceRequest): Promise<ProduceResponse> {
    return {
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          error: 'NOT_LEADER_OR_FOLLOWER' as const,
          baseOffset: -1,
          logAppendTimeMs: -1,
          logStartOffset: -1,
        })),
      })),
    }
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    return {
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          error: 'NOT_LEADER_OR_FOLLOWER' as const,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          records: new Uint8Array(0),
        })),
      })),
    }
  }

  async listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse> {
    return {
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          error: 'NOT_LEADER_OR_FOLLOWER' as const,
          timestamp: -1,
          offset: -1,
          leaderEpoch: -1,
        })),
      })),
    }
  }

  topicConfigChanged(_topic: string): void {}

  replica(tp: TopicPartition): ReplicaInfo | undefined {
    return this.#replicas.get(key(tp))
  }

  replicas(): readonly ReplicaInfo[] {
    return [...this.#replicas.values()]
  }

  async shutdown(_options: { crash: boolean }): Promise<void> {
    this.#replicas.clear()
  }
}

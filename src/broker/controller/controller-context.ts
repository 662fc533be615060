/**
 * What the active controller knows (Kafka's `ControllerContext`): its epoch, the live
 * brokers, each topic's assignment and each partition's last state as read from or written to
 * the coordinator, and the topics queued for deletion.
 */
import type { BrokerId, BrokerInfo, PartitionState } from '../api.js'
import type { RegisteredBroker, VersionedState } from '../zk/kafka-zk.js'

/** One topic as the controller knows it. */
export interface TopicEntry {
  /** Replicas per partition. */
  replicas: BrokerId[][]
  /** State per partition; undefined while a partition has none (no live replica yet). */
  states: (VersionedState | undefined)[]
}

/** A partition, by topic and index. */
export interface PartitionKey {
  readonly topic: string
  readonly partition: number
}

/** The controller's state. */
export class ControllerContext {
  /** Live brokers by id. */
  readonly liveBrokers = new Map<BrokerId, RegisteredBroker>()
  /** Topics by name. */
  readonly topics = new Map<string, TopicEntry>()
  /** Topics marked for deletion that the controller is deleting. */
  readonly topicsToDelete = new Set<string>()

  /** The controller's epoch and the version of `/controller_epoch` it wrote. */
  constructor(
    readonly epoch: number,
    readonly epochZkVersion: number,
  ) {}

  /** Whether broker `id` is live. */
  readonly isLive = (id: BrokerId): boolean => this.liveBrokers.has(id)

  /** The live brokers' addresses, by id. */
  liveBrokerInfos(): BrokerInfo[] {
    return [...this.liveBrokers.values()]
      .sort((a, b) => a.nodeId - b.nodeId)
      .map(({ nodeId, host, port, rack }) => ({ nodeId, host, port, rack }))
  }

  /** Every partition that has a state. */
  allPartitions(): PartitionKey[] {
    const out: PartitionKey[] = []
    for (const [topic, entry] of this.topics) {
      entry.states.forEach((s, partition) => {
        if (s !== undefined) out.push({ topic, partition })
      })
    }
    return out
  }

  /** The partitions with a replica on broker `id` (with a state). */
  partitionsOn(id: BrokerId): PartitionKey[] {
    return this.allPartitions().filter((k) => this.replicas(k).includes(id))
  }

  /** A partition's replicas. */
  replicas(key: PartitionKey): readonly BrokerId[] {
    return this.topics.get(key.topic)?.replicas[key.partition] ?? []
  }

  /** A partition's state, or undefined. */
  state(key: PartitionKey): VersionedState | undefined {
    return this.topics.get(key.topic)?.states[key.partition]
  }

  /** Record a partition's state. */
  setState(key: PartitionKey, state: VersionedState): void {
    const entry = this.topics.get(key.topic)
    if (entry !== undefined) entry.states[key.partition] = state
  }

  /** A partition's state as requests carry it, or undefined when it has none. */
  partitionState(key: PartitionKey): PartitionState | undefined {
    const s = this.state(key)
    if (s === undefined) return undefined
    return {
      topic: key.topic,
      partition: key.partition,
      controllerEpoch: s.controllerEpoch,
      leader: s.leader,
      leaderEpoch: s.leaderEpoch,
      isr: s.isr,
      zkVersion: s.zkVersion,
      replicas: this.replicas(key),
    }
  }
}

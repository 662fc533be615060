/**
 * The cluster as a client sees it: brokers, the controller, and each topic's partitions and
 * leaders, from Metadata responses. A {@link MetadataSnapshot} is immutable; the
 * {@link ClusterClient} replaces it on refresh.
 */
import type {
  BrokerId,
  BrokerInfo,
  MetadataResponse,
  PartitionMetadata,
  TopicMetadata,
} from '../broker/api.js'

/** One Metadata response, indexed. */
export class MetadataSnapshot {
  /** Brokers by id. */
  readonly brokers: ReadonlyMap<BrokerId, BrokerInfo>
  /** Topics by name (those asked for, with their errors). */
  readonly topics: ReadonlyMap<string, TopicMetadata>
  /** The controller, or -1. */
  readonly controllerId: BrokerId
  /** The cluster id. */
  readonly clusterId: string

  /** Index a Metadata response. */
  constructor(response: MetadataResponse) {
    this.brokers = new Map(response.brokers.map((b) => [b.nodeId, b]))
    this.topics = new Map(response.topics.map((t) => [t.name, t]))
    this.controllerId = response.controllerId
    this.clusterId = response.clusterId
  }

  /** The metadata of one topic, if the snapshot has it without error. */
  topic(name: string): TopicMetadata | undefined {
    const t = this.topics.get(name)
    return t && t.error === undefined ? t : undefined
  }

  /** One partition's metadata, if known. */
  partition(topic: string, partition: number): PartitionMetadata | undefined {
    return this.topic(topic)?.partitions[partition]
  }

  /** The leader of a partition, or -1 when it has none or is unknown. */
  leaderOf(topic: string, partition: number): BrokerId {
    return this.partition(topic, partition)?.leader ?? -1
  }

  /** How many partitions a topic has (0 when unknown). */
  partitionCount(topic: string): number {
    return this.topic(topic)?.partitions.length ?? 0
  }
}

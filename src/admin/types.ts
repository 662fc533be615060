/**
 * The admin client's inputs and results, in kafkajs's camelCase shapes where kafkajs has one.
 */
import type { BrokerId, ConfigEntry, ConfigResourceType } from '../broker/api.js'

/** Options of `cluster.admin()`. */
export interface AdminOptions {
  /** The client's name on the transport (for `cluster.network.cut`). Default `admin-<n>`. */
  readonly clientId?: string
  /** Retries of a request that failed with a retriable error (default 5). */
  readonly retries?: number
  /** The first backoff between retries (default 100 ms, doubling up to 1 s). */
  readonly retryBackoffMs?: number
  /** Default timeout of requests that wait on the cluster (default 30000 ms). */
  readonly requestTimeoutMs?: number
}

/** One topic to create. */
export interface NewTopic {
  /** The name (Kafka's rules: `[a-zA-Z0-9._-]`, at most 249 characters, not `.` or `..`). */
  readonly topic: string
  /** Partitions (default: the cluster's `num.partitions`). */
  readonly numPartitions?: number
  /** Replicas per partition (default: `default.replication.factor`). */
  readonly replicationFactor?: number
  /** Manual placement: each partition's replicas, preferred leader first. */
  readonly replicaAssignment?: readonly {
    readonly partition: number
    readonly replicas: readonly BrokerId[]
  }[]
  /** Topic configs by Kafka's names; values as strings (numbers and booleans are accepted). */
  readonly configs?: Readonly<Record<string, string | number | boolean>>
}

/** Options of `createTopics`. */
export interface CreateTopicsOptions {
  /** The topics. */
  readonly topics: readonly NewTopic[]
  /** Check only: nothing is created. */
  readonly validateOnly?: boolean
  /** How long to wait for the leaders (default `requestTimeoutMs`). */
  readonly timeout?: number
}

/** One partition as `describeTopics` shows it (`kafka-topics --describe`). */
export interface PartitionDescription {
  /** The partition index. */
  readonly partition: number
  /** The leader's broker id, or -1 when offline. */
  readonly leader: BrokerId
  /** The leader epoch. */
  readonly leaderEpoch: number
  /** The replicas, preferred leader first. */
  readonly replicas: readonly BrokerId[]
  /** The in-sync replicas. */
  readonly isr: readonly BrokerId[]
  /** Whether the partition has no leader. */
  readonly offline: boolean
  /** Replicas on brokers that are down. */
  readonly offlineReplicas: readonly BrokerId[]
}

/** One topic as `describeTopics` shows it. */
export interface TopicDescription {
  /** The topic name. */
  readonly name: string
  /** Whether it is internal (`__consumer_offsets`). */
  readonly isInternal: boolean
  /** Its partitions by index. */
  readonly partitions: readonly PartitionDescription[]
}

/** Options of `createPartitions`. */
export interface CreatePartitionsOptions {
  /** Per topic, the new total number of partitions (it only grows), and optionally where they go. */
  readonly topicPartitions: readonly {
    readonly topic: string
    readonly count: number
    readonly assignments?: readonly (readonly BrokerId[])[]
  }[]
  /** Check only. */
  readonly validateOnly?: boolean
  /** How long to wait for the new leaders. */
  readonly timeout?: number
}

/** A config resource to describe. */
export interface ConfigResource {
  /** `topic` or `broker`. */
  readonly type: ConfigResourceType
  /** The topic name, or the broker id as a string. */
  readonly name: string
  /** Only these configs (default all). */
  readonly configNames?: readonly string[]
}

/** One resource's configs, from `describeConfigs`. */
export interface ConfigDescription {
  /** `topic` or `broker`. */
  readonly type: ConfigResourceType
  /** The resource name. */
  readonly name: string
  /** Every config asked for. */
  readonly configs: readonly ConfigEntry[]
}

/** Options of `alterConfigs`: set values, or delete them with `null` (back to the default). */
export interface AlterConfigsOptions {
  /** The resources (topics) and their changes. */
  readonly resources: readonly {
    readonly type: ConfigResourceType
    readonly name: string
    readonly configs: Readonly<Record<string, string | number | boolean | null>>
  }[]
  /** Check only. */
  readonly validateOnly?: boolean
}

/** What `describeCluster` returns (kafkajs's shape). */
export interface ClusterDescription {
  /** The cluster id. */
  readonly clusterId: string
  /** The controller's broker id, or -1. */
  readonly controller: BrokerId
  /** The live brokers. */
  readonly brokers: readonly {
    readonly nodeId: BrokerId
    readonly host: string
    readonly port: number
  }[]
}

/**
 * A broker's metadata cache (Kafka's `MetadataCache`): the controller's view as the last
 * UpdateMetadata requests carried it: live brokers, the controller, and every partition's
 * leader, ISR and replicas. Metadata and DescribeCluster are answered from it; admin requests
 * wait on it for leaders to appear or topics to go.
 */
import type { Clock } from '../common/clock.js'
import { wakeOrTimeout } from '../common/wake.js'
import { topicNameProblem } from '../log/topic-name.js'
import type {
  BrokerId,
  BrokerInfo,
  PartitionMetadata,
  PartitionState,
  TopicMetadata,
  UpdateMetadataRequest,
} from './api.js'

/** A cached partition: its state and the replicas on brokers that are down. */
export type CachedPartition = PartitionState & { readonly offlineReplicas: readonly BrokerId[] }

/** Topics Kafka treats as internal. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([
  '__consumer_offsets',
  '__transaction_state',
])

/** The broker's copy of the cluster metadata. */
export class MetadataCache {
  #controllerId: BrokerId = -1
  #brokers = new Map<BrokerId, BrokerInfo>()
  readonly #topics = new Map<string, Map<number, CachedPartition>>()
  readonly #listeners = new Set<() => void>()

  /** The controller's id as last told, or -1. */
  get controllerId(): BrokerId {
    return this.#controllerId
  }

  /** The live brokers, by id. */
  get liveBrokers(): readonly BrokerInfo[] {
    return [...this.#brokers.values()].sort((a, b) => a.nodeId - b.nodeId)
  }

  /** Whether broker `id` is live. */
  isLive(id: BrokerId): boolean {
    return this.#brokers.has(id)
  }

  /** The known topic names. */
  topicNames(): string[] {
    return [...this.#topics.keys()]
  }

  /** Whether `topic` is known. */
  hasTopic(topic: string): boolean {
    return this.#topics.has(topic)
  }

  /** The partitions of `topic` by index, or undefined for an unknown topic. */
  partitions(topic: string): CachedPartition[] | undefined {
    const map = this.#topics.get(topic)
    if (map === undefined) return undefined
    return [...map.values()].sort((a, b) => a.partition - b.partition)
  }

  /** One partition, or undefined. */
  partition(topic: string, partition: number): CachedPartition | undefined {
    return this.#topics.get(topic)?.get(partition)
  }

  /**
   * Apply an UpdateMetadata request (its epoch already checked). A `'full'` one replaces the
   * partitions: what it lacks is dropped, as Kafka's ZkMetadataCache does for a full request
   * (it turns the missing partitions into deletions). An UpdateMetadata carrying a deletion
   * may have been lost on the way (its controller died, or took this broker for restarted and
   * dropped its queue); the next full one puts the cache right.
   */
  update(request: UpdateMetadataRequest): void {
    this.#controllerId = request.controllerId
    this.#brokers = new Map(request.liveBrokers.map((b) => [b.nodeId, b]))
    if (request.type === 'full') this.#topics.clear()
    for (const topic of request.deletedTopics) this.#topics.delete(topic)
    for (const state of request.partitionStates) {
      let map = this.#topics.get(state.topic)
      if (map === undefined) {
        map = new Map()
        this.#topics.set(state.topic, map)
      }
      map.set(state.partition, state)
    }
    for (const listener of [...this.#listeners]) listener()
  }

  /** Forget everything (a broker restarting starts empty, as Kafka's does). */
  clear(): void {
    this.#controllerId = -1
    this.#brokers = new Map()
    this.#topics.clear()
    for (const listener of [...this.#listeners]) listener()
  }

  /** The Metadata answer for one topic. */
  topicMetadata(topic: string): TopicMetadata {
    const isInternal = INTERNAL_TOPICS.has(topic)
    const partitions = this.partitions(topic)
    if (partitions === undefined) {
      const invalid = topicNameProblem(topic) !== undefined
      return {
        name: topic,
        isInternal,
        partitions: [],
        error: invalid ? 'INVALID_TOPIC_EXCEPTION' : 'UNKNOWN_TOPIC_OR_PARTITION',
      }
    }
    return { name: topic, isInternal, partitions: partitions.map((p) => this.#partition(p)) }
  }

  #partition(p: CachedPartition): PartitionMetadata {
    const base = {
      partition: p.partition,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
    }
    return this.#brokers.has(p.leader) ? base : { ...base, error: 'LEADER_NOT_AVAILABLE' }
  }

  /**
   * Resolve true as soon as `ready()` holds (checked now and after each update), or false
   * after `timeoutMs` on `clock`, or at once when `signal` aborts.
   */
  waitFor(
    ready: () => boolean,
    timeoutMs: number,
    clock: Clock,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (ready()) return Promise.resolve(true)
    if (timeoutMs <= 0) return Promise.resolve(false)
    const subscribe = (wake: () => void) => {
      const check = () => {
        if (ready()) wake()
      }
      this.#listeners.add(check)
      return () => this.#listeners.delete(check)
    }
    return wakeOrTimeout(clock, timeoutMs, subscribe, signal)
  }
}

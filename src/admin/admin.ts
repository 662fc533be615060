/**
 * The admin client: topics, partitions, configs and the cluster, through the brokers' API as
 * Kafka's `Admin` does it. Topic changes go to the controller (found through metadata; a
 * `NOT_CONTROLLER` answer refreshes and retries); reads go to any broker. A call that fails
 * for one topic throws that topic's error (a `KafkaError` with Kafka's code); the other
 * topics of the same call are done, as in Kafka.
 */
import type { ApiName, ApiRequests, ApiResponses, ResponseError } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { withRetries } from '../client/retry.js'
import type { Clock } from '../common/clock.js'
import type { ErrorCode } from '../common/errors.js'
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import {
  type DescribedConsumerGroup,
  deleteGroups,
  describeGroups,
  fetchOffsets,
  type ListedGroup,
  listGroups,
  type PartitionOffsetLag,
  type ResetOffsetsOptions,
  resetOffsets,
} from '../consumer/admin-groups.js'
import type {
  AdminOptions,
  AlterConfigsOptions,
  ClusterDescription,
  ConfigDescription,
  ConfigResource,
  CreatePartitionsOptions,
  CreateTopicsOptions,
  TopicDescription,
} from './types.js'
import {
  checkAdminOptions,
  checkArray,
  checkNames,
  toAssignments,
  toConfigChanges,
  toCreatableTopic,
  toResourceRef,
  toTimeout,
} from './validate.js'

/** Kafka's admin client, in process. Get one with `cluster.admin()`. */
export class Admin {
  readonly #client: ClusterClient
  readonly #clock: Clock
  readonly #retries: number
  readonly #backoffMs: number
  readonly #timeoutMs: number

  /**
   * An admin client over `client` (the cluster builds it: use `cluster.admin()`).
   *
   * @param client - the connection to the cluster
   * @param clock - time for backoffs
   * @param options - retries and timeouts
   */
  constructor(client: ClusterClient, clock: Clock, options: AdminOptions = {}) {
    checkAdminOptions(options)
    this.#client = client
    this.#clock = clock
    this.#retries = options.retries ?? 5
    this.#backoffMs = options.retryBackoffMs ?? 100
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000
  }

  #retry<T>(attempt: () => Promise<T>): Promise<T> {
    return withRetries(attempt, {
      clock: this.#clock,
      retries: this.#retries,
      backoffMs: this.#backoffMs,
    })
  }

  /** Send to the controller; retry while the answers say `NOT_CONTROLLER` or a broker is away. */
  #toController<K extends ApiName>(
    api: K,
    request: ApiRequests[K],
    results: (response: ApiResponses[K]) => readonly ResponseError[],
  ): Promise<ApiResponses[K]> {
    return this.#retry(async () => {
      const response = await this.#client.sendToController(api, request)
      const moved = results(response).find((r) => r.error === 'NOT_CONTROLLER')
      if (moved) throw fromCode('NOT_CONTROLLER', moved.errorMessage ?? 'the controller moved')
      return response
    })
  }

  #any<K extends ApiName>(api: K, request: ApiRequests[K]): Promise<ApiResponses[K]> {
    return this.#retry(() => this.#client.sendToAny(api, request))
  }

  /** Throw the first error among per-topic results, naming the topic. */
  #throwFirst(results: readonly (ResponseError & { readonly name: string })[]): void {
    const failed = results.find((r) => r.error !== undefined)
    if (failed?.error) {
      throw fromCode(failed.error, `${failed.name}: ${failed.errorMessage ?? failed.error}`)
    }
  }

  /**
   * Create topics. Resolves `true` once every topic's partitions have leaders (or, with
   * `validateOnly`, once the request is found valid). Errors: `TOPIC_ALREADY_EXISTS`,
   * `INVALID_PARTITIONS`, `INVALID_REPLICATION_FACTOR` (more replicas than live brokers),
   * `INVALID_TOPIC_EXCEPTION`, `INVALID_CONFIG`, `INVALID_REPLICA_ASSIGNMENT`,
   * `REQUEST_TIMED_OUT` (created, leaders not yet in place).
   */
  async createTopics(options: CreateTopicsOptions): Promise<boolean> {
    const topics = checkArray(options?.topics, 'topics').map(toCreatableTopic)
    const request = {
      topics,
      timeoutMs: toTimeout(options.timeout, this.#timeoutMs),
      validateOnly: options.validateOnly === true,
    }
    const response = await this.#toController('CreateTopics', request, (r) => r.topics)
    this.#throwFirst(response.topics)
    return true
  }

  /**
   * The names of the topics, sorted; internal topics (`__consumer_offsets`) are left out
   * unless `listInternal` (Kafka's `ListTopicsOptions.listInternal`).
   */
  async listTopics(options: { readonly listInternal?: boolean } = {}): Promise<string[]> {
    const internal = options?.listInternal === true
    const meta = await this.#any('Metadata', { topics: null, allowAutoTopicCreation: false })
    return meta.topics
      .filter((t) => (internal || !t.isInternal) && t.error === undefined)
      .map((t) => t.name)
      .sort()
  }

  /**
   * Leader, replicas and ISR of each partition of the topics (all topics when none are
   * named), as `kafka-topics --describe` shows them. An unknown topic is
   * `UNKNOWN_TOPIC_OR_PARTITION`.
   */
  async describeTopics(
    options: { readonly topics?: readonly string[] } = {},
  ): Promise<TopicDescription[]> {
    const names = options?.topics === undefined ? null : checkNames(options.topics, 'topics')
    const meta = await this.#any('Metadata', { topics: names, allowAutoTopicCreation: false })
    this.#throwFirst(meta.topics)
    return meta.topics
      .filter((t) => names !== null || !t.isInternal)
      .map((t) => ({
        name: t.name,
        isInternal: t.isInternal,
        partitions: [...t.partitions]
          .sort((a, b) => a.partition - b.partition)
          .map((p) => ({
            partition: p.partition,
            leader: p.leader,
            leaderEpoch: p.leaderEpoch,
            replicas: [...p.replicas],
            isr: [...p.isr],
            offline: p.leader < 0,
            offlineReplicas: [...p.offlineReplicas],
          })),
      }))
  }

  /**
   * Grow topics to `count` partitions each. Asking for the same or fewer is
   * `INVALID_PARTITIONS`. New partitions change which partition a key lands on.
   */
  async createPartitions(options: CreatePartitionsOptions): Promise<boolean> {
    const topics = checkArray(options?.topicPartitions, 'topicPartitions').map((tp, i) => {
      if (typeof tp !== 'object' || tp === null) {
        throw new InvalidArgumentError(
          `topicPartitions[${i}] must be an object, got ${describe(tp)}`,
        )
      }
      const [name] = checkNames([tp.topic], `topicPartitions[${i}].topic`)
      if (!Number.isSafeInteger(tp.count)) {
        throw new InvalidArgumentError(
          `topicPartitions[${i}].count must be an integer, got ${describe(tp.count)}`,
        )
      }
      return tp.assignments === undefined
        ? { name: name as string, count: tp.count }
        : { name: name as string, count: tp.count, assignments: toAssignments(tp.assignments, i) }
    })
    const request = {
      topics,
      timeoutMs: toTimeout(options.timeout, this.#timeoutMs),
      validateOnly: options.validateOnly === true,
    }
    const response = await this.#toController('CreatePartitions', request, (r) => r.results)
    this.#throwFirst(response.results)
    return true
  }

  /**
   * Delete topics. With `delete.topic.enable=false` the topics are only marked (under
   * `/admin/delete_topics`) and stay: `TOPIC_DELETION_DISABLED`. An unknown topic is
   * `UNKNOWN_TOPIC_OR_PARTITION`.
   */
  async deleteTopics(options: {
    readonly topics: readonly string[]
    readonly timeout?: number
  }): Promise<void> {
    const topics = checkNames(options?.topics, 'topics')
    const request = { topics, timeoutMs: toTimeout(options.timeout, this.#timeoutMs) }
    const response = await this.#toController('DeleteTopics', request, (r) => r.responses)
    this.#throwFirst(response.responses)
  }

  /** The configs of topics or brokers, each with its value, source and whether it is the default. */
  async describeConfigs(options: {
    readonly resources: readonly ConfigResource[]
  }): Promise<ConfigDescription[]> {
    const resources = checkArray(options?.resources, 'resources').map((r, i) => {
      const { type, name } = toResourceRef(r, i)
      const configNames =
        r.configNames === undefined ? null : checkArray(r.configNames, 'configNames').map(String)
      return { type, name, configNames }
    })
    const response = await this.#any('DescribeConfigs', { resources })
    this.#throwFirst(response.results)
    return response.results.map((r) => ({ type: r.type, name: r.name, configs: r.configs }))
  }

  /**
   * Change some configs of topics and leave the others (Kafka's IncrementalAlterConfigs): a
   * value sets, `null` deletes (back to the default). A bad name or value is `INVALID_CONFIG`
   * and changes nothing of that topic.
   */
  async alterConfigs(options: AlterConfigsOptions): Promise<void> {
    const resources = checkArray(options?.resources, 'resources').map((r, i) => ({
      ...toResourceRef(r, i),
      configs: toConfigChanges(r.configs, i),
    }))
    const request = { resources, validateOnly: options.validateOnly === true }
    const response = await this.#any('IncrementalAlterConfigs', request)
    this.#throwFirst(response.results)
  }

  /** The cluster id, the controller and the live brokers. */
  async describeCluster(): Promise<ClusterDescription> {
    const response = await this.#any('DescribeCluster', {})
    if (response.error) throw fromCode(response.error, response.errorMessage ?? response.error)
    return {
      clusterId: response.clusterId,
      controller: response.controllerId,
      brokers: response.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
    }
  }

  /** Every consumer group of the cluster, with its protocol type and state. */
  listGroups(): Promise<ListedGroup[]> {
    return listGroups(this.#client)
  }

  /**
   * Groups as `kafka-consumer-groups --describe` sees them: state, protocol, and each member
   * with its decoded subscription and assignment. An unknown group is `Dead` with no members.
   */
  describeGroups(groupIds: readonly string[]): Promise<DescribedConsumerGroup[]> {
    return describeGroups(this.#client, this.#clock, groupIds)
  }

  /**
   * A group's committed offsets (of `topics`, default every topic it committed), each with the
   * partition's end offset and the lag (end minus committed; null where nothing is committed).
   */
  fetchOffsets(options: {
    readonly groupId: string
    readonly topics?: readonly string[]
  }): Promise<{ topic: string; partitions: PartitionOffsetLag[] }[]> {
    return fetchOffsets(this.#client, this.#clock, options)
  }

  /**
   * Move a group's committed offsets of one topic: to the `earliest` or `latest` offset, to
   * an `offset`, to the first offset at a `timestamp`, or `shiftBy` records; only some
   * `partitions` if given; with `validateOnly`, only say where they would go. Refused with
   * `NON_EMPTY_GROUP` while the group has members, as Kafka's tools refuse.
   */
  resetOffsets(
    options: ResetOffsetsOptions,
  ): Promise<{ topic: string; partition: number; offset: string }[]> {
    return resetOffsets(this.#client, this.#clock, options)
  }

  /** Delete empty groups and their offsets; per group, the error code if it failed (`NON_EMPTY_GROUP`, `GROUP_ID_NOT_FOUND`). */
  deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; error?: ErrorCode }[]> {
    return deleteGroups(this.#client, this.#clock, groupIds)
  }

  /** Stop using this client: later calls fail with `CLOSED`. */
  async disconnect(): Promise<void> {
    this.#client.close()
  }
}

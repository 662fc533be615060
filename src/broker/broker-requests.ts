/**
 * How a broker serves each API (Kafka's `KafkaApis`): partition traffic goes to the replica
 * manager; the controller's requests are checked against the newest controller epoch seen
 * (`STALE_CONTROLLER_EPOCH`); Metadata and DescribeCluster come from the metadata cache
 * (creating missing topics when asked and allowed); topic administration is the controller's
 * (other brokers answer `NOT_CONTROLLER`); configs and producer ids any broker serves.
 */
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import type { Random } from '../common/random.js'
import type { AdminContext } from './admin/admin-context.js'
import { describeConfigs, incrementalAlterConfigs } from './admin/configs.js'
import { createPartitions } from './admin/create-partitions.js'
import { createTopics } from './admin/create-topics.js'
import { deleteTopics } from './admin/delete-topics.js'
import type {
  ApiName,
  ApiRequests,
  ApiResponses,
  BrokerId,
  InitProducerIdResponse,
  LeaderAndIsrRequest,
  LeaderAndIsrResponse,
  MetadataRequest,
  MetadataResponse,
  StopReplicaRequest,
  StopReplicaResponse,
  TopicMetadata,
  UpdateMetadataRequest,
  UpdateMetadataResponse,
} from './api.js'
import type { BrokerSession } from './broker-session.js'
import type { BrokerConfig } from './config.js'
import { findCoordinator } from './group/find-coordinator.js'
import type { GroupCoordinator } from './group/group-coordinator.js'
import { OFFSETS_TOPIC } from './group/partition-for.js'
import type { MetadataCache } from './metadata-cache.js'
import type { ProducerIdManager } from './producer-ids.js'
import type { ReplicaHost } from './replica-host.js'
import type { TopicConfigs } from './topic-configs.js'

/** What the request handlers see of their broker. */
export interface BrokerRuntime {
  /** The broker id. */
  readonly id: BrokerId
  /** Time, for admin waits. */
  readonly clock: Clock
  /** Randomness, for replica placement. */
  readonly random: Random
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** The metadata cache. */
  readonly cache: MetadataCache
  /** The topic configs. */
  readonly topicConfigs: TopicConfigs
  /** Producer id blocks. */
  readonly producerIds: ProducerIdManager
  /** The current coordinator session, if any. */
  session(): BrokerSession | undefined
  /** The replica manager while running. */
  replicas(): ReplicaHost | undefined
  /** The group coordinator while running. */
  groups(): GroupCoordinator | undefined
  /** The cluster id. */
  clusterId(): string
  /** Whether this broker is the active controller. */
  isController(): boolean
  /** Resolves once this broker's controller (if it is one) has sent out what it has handled. */
  controllerSettled(): Promise<void>
  /** Whether a controller request of `epoch` is current (and remember it). */
  checkEpoch(epoch: number): boolean
}

/** How long a Metadata request that auto-creates a topic waits for its leaders. */
const AUTO_CREATE_WAIT_MS = 1000

const NOT_CONTROLLER = {
  error: 'NOT_CONTROLLER',
  errorMessage: 'This is not the correct controller for this cluster.',
} as const

type Handler<K extends ApiName> = (request: ApiRequests[K]) => Promise<ApiResponses[K]>

type Handlers = { [K in ApiName]: Handler<K> }

/** A broker's request handlers. */
export class BrokerRequests {
  readonly #handlers: Handlers

  /** For the broker `rt` describes. */
  constructor(private readonly rt: BrokerRuntime) {
    this.#handlers = {
      Produce: (r) => this.#rm().produce(r),
      Fetch: (r) => this.#rm().fetch(r),
      ListOffsets: (r) => this.#rm().listOffsets(r),
      Metadata: (r) => this.#metadata(r),
      LeaderAndIsr: (r) => this.#leaderAndIsr(r),
      StopReplica: (r) => this.#stopReplica(r),
      UpdateMetadata: (r) => this.#updateMetadata(r),
      CreateTopics: async (r) =>
        this.rt.isController()
          ? createTopics(this.#admin(), r)
          : {
              topics: r.topics.map((t) => ({
                name: t.name,
                numPartitions: -1,
                replicationFactor: -1,
                ...NOT_CONTROLLER,
              })),
            },
      DeleteTopics: async (r) =>
        this.rt.isController()
          ? deleteTopics(this.#admin(), r)
          : { responses: r.topics.map((name) => ({ name, ...NOT_CONTROLLER })) },
      CreatePartitions: async (r) =>
        this.rt.isController()
          ? createPartitions(this.#admin(), r)
          : { results: r.topics.map((t) => ({ name: t.name, ...NOT_CONTROLLER })) },
      DescribeConfigs: (r) => describeConfigs(this.#admin(), r),
      IncrementalAlterConfigs: (r) => incrementalAlterConfigs(this.#admin(), r),
      DescribeCluster: async () => ({
        clusterId: this.rt.clusterId(),
        controllerId: this.rt.cache.controllerId,
        brokers: this.rt.cache.liveBrokers,
      }),
      InitProducerId: () => this.#initProducerId(),
      FindCoordinator: (r) =>
        findCoordinator(
          {
            config: this.rt.config,
            cache: this.rt.cache,
            createTopic: async (numPartitions, replicationFactor, configs) => {
              await createTopics(this.#admin(), {
                topics: [{ name: OFFSETS_TOPIC, numPartitions, replicationFactor, configs }],
                timeoutMs: AUTO_CREATE_WAIT_MS,
                validateOnly: false,
              })
            },
          },
          r,
        ),
      JoinGroup: async (r) => this.#groups().joinGroup(r),
      SyncGroup: async (r) => this.#groups().syncGroup(r),
      Heartbeat: async (r) => this.#groups().heartbeat(r),
      LeaveGroup: async (r) => this.#groups().leaveGroup(r),
      OffsetCommit: async (r) => this.#groups().offsets.commit(r),
      OffsetFetch: async (r) => this.#groups().offsets.fetch(r),
      DescribeGroups: async (r) => this.#groups().describeGroups(r),
      ListGroups: async (r) => this.#groups().listGroups(r),
      DeleteGroups: async (r) => this.#groups().deleteGroups(r),
    }
  }

  #groups(): GroupCoordinator {
    const groups = this.rt.groups()
    if (groups === undefined)
      throw fromCode('NETWORK_EXCEPTION', `broker ${this.rt.id} is not running`)
    return groups
  }

  /** Tell the group coordinator which `__consumer_offsets` partitions this broker now leads. */
  #offsetsLeadership(request: LeaderAndIsrRequest, response: LeaderAndIsrResponse): void {
    const groups = this.rt.groups()
    if (groups === undefined) return
    const failed = new Set(
      response.partitions
        .filter((p) => p.topic === OFFSETS_TOPIC && p.error !== undefined)
        .map((p) => p.partition),
    )
    for (const s of request.partitions) {
      if (s.topic !== OFFSETS_TOPIC || failed.has(s.partition)) continue
      if (s.leader === this.rt.id) void groups.onElection(s.partition, s.leaderEpoch)
      else void groups.onResignation(s.partition)
    }
  }

  /** Serve one request. */
  handle<K extends ApiName>(api: K, request: ApiRequests[K]): Promise<ApiResponses[K]> {
    const handler = this.#handlers[api] as
      | ((r: ApiRequests[K]) => Promise<ApiResponses[K]>)
      | undefined
    if (handler === undefined) {
      return Promise.reject(fromCode('UNSUPPORTED_VERSION', `unknown API ${String(api)}`))
    }
    return handler(request)
  }

  #rm(): ReplicaHost {
    const rm = this.rt.replicas()
    if (rm === undefined) throw fromCode('NETWORK_EXCEPTION', `broker ${this.rt.id} is not running`)
    return rm
  }

  #session(): BrokerSession {
    const session = this.rt.session()
    if (session === undefined || session.ended) {
      throw fromCode('NETWORK_EXCEPTION', `broker ${this.rt.id} is not running`)
    }
    return session
  }

  #admin(): AdminContext {
    const rt = this.rt
    return {
      zk: this.#session().zk,
      config: rt.config,
      cache: rt.cache,
      clock: rt.clock,
      random: rt.random,
      settled: () => rt.controllerSettled(),
    }
  }

  async #leaderAndIsr(request: LeaderAndIsrRequest): Promise<LeaderAndIsrResponse> {
    if (!this.rt.checkEpoch(request.controllerEpoch))
      return { error: 'STALE_CONTROLLER_EPOCH', partitions: [] }
    const zk = this.#session().zk
    for (const topic of new Set(request.partitions.map((p) => p.topic))) {
      if (!this.rt.topicConfigs.has(topic)) await this.rt.topicConfigs.load(zk, topic)
    }
    const response = await this.#rm().becomeLeaderOrFollower(request)
    if (response.error === undefined) this.#offsetsLeadership(request, response)
    return response
  }

  async #stopReplica(request: StopReplicaRequest): Promise<StopReplicaResponse> {
    if (!this.rt.checkEpoch(request.controllerEpoch))
      return { error: 'STALE_CONTROLLER_EPOCH', partitions: [] }
    const response = await this.#rm().stopReplicas(request)
    for (const p of request.partitions) {
      if (p.topic === OFFSETS_TOPIC) void this.rt.groups()?.onResignation(p.partition)
    }
    for (const p of request.partitions) if (p.deletePartition) this.rt.topicConfigs.forget(p.topic)
    return response
  }

  async #updateMetadata(request: UpdateMetadataRequest): Promise<UpdateMetadataResponse> {
    if (!this.rt.checkEpoch(request.controllerEpoch)) return { error: 'STALE_CONTROLLER_EPOCH' }
    this.rt.cache.update(request)
    return {}
  }

  async #metadata(request: MetadataRequest): Promise<MetadataResponse> {
    const cache = this.rt.cache
    const names = request.topics ?? cache.topicNames().sort()
    const autoCreate =
      request.topics !== null &&
      request.allowAutoTopicCreation &&
      this.rt.config['auto.create.topics.enable']
    const topics: TopicMetadata[] = []
    for (const name of names) {
      const meta = cache.topicMetadata(name)
      if (meta.error === 'UNKNOWN_TOPIC_OR_PARTITION' && autoCreate) {
        const created = await this.#autoCreate(name)
        const now = cache.topicMetadata(name)
        topics.push(
          created.error === undefined && now.error === undefined ? now : { ...meta, ...created },
        )
      } else topics.push(meta)
    }
    return {
      brokers: cache.liveBrokers,
      clusterId: this.rt.clusterId(),
      controllerId: cache.controllerId,
      topics,
    }
  }

  /** Create a missing topic with the defaults (Kafka's auto-creation); the answer's error. */
  async #autoCreate(name: string): Promise<Pick<TopicMetadata, 'error' | 'errorMessage'>> {
    try {
      const { topics } = await createTopics(this.#admin(), {
        topics: [{ name, numPartitions: -1, replicationFactor: -1 }],
        // Kafka answers LEADER_NOT_AVAILABLE at once and lets the client retry; waiting a
        // little for the leaders (no time at all in process) spares the first send a retry.
        timeoutMs: AUTO_CREATE_WAIT_MS,
        validateOnly: false,
      })
      const r = topics[0]!
      if (r.error === undefined) return {}
      if (r.error === 'TOPIC_ALREADY_EXISTS' || r.error === 'REQUEST_TIMED_OUT')
        return { error: 'LEADER_NOT_AVAILABLE' }
      return {
        error: r.error,
        ...(r.errorMessage === undefined ? {} : { errorMessage: r.errorMessage }),
      }
    } catch {
      return { error: 'LEADER_NOT_AVAILABLE' }
    }
  }

  async #initProducerId(): Promise<InitProducerIdResponse> {
    try {
      return { producerId: await this.rt.producerIds.next(this.#session().zk), producerEpoch: 0 }
    } catch (err) {
      return {
        producerId: -1,
        producerEpoch: -1,
        error: 'COORDINATOR_NOT_AVAILABLE',
        errorMessage: err instanceof Error ? err.message : String(err),
      }
    }
  }
}

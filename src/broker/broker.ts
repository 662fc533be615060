/**
 * A broker (Kafka's `KafkaServer` in ZooKeeper mode): it registers `/brokers/ids/<id>` through
 * its own coordinator session, runs for controller, keeps a metadata cache fed by
 * UpdateMetadata, hosts its partitions through a replica manager, and serves every API of
 * `api.ts` (see {@link BrokerRequests}). `kill()` is a crash: the broker leaves the network at
 * once and its session expires only after `zookeeper.session.timeout.ms` on the clock;
 * `restart()` comes back with its logs and a new session; `close()` is a clean stop.
 */
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import type { Random } from '../common/random.js'
import type { ApiName, ApiRequests, ApiResponses, BrokerId, RequestHandler } from './api.js'
import { BrokerRequests } from './broker-requests.js'
import { type BrokerCoordinator, BrokerSession } from './broker-session.js'
import { type BrokerStorage, StoreLogFactory } from './broker-storage.js'
import { servedWhileDraining, settleOnClock } from './clean-shutdown.js'
import type { BrokerConfig } from './config.js'
import { Controller } from './controller/controller.js'
import { GroupCoordinator } from './group/group-coordinator.js'
import { OFFSETS_TOPIC } from './group/partition-for.js'
import { ZkIsrWriter } from './isr-writer.js'
import { MetadataCache } from './metadata-cache.js'
import { ProducerIdManager } from './producer-ids.js'
import type { ReplicaHost, ReplicaHostFactory } from './replica-host.js'
import { TopicConfigs } from './topic-configs.js'
import type { InProcessTransport } from './transport.js'
import { brokerInfo } from './zk/broker-registration.js'
import { brokerPath } from './zk/paths.js'

/** What a broker is built from. @internal */
export interface BrokerOptions {
  /** The broker id. */
  readonly id: BrokerId
  /** The cluster's coordinator. */
  readonly coordinator: BrokerCoordinator
  /** The cluster's network. */
  readonly transport: InProcessTransport
  /** Time and timers. */
  readonly clock: Clock
  /** Randomness (replica placement, cluster id). */
  readonly random: Random
  /** The cluster's broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** Where its logs live. */
  readonly storage: BrokerStorage
  /** Builds its replica manager at each start. */
  readonly replicas: ReplicaHostFactory
  /** Hears errors the broker survived (watch handlers, the controller). */
  readonly onError?: (error: unknown) => void
}

/** The life of a broker. */
export type BrokerState = 'stopped' | 'starting' | 'running' | 'killed' | 'closed'

/** One broker of the cluster. */
export class Broker implements RequestHandler {
  /** The broker id. */
  readonly id: BrokerId
  /** Its metadata cache. @internal */
  readonly cache = new MetadataCache()
  /** Its topic configs. @internal */
  readonly topicConfigs: TopicConfigs
  readonly #options: BrokerOptions
  readonly #producerIds: ProducerIdManager
  readonly #requests: BrokerRequests
  #state: BrokerState = 'stopped'
  #session: BrokerSession | undefined
  #replicas: ReplicaHost | undefined
  #groups: GroupCoordinator | undefined
  #controller: Controller | undefined
  #clusterId = ''
  #elections: Promise<void> = Promise.resolve()
  #stopping: Promise<void> = Promise.resolve()
  #draining: Promise<void> | undefined
  #controllerEpochSeen = 0

  /** A stopped broker; {@link start} starts it. The cluster builds brokers. @internal */
  constructor(options: BrokerOptions) {
    this.#options = options
    this.id = options.id
    this.topicConfigs = new TopicConfigs(options.config)
    this.#producerIds = new ProducerIdManager(options.id)
    this.#requests = new BrokerRequests(this.#runtime())
  }

  #runtime() {
    return {
      id: this.id,
      clock: this.#options.clock,
      random: this.#options.random,
      config: this.#options.config,
      cache: this.cache,
      topicConfigs: this.topicConfigs,
      producerIds: this.#producerIds,
      session: () => this.#session,
      replicas: () => this.#replicas,
      groups: () => this.#groups,
      clusterId: () => this.#clusterId,
      isController: () => this.isController,
      checkEpoch: (epoch: number) => this.#checkEpoch(epoch),
      controllerSettled: async () => {
        await this.controller?.settled()
      },
    }
  }

  /** Its state. */
  get state(): BrokerState {
    return this.#state
  }

  /** Whether it is up (started and not killed or closed). */
  get alive(): boolean {
    return this.#state === 'running' || this.#state === 'starting'
  }

  /** Whether it is the active controller. */
  get isController(): boolean {
    return this.#controller?.active === true
  }

  /** The active controller in this broker, if it is the controller. @internal */
  get controller(): Controller | undefined {
    return this.isController ? this.#controller : undefined
  }

  /** Its replica manager while it runs. @internal */
  get replicaHost(): ReplicaHost | undefined {
    return this.#replicas
  }

  /** Its group coordinator while it runs. @internal */
  get groupCoordinator(): GroupCoordinator | undefined {
    return this.#groups
  }

  /** The cluster id (known once started). */
  get clusterId(): string {
    return this.#clusterId
  }

  /** The id of its current coordinator session, or undefined. */
  get sessionId(): number | undefined {
    return this.#session?.client.sessionId
  }

  /** Start: storage, replica manager, network, registration, and the run for controller. */
  async start(): Promise<void> {
    if (this.#state === 'closed') throw fromCode('CLOSED', `broker ${this.id} is closed`)
    if (this.alive) return
    this.#state = 'starting'
    this.#draining = undefined
    const o = this.#options
    try {
      const session = this.#connect()
      await session.zk.ensurePersistentPaths()
      this.#clusterId = await session.zk.clusterId(o.random)
      const store = await o.storage.open()
      this.#replicas = o.replicas({
        brokerId: this.id,
        clock: o.clock,
        random: o.random.fork(`broker-${this.id}`),
        transport: o.transport,
        config: o.config,
        logs: new StoreLogFactory(store, o.clock),
        ...(o.storage.checkpoints === undefined ? {} : { checkpoints: o.storage.checkpoints }),
        isr: new ZkIsrWriter(() => this.#session?.zk),
        topicConfig: (topic) => this.topicConfigs.get(topic),
      })
      this.#groups = new GroupCoordinator({
        clock: o.clock,
        random: o.random.fork(`groups-${this.id}`),
        config: o.config,
        replicas: () => this.#replicas,
        offsetsPartitionCount: () =>
          this.cache.partitions(OFFSETS_TOPIC)?.length ?? o.config['offsets.topic.num.partitions'],
        partitionExists: (topic, partition) => this.cache.partition(topic, partition) !== undefined,
      })
      o.transport.register(this.id, this)
      await this.#register(session)
      this.#state = 'running'
      await this.#elect()
    } catch (err) {
      if (this.#state === 'starting') this.kill()
      throw err
    }
  }

  #connect(): BrokerSession {
    const client = this.#options.coordinator.connect({
      sessionTimeoutMs: this.#options.config['zookeeper.session.timeout.ms'],
    })
    const session = new BrokerSession(
      client,
      (topic) => this.#topicConfigChanged(topic),
      (err) => this.#error(err),
    )
    this.#session = session
    client.on('expired', () => {
      if (this.#session === session && !session.ended) void this.#renewSession()
    })
    return session
  }

  /** Register `/brokers/ids/<id>`, expiring a registration left by a dead process of this id. */
  async #register(session: BrokerSession): Promise<void> {
    const stale = await session.zk.exists(brokerPath(this.id))
    if (stale !== null && stale.ephemeralOwner !== session.client.sessionId) {
      await this.#options.coordinator.expireSession(stale.ephemeralOwner).catch(() => undefined)
    }
    await session.zk.registerBroker(brokerInfo(this.id), this.#options.clock.now())
    await session.configChanges.start()
  }

  /** The session expired under a running broker: a new session, registered again. */
  async #renewSession(): Promise<void> {
    this.#resign()
    this.#session?.configChanges.stop()
    if (this.#state !== 'running') return
    try {
      const session = this.#connect()
      await this.#register(session)
      await this.#elect()
    } catch (err) {
      this.#error(err)
    }
  }

  /** Run for controller (serialised): called at start and on each `/controller` change. */
  #elect(): Promise<void> {
    this.#elections = this.#elections.then(() => this.#electOnce().catch((err) => this.#error(err)))
    return this.#elections
  }

  readonly #controllerWatch = () => {
    if (this.#state === 'running') void this.#elect()
  }

  async #electOnce(): Promise<void> {
    const session = this.#session
    if (this.#state !== 'running' || session === undefined || session.ended) return
    const current = await session.zk.controllerId(this.#controllerWatch)
    if (current !== -1) {
      if (current !== this.id) this.#resign()
      else if (!this.isController) await session.zk.deleteControllerIfOwned()
      return
    }
    this.#resign()
    const won = await session.zk.registerController(this.id, this.#options.clock.now())
    if (won === null || this.#session !== session || this.#state !== 'running') return
    const controller = new Controller(
      {
        brokerId: this.id,
        zk: session.zk,
        transport: this.#options.transport,
        clock: this.#options.clock,
        config: this.#options.config,
        onMoved: () => {
          if (this.#controller === controller) this.#controller = undefined
          void this.#elect()
        },
        onError: (err) => this.#error(err),
      },
      won.epoch,
      won.epochZkVersion,
    )
    this.#controller = controller
    await controller.start()
  }

  #resign(): void {
    this.#controller?.stop()
    this.#controller = undefined
  }

  #checkEpoch(epoch: number): boolean {
    if (epoch < this.#controllerEpochSeen) return false
    this.#controllerEpochSeen = epoch
    return true
  }

  async #topicConfigChanged(topic: string): Promise<void> {
    const session = this.#session
    if (session === undefined || !this.topicConfigs.has(topic)) return
    if (await this.topicConfigs.load(session.zk, topic)) this.#replicas?.topicConfigChanged(topic)
  }

  #error(err: unknown): void {
    this.#options.onError?.(err)
  }

  /** Serve one request. */
  handle<K extends ApiName>(api: K, request: ApiRequests[K]): Promise<ApiResponses[K]> {
    if (!this.alive) {
      return Promise.reject(fromCode('NETWORK_EXCEPTION', `broker ${this.id} is not running`))
    }
    if (this.#draining !== undefined && !servedWhileDraining(api, request)) {
      return Promise.reject(fromCode('NETWORK_EXCEPTION', `broker ${this.id} is shutting down`))
    }
    return this.#requests.handle(api, request)
  }

  /**
   * Crash: off the network at once, the controller and the replica manager stopped without a
   * flush, and the session left to expire after `zookeeper.session.timeout.ms` on the clock
   * (only then do the controller and the other brokers notice). Returns at once.
   */
  kill(): void {
    if (!this.alive) return
    this.#state = 'killed'
    this.#options.transport.unregister(this.id)
    this.#resign()
    this.#session?.abandon()
    this.cache.clear()
    this.topicConfigs.clear()
    this.#producerIds.reset()
    this.#groups?.shutdown()
    this.#groups = undefined
    const replicas = this.#replicas
    this.#replicas = undefined
    this.#stopping = this.#stopping.then(async () => {
      await replicas?.shutdown({ crash: true }).catch((err) => this.#error(err))
      await this.#options.storage.release().catch((err) => this.#error(err))
    })
  }

  /**
   * Start again after {@link kill} (a live broker is killed first): the logs are reopened
   * (recovered from disk in disk mode) and a new session registers. The old session, if the
   * coordinator has not expired it yet, is expired now (the restarted process cannot resume it).
   */
  async restart(): Promise<void> {
    if (this.#state === 'closed') throw fromCode('CLOSED', `broker ${this.id} is closed`)
    if (this.alive) this.kill()
    await this.#stopping
    const old = this.#session
    if (old !== undefined && old.client.state !== 'expired' && old.client.state !== 'closed') {
      await this.#options.coordinator.expireSession(old.client.sessionId).catch(() => undefined)
    }
    this.#controllerEpochSeen = 0
    await this.start()
  }

  /**
   * The first step of {@link close}: take no more requests but replication and the
   * controller's, and resolve once the group coordinator's appends in flight are written and
   * replicated (each bounded by `offsets.commit.timeout.ms`; see clean-shutdown.ts). The
   * cluster drains every broker before it closes any, so followers still fetch. @internal
   */
  drain(): Promise<void> {
    if (!this.alive) return Promise.resolve()
    this.#draining ??= this.#groups?.drain() ?? Promise.resolve()
    return this.#draining
  }

  /**
   * Stop cleanly: requests refused but replication and the controller's, and the group
   * coordinator's appends in flight written and replicated (each bounded by
   * `offsets.commit.timeout.ms`); then replicas closed with their checkpoints, the session
   * closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#state === 'closed') return this.#stopping
    const drained = this.drain()
    if (this.#groups?.store.appending === true) {
      const bound = 2 * this.#options.config['offsets.commit.timeout.ms']
      await settleOnClock(this.#options.clock, drained, bound)
      if ((this.#state as BrokerState) === 'closed') return this.#stopping
    }
    const wasAlive = this.alive
    this.#state = 'closed'
    this.#resign()
    this.#groups?.shutdown()
    this.#groups = undefined
    const session = this.#session
    const replicas = this.#replicas
    this.#replicas = undefined
    if (wasAlive) this.#options.transport.unregister(this.id)
    this.#stopping = this.#stopping.then(async () => {
      await replicas?.shutdown({ crash: false }).catch((err) => this.#error(err))
      await session?.close()
      await this.#options.storage.close().catch((err) => this.#error(err))
    })
    return this.#stopping
  }
}

/**
 * `createCluster()`: brokers, a controller and a coordinator wired together in this process,
 * in memory or persisted to a data directory, and the {@link Cluster} facade over them.
 *
 * @example
 * ```ts
 * const cluster = await createCluster({ brokers: 3, clock: 'virtual', seed: 42 })
 * cluster.brokers[0].kill()
 * await cluster.clock.advance(30_000)   // the session expires, another broker leads
 * await cluster.close()
 * ```
 */
import { Admin } from './admin/admin.js'
import type { AdminOptions } from './admin/types.js'
import { checkAdminOptions } from './admin/validate.js'
import type { Broker } from './broker/broker.js'
import { settleOnClock } from './broker/clean-shutdown.js'
import type { BrokerConfig } from './broker/config.js'
import type { InProcessTransport } from './broker/transport.js'
import { ClusterClient } from './client/cluster-client.js'
import { type ClusterOptions, resolveClusterOptions } from './cluster/options.js'
import { startCluster } from './cluster/start.js'
import { type Topic, topicView } from './cluster/topic-view.js'
import type { Clock, VirtualClock } from './common/clock.js'
import { fromCode, InvalidArgumentError } from './common/errors.js'
import type { Random } from './common/random.js'
import { describe } from './common/validate.js'
import { Consumer } from './consumer/consumer.js'
import { type ConsumerOptions, resolveConsumerOptions } from './consumer/options.js'
import type { InProcessCoordinator } from './coordination/coordinator.js'
import { type ElectionOptions, LeaderElection } from './coordination/recipes/leader-election.js'
import { Lock, type LockOptions } from './coordination/recipes/lock.js'
import type { CoordinatorClient } from './coordination/types.js'
import { type ProducerOptions, resolveProducerOptions } from './producer/options.js'
import { Producer } from './producer/producer.js'
import type { DataDir } from './storage/data-dir.js'

export type { ClusterOptions } from './cluster/options.js'
export type { Partition, Topic } from './cluster/topic-view.js'

/** What {@link Cluster} is built from (see {@link createCluster}). */
export interface ClusterParts<C extends Clock> {
  /** The clock. */
  readonly clock: C
  /** The seeded randomness. */
  readonly random: Random
  /** The coordinator. */
  readonly coordinator: InProcessCoordinator
  /** The network. */
  readonly transport: InProcessTransport
  /** The brokers, started. */
  readonly brokers: readonly Broker[]
  /** The broker settings. */
  readonly config: Readonly<BrokerConfig>
  /** The open data directory in disk mode. */
  readonly dataDir: DataDir | undefined
}

/** A running in-process cluster. Close it with {@link Cluster.close} (or `await using`). */
export class Cluster<C extends Clock = Clock> implements AsyncDisposable {
  /** The clock everything runs on (a `VirtualClock` with `clock: 'virtual'`). */
  readonly clock: C
  /** The seeded randomness. */
  readonly random: Random
  /** The coordinator (ZooKeeper semantics): `cluster.coordinator.connect()`. */
  readonly coordinator: InProcessCoordinator
  /** The network between clients and brokers: `cut`, `isolate`, `heal`, `slow`, `drop`. */
  readonly network: InProcessTransport
  /** The same network, as clients send through it. */
  readonly transport: InProcessTransport
  /** The brokers, by id. */
  readonly brokers: readonly Broker[]
  /** The broker settings every broker runs with. */
  readonly config: Readonly<BrokerConfig>
  readonly #dataDir: DataDir | undefined
  readonly #recipes = new Set<{ close(): Promise<void> }>()
  #recipeClient: CoordinatorClient | undefined
  #recipeCount = 0
  readonly #producers = new Set<Producer>()
  readonly #consumers = new Set<Consumer>()
  readonly #clients = new Set<ClusterClient>()
  readonly #clientCounts = new Map<string, number>()
  #closing: Promise<void> | undefined

  /** @internal Use {@link createCluster}. */
  constructor(parts: ClusterParts<C>) {
    this.clock = parts.clock
    this.random = parts.random
    this.coordinator = parts.coordinator
    this.network = parts.transport
    this.transport = parts.transport
    this.brokers = parts.brokers
    this.config = parts.config
    this.#dataDir = parts.dataDir
  }

  /** The current controller's broker id, or -1 while there is none. */
  controller(): number {
    return this.brokers.find((b) => b.isController)?.id ?? -1
  }

  /** A topic as the cluster sees it now (`UNKNOWN_TOPIC_OR_PARTITION` if unknown). */
  topic(name: string): Topic {
    this.#checkOpen()
    return topicView(this.brokers, name)
  }

  /** A client of the cluster named `<kind>-<n>` on the network (for `cluster.network.cut`). */
  #client(kind: string, clientId: string | undefined): ClusterClient {
    const n = (this.#clientCounts.get(kind) ?? 0) + 1
    this.#clientCounts.set(kind, n)
    const client = new ClusterClient({
      clientId: clientId ?? `${kind}-${n}`,
      transport: this.transport,
      clock: this.clock,
      bootstrap: this.brokers.map((b) => b.id),
    })
    this.#clients.add(client)
    return client
  }

  /** An admin client: topics, partitions, configs, the cluster. */
  admin(options: AdminOptions = {}): Admin {
    this.#checkOpen()
    checkAdminOptions(options)
    return new Admin(this.#client('admin', options.clientId), this.clock, options)
  }

  /**
   * A producer (Kafka's semantics: acks, partitioners, batching, retries, idempotence). It
   * is named `producer-<n>` on the network unless `clientId` says otherwise; `close()`
   * disconnects it.
   */
  producer(options: ProducerOptions & { readonly clientId?: string } = {}): Producer {
    this.#checkOpen()
    const { clientId, ...producerOptions } = checkClientOptions(options, 'producer')
    resolveProducerOptions(producerOptions)
    const client = this.#client('producer', clientId)
    const producer = new Producer({
      client,
      clock: this.clock,
      random: this.random.fork(String(client.clientId)),
      options: producerOptions,
    })
    this.#producers.add(producer)
    return producer
  }

  /**
   * A consumer (Kafka's group semantics, kafkajs's API). It is named `consumer-<n>` on the
   * network unless `clientId` says otherwise; `close()` disconnects it (it leaves its group).
   */
  consumer(options: ConsumerOptions = {}): Consumer {
    this.#checkOpen()
    resolveConsumerOptions(options)
    const client = this.#client('consumer', options.clientId)
    const consumer = new Consumer({ client, clock: this.clock, options })
    this.#consumers.add(consumer)
    return consumer
  }

  /** A distributed lock on `path` (the Lock recipe, on a session of the cluster's own). */
  lock(path: string, options?: LockOptions): Lock {
    this.#checkOpen()
    if (this.#recipeClient === undefined || this.#recipeClient.state === 'expired') {
      this.#recipeClient = this.coordinator.connect()
    }
    const lock = new Lock(this.#recipeClient, path, this.#recipeOptions(options))
    this.#recipes.add(lock)
    return lock
  }

  /** A leader election on `path` (the LeaderElection recipe, rejoining on a fresh session after expiry). */
  election(path: string, options: ElectionOptions): LeaderElection {
    this.#checkOpen()
    const election = new LeaderElection(
      () => this.coordinator.connect(),
      path,
      this.#recipeOptions(options),
    )
    this.#recipes.add(election)
    return election
  }

  /**
   * A recipe's options with the cluster's clock and a fork of its seeded randomness (one per
   * recipe, so two recipes never draw the same node ids) where the caller gave none. Options
   * that are not an object are left to the recipe to refuse.
   */
  #recipeOptions<T extends LockOptions | ElectionOptions | undefined>(options: T): T {
    if (options !== undefined && (typeof options !== 'object' || options === null)) return options
    const random = this.random.fork(`recipe-${++this.#recipeCount}`)
    return { clock: this.clock, random, ...options } as T
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) throw fromCode('CLOSED', 'the cluster is closed')
  }

  /** Stop everything: brokers, recipes, the coordinator, the data directory. No timers are left. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#recipes].map((r) => r.close().catch(() => undefined)))
      await Promise.all([...this.#consumers].map((c) => c.disconnect().catch(() => undefined)))
      await Promise.all([...this.#producers].map((p) => p.disconnect().catch(() => undefined)))
      for (const client of this.#clients) client.close()
      await this.#drainBrokers()
      await Promise.all(this.brokers.map((b) => b.close()))
      await this.#recipeClient?.close().catch(() => undefined)
      await this.coordinator.close()
      await this.#dataDir?.close()
    })()
    return this.#closing
  }

  /**
   * Every broker stops taking requests and finishes its group coordinator's appends before
   * any broker closes, so followers still fetch them: the group its last member left is
   * stored Empty on every replica, and a reopened directory shows it so (see clean-shutdown.ts).
   */
  async #drainBrokers(): Promise<void> {
    const drained = Promise.all(this.brokers.map((b) => b.drain()))
    await settleOnClock(this.clock, drained, 2 * this.config['offsets.commit.timeout.ms'])
  }

  /** `await using cluster = await createCluster()` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/**
 * `options` when it is an object whose `clientId`, if any, is a non-empty string (checked
 * before a client is made for it); else `INVALID_ARGUMENT`.
 */
function checkClientOptions<T extends { readonly clientId?: string }>(options: T, what: string): T {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`${what} options must be an object, got ${describe(options)}`)
  }
  const { clientId } = options
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    throw new InvalidArgumentError(`clientId must be a non-empty string, got ${describe(clientId)}`)
  }
  return options
}

/**
 * Start a cluster. Resolves once every broker is registered and a controller is elected and
 * has told every broker (no clock advance needed under a virtual clock). Bad options are
 * `INVALID_ARGUMENT` / `INVALID_CONFIG` with nothing started; a `dataDir` open in another
 * cluster is `STORAGE_UNAVAILABLE`.
 */
export async function createCluster(
  options: ClusterOptions & { clock: 'virtual' },
): Promise<Cluster<VirtualClock>>
/** Start a cluster on the given clock. */
export async function createCluster<C extends Clock>(
  options: ClusterOptions & { clock: C },
): Promise<Cluster<C>>
/** Start a cluster on the real clock (or as `options.clock` says). */
export async function createCluster(options?: ClusterOptions): Promise<Cluster>
export async function createCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const resolved = resolveClusterOptions(options)
  return new Cluster(await startCluster(resolved))
}

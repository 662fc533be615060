/**
 * The active controller (Kafka's `KafkaController` in ZooKeeper mode). One broker at a time
 * holds it, by the ephemeral `/controller`. It keeps a {@link ControllerContext}, reacts to
 * watches one event at a time (brokers joining and leaving, topics created, partitions added,
 * topics marked for deletion, ISR changes reported by leaders), writes partition states
 * (epoch-checked), and tells brokers through LeaderAndIsr, UpdateMetadata and StopReplica.
 */
import type { Clock } from '../../common/clock.js'
import type { BrokerId } from '../api.js'
import type { BrokerConfig } from '../config.js'
import { parseTopicConfig } from '../config.js'
import type { Transport } from '../transport.js'
import type { KafkaZk } from '../zk/kafka-zk.js'
import { decodeIsrChange } from '../zk/misc-znodes.js'
import { ISR_CHANGES_PATH, TOPICS_PATH } from '../zk/paths.js'
import { ControllerChannel } from './channel.js'
import { ControllerContext, type PartitionKey } from './controller-context.js'
import { ControllerMovedError } from './errors.js'
import { afterBrokerFailure } from './leader-election.js'
import { Propagation } from './propagation.js'
import { StateWriter } from './state-writer.js'
import { TopicDeletion } from './topic-deletion.js'

/** What a controller is built from. */
export interface ControllerOptions {
  /** The broker it runs in. */
  readonly brokerId: BrokerId
  /** That broker's coordinator access. */
  readonly zk: KafkaZk
  /** For requests to brokers. */
  readonly transport: Transport
  /** For retry backoffs. */
  readonly clock: Clock
  /** The broker settings (`delete.topic.enable`, `unclean.leader.election.enable`). */
  readonly config: Readonly<BrokerConfig>
  /** Called when another controller took over (this one stopped itself). */
  readonly onMoved: () => void
  /** Called with errors the controller survived (for tests and logs). */
  readonly onError?: (error: unknown) => void
}

/** One term of the active controller. */
export class Controller {
  /** What it knows. */
  readonly ctx: ControllerContext
  readonly #options: ControllerOptions
  readonly #channel: ControllerChannel
  readonly #send: Propagation
  readonly #states: StateWriter
  readonly #deletion: TopicDeletion
  #queue: Promise<void> = Promise.resolve()
  #halted = false

  /** A controller of epoch `epoch` (it wrote `/controller_epoch` at version `epochZkVersion`). */
  constructor(options: ControllerOptions, epoch: number, epochZkVersion: number) {
    this.#options = options
    this.ctx = new ControllerContext(epoch, epochZkVersion)
    this.#channel = new ControllerChannel(options.transport, options.brokerId, options.clock)
    this.#send = new Propagation(this.ctx, this.#channel, options.brokerId)
    this.#states = new StateWriter(this.ctx, options.zk)
    this.#deletion = new TopicDeletion({
      ctx: this.ctx,
      zk: options.zk,
      channel: this.#channel,
      send: this.#send,
      controllerId: options.brokerId,
      enqueue: (fn) => this.#enqueue(fn),
    })
  }

  /** The controller epoch. */
  get epoch(): number {
    return this.ctx.epoch
  }

  /** Whether it still acts. */
  get active(): boolean {
    return !this.#halted
  }

  /** Take over: read everything, tell every broker. Resolves when that is done. */
  start(): Promise<void> {
    return this.#enqueue(() => this.#failover())
  }

  /** Stop acting (resigned or the broker stopped); queued requests are dropped. */
  stop(): void {
    this.#halted = true
    this.#channel.close()
  }

  /** Resolves once the events queued so far are handled. */
  idle(): Promise<void> {
    return this.#enqueue(async () => {})
  }

  /**
   * Resolves once the events queued so far are handled and every live broker has been sent
   * what they caused (its metadata cache is up to date).
   */
  async settled(): Promise<void> {
    await this.idle()
    await this.#channel.drained()
  }

  #enqueue(fn: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (this.#halted) return
      try {
        await fn()
      } catch (err) {
        if (this.#halted) return
        if (err instanceof ControllerMovedError) {
          this.stop()
          this.#options.onMoved()
        } else this.#options.onError?.(err)
      }
    }
    this.#queue = this.#queue.then(run)
    return this.#queue
  }

  readonly #brokersWatch = () => void this.#enqueue(() => this.#onBrokerChange())
  readonly #topicsWatch = () => void this.#enqueue(() => this.#onTopicChange())
  readonly #isrWatch = () => void this.#enqueue(() => this.#onIsrChange())
  readonly #deletionsWatch = () =>
    void this.#enqueue(() =>
      this.#deletion.onMarksChanged(this.#deletionsWatch, this.#options.config),
    )
  readonly #topicDataWatch = (event: { type: string; path: string }) => {
    if (event.type !== 'NodeDataChanged') return
    const topic = event.path.slice(TOPICS_PATH.length + 1)
    void this.#enqueue(() => this.#onPartitionModification(topic))
  }

  async #failover(): Promise<void> {
    const zk = this.#options.zk
    for (const b of await zk.liveBrokers(this.#brokersWatch)) {
      this.ctx.liveBrokers.set(b.nodeId, b)
      this.#channel.addBroker(b.nodeId)
    }
    for (const topic of await zk.topics(this.#topicsWatch)) await this.#loadTopic(topic)
    await this.#deletion.onMarksChanged(this.#deletionsWatch, this.#options.config, false)
    await this.#readIsrChanges()
    this.#send.fullMetadata()
    for (const id of this.ctx.liveBrokers.keys()) {
      this.#send.leaderAndIsr(this.#hostedLive(id), { only: [id] })
    }
    await this.#initializeNewPartitions()
    await this.#electOffline()
    this.#deletion.resume(this.#options.config)
  }

  /** The partitions with a replica on `id`, except topics being deleted. */
  #hostedLive(id: BrokerId): PartitionKey[] {
    return this.ctx.partitionsOn(id).filter((k) => !this.ctx.topicsToDelete.has(k.topic))
  }

  async #loadTopic(topic: string): Promise<void> {
    const found = await this.#options.zk.assignment(topic, this.#topicDataWatch)
    if (found === null) return
    const states = []
    for (let p = 0; p < found.assignment.length; p++) {
      states.push((await this.#options.zk.partitionState(topic, p)) ?? undefined)
    }
    this.ctx.topics.set(topic, { replicas: found.assignment, states })
  }

  async #onBrokerChange(): Promise<void> {
    const current = await this.#options.zk.liveBrokers(this.#brokersWatch)
    const now = new Map(current.map((b) => [b.nodeId, b]))
    const dead: BrokerId[] = []
    const born: BrokerId[] = []
    for (const [id, b] of this.ctx.liveBrokers) {
      const again = now.get(id)
      if (again === undefined || again.epoch !== b.epoch) dead.push(id)
    }
    for (const [id, b] of now) {
      const before = this.ctx.liveBrokers.get(id)
      if (before === undefined || before.epoch !== b.epoch) born.push(id)
    }
    for (const id of dead) {
      this.ctx.liveBrokers.delete(id)
      this.#channel.removeBroker(id)
    }
    this.#deletion.onBrokersDead(dead)
    if (dead.length > 0) await this.#onBrokerFailure(dead)
    for (const id of born) {
      this.ctx.liveBrokers.set(id, now.get(id)!)
      this.#channel.addBroker(id)
    }
    if (born.length > 0) await this.#onBrokerStartup(born)
  }

  async #onBrokerFailure(dead: readonly BrokerId[]): Promise<void> {
    // A topic being deleted elects no leader (Kafka's onReplicasBecomeOffline): a LeaderAndIsr
    // would recreate the partition on a replica that already deleted it.
    const affected = this.ctx
      .allPartitions()
      .filter((k) => !this.ctx.topicsToDelete.has(k.topic))
      .filter((k) => this.ctx.replicas(k).some((id) => dead.includes(id)))
    const changed: PartitionKey[] = []
    for (const key of affected) {
      const unclean = await this.#unclean(key.topic)
      const moved = await this.#states.transition(key, (cur) =>
        afterBrokerFailure(this.ctx.replicas(key), cur, this.ctx.isLive, unclean, this.ctx.epoch),
      )
      if (moved) changed.push(key)
    }
    this.#send.leaderAndIsr(changed)
    this.#send.updateMetadata(affected)
  }

  async #onBrokerStartup(born: readonly BrokerId[]): Promise<void> {
    this.#send.fullMetadata(born)
    const others = [...this.ctx.liveBrokers.keys()].filter((id) => !born.includes(id))
    this.#send.updateMetadata([], { brokers: others })
    for (const id of born) this.#send.leaderAndIsr(this.#hostedLive(id), { only: [id] })
    await this.#initializeNewPartitions()
    await this.#electOffline()
    this.#deletion.resume(this.#options.config)
  }

  async #unclean(topic: string): Promise<boolean> {
    const raw = await this.#options.zk.topicConfig(topic)
    try {
      const parsed = parseTopicConfig({
        'unclean.leader.election.enable': raw['unclean.leader.election.enable'],
      })
      return (
        parsed['unclean.leader.election.enable'] ??
        this.#options.config['unclean.leader.election.enable']
      )
    } catch {
      return this.#options.config['unclean.leader.election.enable']
    }
  }

  /**
   * Bring every partition in line with the live brokers: elect leaders of partitions without a
   * live one, take dead replicas out of ISRs (Kafka's failover runs the partition and replica
   * state machines the same way).
   */
  async #electOffline(): Promise<void> {
    const changed: PartitionKey[] = []
    for (const key of this.ctx.allPartitions()) {
      if (this.ctx.topicsToDelete.has(key.topic)) continue
      const state = this.ctx.state(key)!
      const healthy = this.ctx.isLive(state.leader) && state.isr.every(this.ctx.isLive)
      if (healthy) continue
      const unclean = await this.#unclean(key.topic)
      const moved = await this.#states.transition(key, (cur) =>
        afterBrokerFailure(this.ctx.replicas(key), cur, this.ctx.isLive, unclean, this.ctx.epoch),
      )
      if (moved) changed.push(key)
    }
    this.#send.changed(changed)
  }

  /** Give partitions without a state one: the first live replica leads, the live ones are the ISR. */
  async #initializeNewPartitions(): Promise<void> {
    const created: PartitionKey[] = []
    for (const [topic, entry] of this.ctx.topics) {
      for (let partition = 0; partition < entry.replicas.length; partition++) {
        if (entry.states[partition] !== undefined) continue
        const live = entry.replicas[partition]!.filter(this.ctx.isLive)
        if (live.length === 0) continue
        const key = { topic, partition }
        const state = {
          leader: live[0]!,
          leaderEpoch: 0,
          isr: live,
          controllerEpoch: this.ctx.epoch,
        }
        if (await this.#states.create(key, state)) created.push(key)
      }
    }
    this.#send.changed(created, true)
  }

  async #onTopicChange(): Promise<void> {
    const topics = await this.#options.zk.topics(this.#topicsWatch)
    for (const topic of topics) if (!this.ctx.topics.has(topic)) await this.#loadTopic(topic)
    await this.#initializeNewPartitions()
    await this.#electOffline()
  }

  async #onPartitionModification(topic: string): Promise<void> {
    const entry = this.ctx.topics.get(topic)
    const found = await this.#options.zk.assignment(topic, this.#topicDataWatch)
    if (entry === undefined || found === null) return
    for (let p = entry.replicas.length; p < found.assignment.length; p++) {
      entry.replicas.push(found.assignment[p]!)
      entry.states.push((await this.#options.zk.partitionState(topic, p)) ?? undefined)
    }
    await this.#initializeNewPartitions()
  }

  async #readIsrChanges(): Promise<PartitionKey[]> {
    const client = this.#options.zk.client
    const names = await client.getChildren(ISR_CHANGES_PATH, { watch: this.#isrWatch })
    const keys = new Map<string, PartitionKey>()
    for (const name of names) {
      const path = `${ISR_CHANGES_PATH}/${name}`
      try {
        const { data } = await client.getData(path)
        for (const p of decodeIsrChange(path, data)) keys.set(`${p.topic}\u0000${p.partition}`, p)
      } catch (err) {
        this.#options.onError?.(err)
      }
      await client.delete(path).catch(() => undefined)
    }
    return [...keys.values()]
  }

  async #onIsrChange(): Promise<void> {
    const keys = (await this.#readIsrChanges()).filter((k) => this.ctx.state(k) !== undefined)
    for (const key of keys) await this.#states.refresh(key)
    if (keys.length > 0) this.#send.updateMetadata(keys)
  }
}

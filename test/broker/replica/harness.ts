/**
 * A small cluster for replica-manager tests: brokers (ReplicaManagers) on one
 * InProcessTransport with a VirtualClock, memory logs kept across restarts, a fake ISR writer
 * that keeps each partition's state "znode" with a version (conditional writes), and a
 * test-side controller that elects leaders and sends LeaderAndIsr.
 */
import { MemoryLevel } from 'memory-level'
import type {
  ApiName,
  ApiRequests,
  ApiResponses,
  BrokerId,
  FetchPartitionResponse,
  PartitionState,
  ProducePartitionResponse,
  RequestHandler,
} from '../../../src/broker/api.js'
import {
  type BrokerConfig,
  logConfigOf,
  resolveBrokerConfig,
  resolveTopicConfig,
  type TopicConfig,
} from '../../../src/broker/config.js'
import { ReplicaManager } from '../../../src/broker/replica/replica-manager.js'
import type { IsrWriter, LogFactory } from '../../../src/broker/replica/types.js'
import { InProcessTransport } from '../../../src/broker/transport.js'
import { VirtualClock } from '../../../src/common/clock.js'
import { createRandom } from '../../../src/common/random.js'
import { splitBatches } from '../../../src/log/batch-header.js'
import { PartitionLog } from '../../../src/log/partition-log.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../../src/log/record-batch.js'
import { CheckpointStore } from '../../../src/storage/checkpoints.js'
import { MemoryLogStore } from '../../../src/storage/memory-log-store.js'

export const TOPIC = 'orders'

/** Let in-process replication run (promises only) without moving the clock. */
export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

function key(topic: string, partition: number): string {
  return `${topic}/${partition}`
}

/** One broker's disks: kept across kills and restarts. */
interface Disk {
  readonly logs: MemoryLogStore
  readonly meta: MemoryLevel<string, string>
  readonly checkpoints: CheckpointStore
}

export interface ClusterOptions {
  brokers?: number
  config?: Record<string, unknown>
  topicConfig?: Partial<TopicConfig>
  checkpoints?: boolean
}

export class TestCluster {
  readonly clock = new VirtualClock()
  readonly transport = new InProcessTransport(this.clock)
  readonly config: Readonly<BrokerConfig>
  readonly managers: (ReplicaManager | undefined)[] = []
  readonly disks: Disk[] = []
  /** The logs each broker's factory opened, by partition. */
  readonly logs: Map<string, PartitionLog>[] = []
  /** The state "znodes": what the controller and ISR writes keep. */
  readonly states = new Map<string, PartitionState>()
  topicConfig: Partial<TopicConfig>
  controllerEpoch = 1
  readonly useCheckpoints: boolean

  constructor(options: ClusterOptions = {}) {
    this.config = resolveBrokerConfig({
      'replica.lag.time.max.ms': 10_000,
      'replica.fetch.wait.max.ms': 500,
      'replica.fetch.backoff.ms': 1000,
      ...options.config,
    })
    this.topicConfig = options.topicConfig ?? {}
    this.useCheckpoints = options.checkpoints === true
    for (let id = 0; id < (options.brokers ?? 3); id++) {
      const meta = new MemoryLevel<string, string>()
      this.disks.push({
        logs: new MemoryLogStore(),
        meta,
        checkpoints: new CheckpointStore(meta, false),
      })
      this.start(id)
    }
  }

  /** The fake ISR writer: conditional on the state version, as ZooKeeper's setData. */
  isrWriter(): IsrWriter {
    return {
      updateIsr: async (state, newIsr) => {
        const k = key(state.topic, state.partition)
        const cur = this.states.get(k)
        if (cur === undefined || cur.zkVersion !== state.zkVersion) return null
        const next = { ...cur, isr: [...newIsr], zkVersion: cur.zkVersion + 1 }
        this.states.set(k, next)
        return next.zkVersion
      },
    }
  }

  logFactory(id: BrokerId): LogFactory {
    const disk = this.disks[id] as Disk
    const opened = new Map<string, PartitionLog>()
    this.logs[id] = opened
    return {
      open: async (tp, config, checkpoint) => {
        const log = await PartitionLog.open({
          topicPartition: tp,
          store: await disk.logs.openPartition(tp),
          clock: this.clock,
          config: logConfigOf(config),
          replicated: true,
          highWatermark: checkpoint.highWatermark,
          logStartOffset: checkpoint.logStartOffset,
        })
        opened.set(key(tp.topic, tp.partition), log)
        return log
      },
      delete: (tp) => disk.logs.deletePartition(tp),
    }
  }

  start(id: BrokerId): ReplicaManager {
    const disk = this.disks[id] as Disk
    const manager = new ReplicaManager({
      brokerId: id,
      clock: this.clock,
      random: createRandom(id),
      transport: this.transport,
      config: this.config,
      logs: this.logFactory(id),
      checkpoints: this.useCheckpoints ? disk.checkpoints : undefined,
      isr: this.isrWriter(),
      topicConfig: () => resolveTopicConfig(this.config, this.topicConfig),
    })
    this.managers[id] = manager
    const handler: RequestHandler = {
      handle: <K extends ApiName>(api: K, req: ApiRequests[K]): Promise<ApiResponses[K]> => {
        const r = req as never
        switch (api) {
          case 'Produce':
            return manager.produce(r) as Promise<ApiResponses[K]>
          case 'Fetch':
            return manager.fetch(r) as Promise<ApiResponses[K]>
          case 'ListOffsets':
            return manager.listOffsets(r) as Promise<ApiResponses[K]>
          case 'LeaderAndIsr':
            return manager.becomeLeaderOrFollower(r) as Promise<ApiResponses[K]>
          case 'StopReplica':
            return manager.stopReplicas(r) as Promise<ApiResponses[K]>
          default:
            return Promise.reject(new Error(`unexpected ${api}`))
        }
      },
    }
    this.transport.register(id, handler)
    return manager
  }

  manager(id: BrokerId): ReplicaManager {
    const m = this.managers[id]
    if (m === undefined) throw new Error(`broker ${id} is down`)
    return m
  }

  isUp(id: BrokerId): boolean {
    return this.managers[id] !== undefined
  }

  /** Kill a broker: unreachable at once, its manager shut down (crash: no checkpoint). */
  async kill(id: BrokerId, crash = true): Promise<void> {
    const m = this.managers[id]
    if (m === undefined) return
    this.managers[id] = undefined
    this.transport.unregister(id)
    await m.shutdown({ crash })
  }

  /** Restart a broker over its kept logs, and tell it the states of its partitions. */
  async restart(id: BrokerId): Promise<void> {
    this.start(id)
    for (const s of this.states.values()) {
      if (s.replicas.includes(id)) await this.sendState(s, [id])
    }
  }

  state(partition = 0, topic = TOPIC): PartitionState {
    const s = this.states.get(key(topic, partition))
    if (s === undefined) throw new Error('no such partition')
    return s
  }

  /** Send a partition's state to `to` (default: every live replica). */
  async sendState(s: PartitionState, to: readonly BrokerId[] = s.replicas) {
    const liveLeaders = this.isUp(s.leader)
      ? [{ nodeId: s.leader, host: `logkeeper-${s.leader}`, port: 9092 + s.leader, rack: null }]
      : []
    const out = []
    for (const id of to) {
      if (!this.isUp(id)) continue
      out.push(
        await this.manager(id).becomeLeaderOrFollower({
          controllerId: 100,
          controllerEpoch: this.controllerEpoch,
          partitions: [{ ...s, isNew: false }],
          liveLeaders,
        }),
      )
    }
    return out
  }

  async createTopic(replicas: BrokerId[] = [0, 1, 2], partitions = 1, topic = TOPIC) {
    for (let partition = 0; partition < partitions; partition++) {
      const s: PartitionState = {
        topic,
        partition,
        controllerEpoch: this.controllerEpoch,
        leader: replicas[partition % replicas.length] as BrokerId,
        leaderEpoch: 0,
        isr: [...replicas],
        zkVersion: 0,
        replicas,
      }
      this.states.set(key(topic, partition), s)
      await this.sendState(s)
    }
  }

  /** The controller elects `leader` with `isr` (default: the current ISR): a new leader epoch. */
  async elect(
    leader: BrokerId,
    isr?: readonly BrokerId[],
    to?: BrokerId[],
    partition = 0,
    topic = TOPIC,
  ) {
    const cur = this.state(partition, topic)
    const s: PartitionState = {
      ...cur,
      leader,
      isr: isr ?? [...cur.isr],
      leaderEpoch: cur.leaderEpoch + 1,
      zkVersion: cur.zkVersion + 1,
      controllerEpoch: this.controllerEpoch,
    }
    this.states.set(key(topic, partition), s)
    await this.sendState(s, to)
    return s
  }

  async produce(
    to: BrokerId,
    values: string[],
    options: {
      acks?: -1 | 0 | 1
      timeoutMs?: number
      partition?: number
      records?: Uint8Array
    } = {},
  ): Promise<ProducePartitionResponse> {
    const records =
      options.records ??
      encodeRecordBatch({ records: values.map((v) => ({ key: null, value: v, timestamp: 1000 })) })
    const res = await this.transport.send('client', to, 'Produce', {
      acks: options.acks ?? -1,
      timeoutMs: options.timeoutMs ?? 30_000,
      topics: [{ topic: TOPIC, partitions: [{ partition: options.partition ?? 0, records }] }],
    })
    return res.topics[0]?.partitions[0] as ProducePartitionResponse
  }

  /** Produce straight to broker `id`'s replica manager (past any cut). */
  async produceDirect(id: BrokerId, values: string[], acks: -1 | 0 | 1 = -1) {
    const records = encodeRecordBatch({
      records: values.map((v) => ({ key: null, value: v, timestamp: 1000 })),
    })
    const res = await this.manager(id).produce({
      acks,
      timeoutMs: 30_000,
      topics: [{ topic: TOPIC, partitions: [{ partition: 0, records }] }],
    })
    return res.topics[0]?.partitions[0] as ProducePartitionResponse
  }

  /** A consumer's fetch of one partition. */
  async consume(
    from: BrokerId,
    fetchOffset: number,
    options: { maxWaitMs?: number; currentLeaderEpoch?: number; signal?: AbortSignal } = {},
  ): Promise<FetchPartitionResponse> {
    const res = await this.transport.send('client', from, 'Fetch', {
      replicaId: -1,
      maxWaitMs: options.maxWaitMs ?? 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [
        {
          topic: TOPIC,
          partitions: [
            {
              partition: 0,
              fetchOffset,
              currentLeaderEpoch: options.currentLeaderEpoch ?? -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
      signal: options.signal,
    })
    return res.topics[0]?.partitions[0] as FetchPartitionResponse
  }

  /** Every record of broker `id`'s log of the partition, as `offset:value`, below `until`. */
  async records(id: BrokerId, until = Number.MAX_SAFE_INTEGER, partition = 0): Promise<string[]> {
    const log = await this.openedLog(id, partition)
    const out: string[] = []
    let from = log.logStartOffset
    while (from < Math.min(log.logEndOffset, until)) {
      const read = await log.read(from, { maxBytes: 1 << 20 })
      if (read.bytes.length === 0) break
      for (const batch of splitBatches(read.bytes)) {
        for (const r of decodeRecordBatch(batch).records) {
          const offset = Number(r.offset)
          if (offset >= from && offset < until) out.push(`${offset}:${r.value?.toString()}`)
        }
      }
      from = read.nextOffset
    }
    return out
  }

  /** The log broker `id` opened last for the partition (the manager's own; read it only). */
  async openedLog(id: BrokerId, partition = 0): Promise<PartitionLog> {
    const log = this.logs[id]?.get(key(TOPIC, partition))
    if (log === undefined) throw new Error(`broker ${id} never opened partition ${partition}`)
    return log
  }

  async shutdownAll(): Promise<void> {
    for (let id = 0; id < this.managers.length; id++) await this.kill(id, false)
  }
}

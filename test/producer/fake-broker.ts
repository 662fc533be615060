/**
 * A fake cluster for the producer's tests: brokers registered on an InProcessTransport that
 * answer Metadata, InitProducerId, DescribeConfigs and Produce, appending into real
 * PartitionLogs over a MemoryLogStore (shared by every broker: leadership moves without data
 * moving). The real broker lands elsewhere; this one is only as smart as the tests need.
 */
import type {
  ApiName,
  ApiRequests,
  ApiResponses,
  BrokerId,
  MetadataRequest,
  MetadataResponse,
  ProduceRequest,
  ProduceResponse,
  RequestHandler,
} from '../../src/broker/api.js'
import { InProcessTransport } from '../../src/broker/transport.js'
import { ClusterClient } from '../../src/client/cluster-client.js'
import { VirtualClock } from '../../src/common/clock.js'
import { fromCode, isLogkeeperError } from '../../src/common/errors.js'
import { createRandom } from '../../src/common/random.js'
import { splitBatches } from '../../src/log/batch-header.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { decodeRecordBatch } from '../../src/log/record-batch.js'
import type { ProducerOptions } from '../../src/producer/options.js'
import { Producer } from '../../src/producer/producer.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'

export interface FakeOptions {
  brokers?: number
  topics?: Record<string, number>
  autoCreate?: boolean
  maxMessageBytes?: number
  clock?: VirtualClock
}

export interface StoredRecord {
  offset: number
  key: string | null
  value: string | null
  headers: Record<string, string | null>
  producerId: number
  baseSequence: number
}

export class FakeCluster {
  readonly clock: VirtualClock
  readonly transport: InProcessTransport
  readonly store = new MemoryLogStore()
  readonly logs = new Map<string, PartitionLog[]>()
  readonly leaders = new Map<string, number[]>()
  readonly brokerIds: number[]
  readonly produceRequests: { broker: BrokerId; request: ProduceRequest }[] = []
  autoCreate: boolean
  maxMessageBytes: number
  nextProducerId = 1000
  /** Hold Produce answers until released (to test in-flight limits). */
  hold: Promise<void> | undefined

  private constructor(options: FakeOptions) {
    this.clock = options.clock ?? new VirtualClock()
    this.transport = new InProcessTransport(this.clock)
    this.brokerIds = Array.from({ length: options.brokers ?? 1 }, (_, i) => i)
    this.autoCreate = options.autoCreate ?? true
    this.maxMessageBytes = options.maxMessageBytes ?? 1048588
  }

  static async create(options: FakeOptions = {}): Promise<FakeCluster> {
    const c = new FakeCluster(options)
    for (const [topic, n] of Object.entries(options.topics ?? {})) await c.createTopic(topic, n)
    for (const id of c.brokerIds) c.transport.register(id, c.handler(id))
    return c
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    const logs: PartitionLog[] = []
    const leaders: number[] = []
    for (let p = 0; p < partitions; p++) {
      const tp = { topic, partition: p }
      logs.push(
        await PartitionLog.open({
          topicPartition: tp,
          store: await this.store.openPartition(tp),
          clock: this.clock,
          config: { 'max.message.bytes': this.maxMessageBytes },
        }),
      )
      leaders.push(this.brokerIds[p % this.brokerIds.length] as number)
    }
    this.logs.set(topic, logs)
    this.leaders.set(topic, leaders)
  }

  client(name = 'producer'): ClusterClient {
    return new ClusterClient({
      clientId: name,
      transport: this.transport,
      clock: this.clock,
      bootstrap: this.brokerIds,
    })
  }

  producer(options: ProducerOptions = {}, seed = 7): Producer {
    return new Producer({
      client: this.client(),
      clock: this.clock,
      random: createRandom(seed),
      options,
    })
  }

  setLeader(topic: string, partition: number, leader: number): void {
    ;(this.leaders.get(topic) as number[])[partition] = leader
  }

  async records(topic: string, partition: number): Promise<StoredRecord[]> {
    const log = (this.logs.get(topic) as PartitionLog[])[partition] as PartitionLog
    const out: StoredRecord[] = []
    let offset = log.logStartOffset
    while (offset < log.logEndOffset) {
      const r = await log.read(offset)
      for (const bytes of splitBatches(r.bytes)) {
        const b = decodeRecordBatch(bytes)
        for (const rec of b.records) {
          if (Number(rec.offset) < offset) continue
          out.push({
            offset: Number(rec.offset),
            key: rec.key?.toString() ?? null,
            value: rec.value?.toString() ?? null,
            headers: Object.fromEntries(
              Object.entries(rec.headers).map(([k, v]) => [k, v?.toString() ?? null]),
            ),
            producerId: Number(b.producerId),
            baseSequence: b.baseSequence,
          })
        }
      }
      offset = r.nextOffset
    }
    return out
  }

  async allValues(topic: string): Promise<string[][]> {
    const logs = this.logs.get(topic) ?? []
    return Promise.all(
      logs.map(async (_, p) => (await this.records(topic, p)).map((r) => r.value ?? '')),
    )
  }

  totalRecords(): number {
    let n = 0
    for (const logs of this.logs.values()) for (const l of logs) n += l.logEndOffset
    return n
  }

  handler(id: BrokerId): RequestHandler {
    return {
      handle: async <K extends ApiName>(api: K, request: ApiRequests[K]) => {
        let response: unknown
        if (api === 'Metadata') response = await this.metadata(request as MetadataRequest)
        else if (api === 'Produce') response = await this.produce(id, request as ProduceRequest)
        else if (api === 'InitProducerId')
          response = { producerId: this.nextProducerId++, producerEpoch: 0 }
        else if (api === 'DescribeConfigs')
          response = this.describeConfigs(request as ApiRequests['DescribeConfigs'])
        else throw fromCode('UNSUPPORTED_VERSION', `${api} is not served by the fake broker`)
        return response as ApiResponses[K]
      },
    }
  }

  private describeConfigs(
    request: ApiRequests['DescribeConfigs'],
  ): ApiResponses['DescribeConfigs'] {
    return {
      results: request.resources.map((r) => ({
        type: r.type,
        name: r.name,
        ...(this.logs.has(r.name) ? {} : { error: 'UNKNOWN_TOPIC_OR_PARTITION' as const }),
        configs: [
          {
            name: 'max.message.bytes',
            value: String(this.maxMessageBytes),
            readOnly: false,
            isDefault: true,
            source: 'default' as const,
            isSensitive: false,
          },
        ],
      })),
    }
  }

  private async metadata(request: MetadataRequest): Promise<MetadataResponse> {
    const names = request.topics ?? [...this.logs.keys()]
    for (const t of names) {
      if (!this.logs.has(t) && request.allowAutoTopicCreation && this.autoCreate)
        await this.createTopic(t, 1)
    }
    return {
      brokers: this.brokerIds
        .filter((id) => this.transport.isUp(id))
        .map((id) => ({ nodeId: id, host: `logkeeper-${id}`, port: 9092 + id, rack: null })),
      clusterId: 'fake',
      controllerId: 0,
      topics: names.map((name) => {
        const leaders = this.leaders.get(name)
        if (leaders === undefined)
          return { name, isInternal: false, partitions: [], error: 'UNKNOWN_TOPIC_OR_PARTITION' }
        return {
          name,
          isInternal: false,
          partitions: leaders.map((leader, partition) => ({
            partition,
            leader,
            leaderEpoch: 0,
            replicas: [leader],
            isr: [leader],
            offlineReplicas: [],
          })),
        }
      }),
    }
  }

  private async produce(id: BrokerId, request: ProduceRequest): Promise<ProduceResponse> {
    this.produceRequests.push({ broker: id, request })
    const topics = request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const fail = (error: 'NOT_LEADER_OR_FOLLOWER' | 'UNKNOWN_TOPIC_OR_PARTITION') => ({
          partition: p.partition,
          error,
          baseOffset: -1,
          logAppendTimeMs: -1,
          logStartOffset: -1,
        })
        const log = this.logs.get(t.topic)?.[p.partition]
        if (log === undefined) return fail('UNKNOWN_TOPIC_OR_PARTITION')
        if (this.leaders.get(t.topic)?.[p.partition] !== id) return fail('NOT_LEADER_OR_FOLLOWER')
        try {
          const info = log.append(p.records, { verifyCrc: request.trusted !== true })
          return {
            partition: p.partition,
            baseOffset: info.baseOffset,
            logAppendTimeMs: info.logAppendTimeMs,
            logStartOffset: info.logStartOffset,
          }
        } catch (err) {
          if (!isLogkeeperError(err)) throw err
          return { ...fail('NOT_LEADER_OR_FOLLOWER'), error: err.code, errorMessage: err.message }
        }
      }),
    }))
    if (this.hold) await this.hold
    return { topics }
  }
}

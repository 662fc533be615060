/** Shared helpers of the broker and cluster tests: a virtual-clock cluster, znode reads, produce. */
import { afterEach } from 'vitest'
import type { ApiRequests, ApiResponses } from '../../src/broker/api.js'
import type { ClusterOptions } from '../../src/cluster/options.js'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { CoordinatorClient } from '../../src/coordination/types.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'

/** A virtual-clock cluster. */
export function virtualCluster(
  brokers: number,
  config: Record<string, unknown> = {},
  extra: Omit<ClusterOptions, 'clock' | 'brokers' | 'config'> = {},
): Promise<Cluster<VirtualClock>> {
  return createCluster({ brokers, clock: 'virtual', seed: 42, config, ...extra })
}

/**
 * Call once at the top of a test file: the function it returns makes a test's virtual
 * cluster (`defaults` under its `config`) and a coordinator client, both closed after the test.
 */
export function clusterPerTest(defaults: Record<string, unknown> = {}) {
  let cluster: Cluster<VirtualClock> | undefined
  let zk: CoordinatorClient | undefined
  afterEach(async () => {
    await zk?.close()
    await cluster?.close()
    zk = undefined
    cluster = undefined
  })
  return async (brokers: number, config: Record<string, unknown> = {}) => {
    cluster = await virtualCluster(brokers, { ...defaults, ...config })
    zk = cluster.coordinator.connect()
    return { c: cluster, zk }
  }
}

/** Create `name` with one partition on `brokerIds` (leader first) through the controller. */
export async function createTopicOn(cluster: Cluster, name: string, brokerIds: number[]) {
  const r = await toController(cluster, 'CreateTopics', {
    topics: [
      {
        name,
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partition: 0, brokerIds }],
      },
    ],
    timeoutMs: 5000,
    validateOnly: false,
  })
  return r.topics[0]!
}

/** A znode's data as JSON. */
export async function readJson(zk: CoordinatorClient, path: string): Promise<unknown> {
  const { data } = await zk.getData(path)
  return JSON.parse(data?.toString('utf8') ?? 'null')
}

/** Send a request to the controller. */
export function toController<K extends keyof ApiRequests>(
  cluster: Cluster,
  api: K,
  request: ApiRequests[K],
): Promise<ApiResponses[K]> {
  return cluster.transport.send('test', cluster.controller(), api, request)
}

/** Create a topic through the controller; returns the topic's result. */
export async function createTopic(
  cluster: Cluster,
  name: string,
  numPartitions: number,
  replicationFactor: number,
  configs?: Record<string, string>,
) {
  const r = await toController(cluster, 'CreateTopics', {
    topics: [{ name, numPartitions, replicationFactor, ...(configs ? { configs } : {}) }],
    timeoutMs: 5000,
    validateOnly: false,
  })
  return r.topics[0]!
}

/** Produce `values` to one partition through its leader. */
export async function produce(
  cluster: Cluster,
  topic: string,
  partition: number,
  values: string[],
  acks: -1 | 1 = -1,
) {
  const leader = cluster.topic(topic).partitions[partition]!.leader
  const records = encodeRecordBatch({
    records: values.map((value) => ({ value, timestamp: cluster.clock.now() })),
  })
  const sent = cluster.transport.send('test', leader, 'Produce', {
    acks,
    timeoutMs: 5000,
    topics: [{ topic, partitions: [{ partition, records }] }],
  })
  // Followers that started before their leader back off (replica.fetch.backoff.ms): let
  // virtual time pass until the ISR has the batch.
  let done = false
  void sent.finally(() => {
    done = true
  })
  const clock = cluster.clock as Partial<VirtualClock>
  for (let i = 0; i < 50 && !done && clock.advance !== undefined; i++) await clock.advance(100)
  return (await sent).topics[0]!.partitions[0]!
}

/** Let promise chains and in-process requests settle (no clock time passes). */
export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

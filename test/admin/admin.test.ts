import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { LogkeeperError } from '../../src/common/errors.js'

let cluster: Cluster<VirtualClock> | undefined

afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

async function start(
  brokers = 3,
  config: Record<string, unknown> = {},
): Promise<Cluster<VirtualClock>> {
  cluster = await createCluster({ brokers, clock: 'virtual', seed: 7, config })
  return cluster
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (err) {
    return (err as LogkeeperError).code
  }
}

describe('admin: topics', () => {
  it('creates, lists and describes topics as kafka-topics shows them', async () => {
    const c = await start()
    const admin = c.admin()
    await admin.createTopics({
      topics: [
        { topic: 't02', numPartitions: 1 },
        { topic: 't01', numPartitions: 3, replicationFactor: 2 },
      ],
    })
    expect(await admin.listTopics()).toEqual(['t01', 't02'])
    const [t01] = await admin.describeTopics({ topics: ['t01'] })
    expect(t01?.name).toBe('t01')
    expect(t01?.partitions.map((p) => p.partition)).toEqual([0, 1, 2])
    for (const p of t01?.partitions ?? []) {
      expect(p.replicas).toHaveLength(2)
      expect(new Set(p.replicas).size).toBe(2)
      expect(p.leader).toBe(p.replicas[0])
      expect([...p.isr].sort()).toEqual([...p.replicas].sort())
      expect(p.offline).toBe(false)
    }
    // Preferred leaders are spread over the brokers, as Kafka's placement spreads them.
    expect(new Set(t01?.partitions.map((p) => p.leader)).size).toBe(3)
  })

  it('uses num.partitions and default.replication.factor when the topic gives none', async () => {
    const c = await start(3, { 'num.partitions': 4, 'default.replication.factor': 3 })
    await c.admin().createTopics({ topics: [{ topic: 'defaults' }] })
    const [d] = await c.admin().describeTopics({ topics: ['defaults'] })
    expect(d?.partitions).toHaveLength(4)
    expect(d?.partitions.every((p) => p.replicas.length === 3)).toBe(true)
  })

  it('answers each creation error with its code, creating nothing for that topic', async () => {
    const admin = (await start(2)).admin()
    await admin.createTopics({ topics: [{ topic: 'exists' }] })
    const create = (topic: Record<string, unknown>) =>
      codeOf(admin.createTopics({ topics: [topic as never] }))
    expect(await create({ topic: 'exists' })).toBe('TOPIC_ALREADY_EXISTS')
    expect(await create({ topic: 'rf', replicationFactor: 3 })).toBe('INVALID_REPLICATION_FACTOR')
    expect(await create({ topic: 'zero', numPartitions: 0 })).toBe('INVALID_PARTITIONS')
    expect(await create({ topic: 'bad name!' })).toBe('INVALID_TOPIC_EXCEPTION')
    expect(await create({ topic: '..' })).toBe('INVALID_TOPIC_EXCEPTION')
    expect(await create({ topic: 'x'.repeat(250) })).toBe('INVALID_TOPIC_EXCEPTION')
    expect(await create({ topic: 'cfg', configs: { 'retention.ms': 'soon' } })).toBe(
      'INVALID_CONFIG',
    )
    expect(await create({ topic: 'cfg', configs: { 'no.such.config': '1' } })).toBe(
      'INVALID_CONFIG',
    )
    expect(await admin.listTopics()).toEqual(['exists'])
  })

  it('says how many brokers are available when the replication factor is too large', async () => {
    const admin = (await start(2)).admin()
    await expect(
      admin.createTopics({ topics: [{ topic: 'rf', replicationFactor: 3 }] }),
    ).rejects.toThrow(/Replication factor: 3 larger than available brokers: 2/)
  })

  it('validateOnly checks and creates nothing', async () => {
    const admin = (await start()).admin()
    await admin.createTopics({ topics: [{ topic: 'v', numPartitions: 2 }], validateOnly: true })
    expect(await admin.listTopics()).toEqual([])
    expect(
      await codeOf(
        admin.createTopics({ topics: [{ topic: 'v', numPartitions: -5 }], validateOnly: true }),
      ),
    ).toBe('INVALID_PARTITIONS')
  })

  it('rejects malformed arguments before sending anything', async () => {
    const admin = (await start(1)).admin()
    expect(await codeOf(admin.createTopics({ topics: 'nope' } as never))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(admin.createTopics({ topics: [{ topic: 42 }] } as never))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(
      await codeOf(admin.createTopics({ topics: [{ topic: 'a', configs: { x: {} } }] } as never)),
    ).toBe('INVALID_ARGUMENT')
    expect(await codeOf(admin.describeTopics({ topics: [1] } as never))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(admin.deleteTopics({} as never))).toBe('INVALID_ARGUMENT')
    expect(await admin.listTopics()).toEqual([])
  })

  it('describes an unknown topic as UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const admin = (await start(1)).admin()
    expect(await codeOf(admin.describeTopics({ topics: ['missing'] }))).toBe(
      'UNKNOWN_TOPIC_OR_PARTITION',
    )
  })
})

describe('admin: partitions', () => {
  it('grows a topic and refuses to shrink it or keep its count', async () => {
    const admin = (await start()).admin()
    await admin.createTopics({ topics: [{ topic: 'g', numPartitions: 2, replicationFactor: 2 }] })
    await admin.createPartitions({ topicPartitions: [{ topic: 'g', count: 5 }] })
    const [g] = await admin.describeTopics({ topics: ['g'] })
    expect(g?.partitions).toHaveLength(5)
    expect(g?.partitions.every((p) => p.replicas.length === 2 && p.leader >= 0)).toBe(true)
    expect(
      await codeOf(admin.createPartitions({ topicPartitions: [{ topic: 'g', count: 3 }] })),
    ).toBe('INVALID_PARTITIONS')
    expect(
      await codeOf(admin.createPartitions({ topicPartitions: [{ topic: 'g', count: 5 }] })),
    ).toBe('INVALID_PARTITIONS')
    expect(
      await codeOf(admin.createPartitions({ topicPartitions: [{ topic: 'nope', count: 5 }] })),
    ).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    const [still] = await admin.describeTopics({ topics: ['g'] })
    expect(still?.partitions).toHaveLength(5)
  })
})

describe('admin: deleting topics', () => {
  it('deletes a topic', async () => {
    const admin = (await start()).admin()
    await admin.createTopics({ topics: [{ topic: 'd', numPartitions: 2, replicationFactor: 3 }] })
    await admin.deleteTopics({ topics: ['d'] })
    expect(await admin.listTopics()).toEqual([])
    expect(await codeOf(admin.deleteTopics({ topics: ['d'] }))).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    // The name can be used again.
    await admin.createTopics({ topics: [{ topic: 'd' }] })
    expect(await admin.listTopics()).toEqual(['d'])
  })

  it('only marks the topic when delete.topic.enable is false', async () => {
    const c = await start(1, { 'delete.topic.enable': false })
    const admin = c.admin()
    await admin.createTopics({ topics: [{ topic: 'kept' }] })
    expect(await codeOf(admin.deleteTopics({ topics: ['kept'] }))).toBe('TOPIC_DELETION_DISABLED')
    expect(await admin.listTopics()).toEqual(['kept'])
    const zk = c.coordinator.connect()
    expect(await zk.getChildren('/admin/delete_topics')).toEqual(['kept'])
    await zk.close()
  })
})

describe('admin: configs', () => {
  it('sets, describes and deletes topic configs', async () => {
    const admin = (await start(1)).admin()
    await admin.createTopics({ topics: [{ topic: 'c', configs: { 'retention.ms': 1000 } }] })
    const read = async () => {
      const [res] = await admin.describeConfigs({ resources: [{ type: 'topic', name: 'c' }] })
      return new Map(res?.configs.map((e) => [e.name, e]))
    }
    let configs = await read()
    expect(configs.get('retention.ms')).toMatchObject({
      value: '1000',
      source: 'topic',
      isDefault: false,
    })
    expect(configs.get('cleanup.policy')).toMatchObject({ value: 'delete', isDefault: true })
    await admin.alterConfigs({
      resources: [
        {
          type: 'topic',
          name: 'c',
          configs: { 'retention.ms': null, 'cleanup.policy': 'compact' },
        },
      ],
    })
    configs = await read()
    expect(configs.get('retention.ms')).toMatchObject({ value: '604800000', isDefault: true })
    expect(configs.get('cleanup.policy')).toMatchObject({ value: 'compact', source: 'topic' })
    expect(
      await codeOf(
        admin.alterConfigs({
          resources: [{ type: 'topic', name: 'c', configs: { 'segment.bytes': -1 } }],
        }),
      ),
    ).toBe('INVALID_CONFIG')
    expect((await read()).get('segment.bytes')?.isDefault).toBe(true)
  })
})

describe('admin: the cluster', () => {
  it('describes the brokers and the controller', async () => {
    const admin = (await start()).admin()
    const d = await admin.describeCluster()
    expect(d.brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2])
    expect([0, 1, 2]).toContain(d.controller)
    expect(typeof d.clusterId).toBe('string')
  })

  it('shows a dead broker’s partitions moved once its session has expired', async () => {
    const c = await start(3, { 'zookeeper.session.timeout.ms': 6000 })
    const admin = c.admin()
    await admin.createTopics({ topics: [{ topic: 'f', numPartitions: 3, replicationFactor: 3 }] })
    const victim = (await admin.describeTopics({ topics: ['f'] }))[0]?.partitions[0]
      ?.leader as number
    c.brokers[victim]?.kill()
    await c.clock.advance(20_000)
    const [f] = await admin.describeTopics({ topics: ['f'] })
    for (const p of f?.partitions ?? []) {
      expect(p.leader).not.toBe(victim)
      expect(p.leader).toBeGreaterThanOrEqual(0)
      expect(p.isr).not.toContain(victim)
      expect(p.offlineReplicas).toContain(victim)
    }
    expect((await admin.describeCluster()).brokers.map((b) => b.nodeId)).not.toContain(victim)
  })

  it('fails with CLOSED after disconnect', async () => {
    const admin = (await start(1)).admin()
    await admin.disconnect()
    expect(await codeOf(admin.listTopics())).toBe('CLOSED')
  })
})

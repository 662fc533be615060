/**
 * The admin requests as the controller serves them: every error code (with Kafka's messages
 * where Kafka's are fixed), validateOnly, the timeout that leaves the topic created, deletion
 * with and without delete.topic.enable, partition growth, configs, and the znodes written.
 */
import { describe, expect, it } from 'vitest'
import type { CreatableTopic } from '../../src/broker/api.js'
import type { Cluster } from '../../src/cluster.js'
import { clusterPerTest, readJson, settle, toController } from '../cluster/helpers.js'

const start = clusterPerTest()

async function create(
  c: Cluster,
  topic: Partial<CreatableTopic> & { name: string },
  validateOnly = false,
) {
  const r = await toController(c, 'CreateTopics', {
    topics: [{ numPartitions: 1, replicationFactor: 1, ...topic }],
    timeoutMs: 5000,
    validateOnly,
  })
  return r.topics[0]!
}

describe('CreateTopics', () => {
  it('creates the znodes Kafka writes and waits for the leaders', async () => {
    const { c, zk } = await start(3)
    const r = await create(c, {
      name: 't1',
      numPartitions: 3,
      replicationFactor: 2,
      configs: { 'retention.ms': '1000' },
    })
    expect(r).toEqual({ name: 't1', numPartitions: 3, replicationFactor: 2 })
    const topic = (await readJson(zk, '/brokers/topics/t1')) as {
      partitions: Record<string, number[]>
    }
    expect(topic).toMatchObject({ version: 2, adding_replicas: {}, removing_replicas: {} })
    expect(Object.keys(topic.partitions)).toEqual(['0', '1', '2'])
    expect(await readJson(zk, '/config/topics/t1')).toEqual({
      version: 1,
      config: { 'retention.ms': '1000' },
    })
    for (const p of c.topic('t1').partitions) {
      expect(p.replicas).toEqual(topic.partitions[String(p.id)])
      expect(p.leader).toBe(p.replicas[0])
    }
    for (const b of c.brokers) expect(b.cache.partitions('t1')).toHaveLength(3)
  })

  it('answers each error with its code and creates nothing for that topic', async () => {
    const { c, zk } = await start(2)
    await create(c, { name: 'a_b' })
    const cases: [Partial<CreatableTopic> & { name: string }, string, string?][] = [
      [{ name: 'a_b' }, 'TOPIC_ALREADY_EXISTS', "Topic 'a_b' already exists."],
      [{ name: 'a.b' }, 'INVALID_TOPIC_EXCEPTION', "Topic 'a.b' collides with existing topic: a_b"],
      [{ name: 'bad name' }, 'INVALID_TOPIC_EXCEPTION'],
      [{ name: 'x'.repeat(250) }, 'INVALID_TOPIC_EXCEPTION'],
      [
        { name: 'rf', replicationFactor: 3 },
        'INVALID_REPLICATION_FACTOR',
        'Replication factor: 3 larger than available brokers: 2.',
      ],
      [
        { name: 'rf0', replicationFactor: 0 },
        'INVALID_REPLICATION_FACTOR',
        'Replication factor must be larger than 0.',
      ],
      [
        { name: 'p0', numPartitions: 0 },
        'INVALID_PARTITIONS',
        'Number of partitions must be larger than 0.',
      ],
      [{ name: 'cfg', configs: { 'retention.ms': 'soon' } }, 'INVALID_CONFIG'],
      [{ name: 'cfg2', configs: { 'no.such.config': '1' } }, 'INVALID_CONFIG'],
      [
        { name: 'as1', assignments: [{ partition: 0, brokerIds: [0, 0] }] },
        'INVALID_REPLICA_ASSIGNMENT',
      ],
      [
        { name: 'as2', assignments: [{ partition: 0, brokerIds: [7] }] },
        'INVALID_REPLICA_ASSIGNMENT',
      ],
      [
        { name: 'as3', assignments: [{ partition: 1, brokerIds: [0] }] },
        'INVALID_REPLICA_ASSIGNMENT',
      ],
      [
        {
          name: 'as4',
          assignments: [
            { partition: 0, brokerIds: [0, 1] },
            { partition: 1, brokerIds: [0] },
          ],
        },
        'INVALID_REPLICA_ASSIGNMENT',
      ],
    ]
    for (const [topic, code, message] of cases) {
      const r = await create(c, topic)
      expect(r.error, topic.name).toBe(code)
      expect(r.numPartitions).toBe(-1)
      if (message !== undefined) expect(r.errorMessage).toBe(message)
    }
    expect(await zk.getChildren('/brokers/topics')).toEqual(['a_b'])
  })

  it('takes a manual assignment and validateOnly creates nothing', async () => {
    const { c, zk } = await start(3)
    const dry = await create(c, { name: 'v', numPartitions: 4, replicationFactor: 3 }, true)
    expect(dry).toEqual({ name: 'v', numPartitions: 4, replicationFactor: 3 })
    expect(await zk.exists('/brokers/topics/v')).toBeNull()
    const r = await create(c, {
      name: 'm',
      numPartitions: -1,
      replicationFactor: -1,
      assignments: [
        { partition: 0, brokerIds: [2, 0] },
        { partition: 1, brokerIds: [1, 2] },
      ],
    })
    expect(r).toEqual({ name: 'm', numPartitions: 2, replicationFactor: 2 })
    expect(c.topic('m').partitions.map((p) => p.replicas)).toEqual([
      [2, 0],
      [1, 2],
    ])
  })

  it('answers NOT_CONTROLLER from another broker', async () => {
    const { c } = await start(2)
    const r = await c.transport.send('test', 1, 'CreateTopics', {
      topics: [{ name: 'n', numPartitions: 1, replicationFactor: 1 }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(r.topics[0]!.error).toBe('NOT_CONTROLLER')
    const d = await c.transport.send('test', 1, 'DeleteTopics', { topics: ['n'], timeoutMs: 0 })
    expect(d.responses[0]!.error).toBe('NOT_CONTROLLER')
    const p = await c.transport.send('test', 1, 'CreatePartitions', {
      topics: [{ name: 'n', count: 2 }],
      timeoutMs: 0,
      validateOnly: false,
    })
    expect(p.results[0]!.error).toBe('NOT_CONTROLLER')
  })

  it('answers REQUEST_TIMED_OUT when the leaders do not show in time, the topic staying created', async () => {
    const { c, zk } = await start(2)
    const fault = c.network.drop({ api: 'UpdateMetadata', direction: 'request' })
    const pending = toController(c, 'CreateTopics', {
      topics: [{ name: 'slow', numPartitions: 1, replicationFactor: 1 }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    await c.clock.advance(1500)
    const r = (await pending).topics[0]!
    expect(r.error).toBe('REQUEST_TIMED_OUT')
    expect(await zk.exists('/brokers/topics/slow')).not.toBeNull()
    fault.remove()
    await c.clock.advance(200)
    expect(c.topic('slow').partitions).toHaveLength(1)
  })
})

describe('DeleteTopics', () => {
  it('deletes a topic: znodes, config, caches and replicas', async () => {
    const { c, zk } = await start(2)
    await create(c, { name: 'gone', numPartitions: 2, replicationFactor: 2 })
    const r = await toController(c, 'DeleteTopics', { topics: ['gone', 'never'], timeoutMs: 5000 })
    expect(r.responses).toEqual([
      { name: 'gone' },
      {
        name: 'never',
        error: 'UNKNOWN_TOPIC_OR_PARTITION',
        errorMessage: 'This server does not host this topic-partition.',
      },
    ])
    await settle()
    expect(await zk.getChildren('/brokers/topics')).toEqual([])
    expect(await zk.exists('/config/topics/gone')).toBeNull()
    expect(await zk.getChildren('/admin/delete_topics')).toEqual([])
    for (const b of c.brokers) {
      expect(b.cache.hasTopic('gone')).toBe(false)
      expect(b.replicaHost?.replicas()).toEqual([])
    }
    expect(() => c.topic('gone')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_TOPIC_OR_PARTITION' }),
    )
  })

  it('with delete.topic.enable=false only marks the topic', async () => {
    const { c, zk } = await start(1, { 'delete.topic.enable': false })
    await create(c, { name: 'kept' })
    const r = await toController(c, 'DeleteTopics', { topics: ['kept'], timeoutMs: 1000 })
    expect(r.responses[0]!.error).toBe('TOPIC_DELETION_DISABLED')
    await c.clock.advance(2000)
    expect(await zk.getChildren('/admin/delete_topics')).toEqual(['kept'])
    expect(await zk.getChildren('/brokers/topics')).toEqual(['kept'])
    expect(c.topic('kept').partitions).toHaveLength(1)
  })
})

describe('CreatePartitions', () => {
  it('grows a topic, placing the new partitions from partition 0 as Kafka does', async () => {
    const { c, zk } = await start(4)
    await create(c, {
      name: 'g',
      assignments: [{ partition: 0, brokerIds: [2, 3, 0, 1] }],
      numPartitions: -1,
      replicationFactor: -1,
    })
    const r = await toController(c, 'CreatePartitions', {
      topics: [{ name: 'g', count: 7 }],
      timeoutMs: 5000,
      validateOnly: false,
    })
    expect(r.results).toEqual([{ name: 'g' }])
    const leaders = c.topic('g').partitions.map((p) => p.leader)
    expect(leaders).toEqual([2, 3, 0, 1, 2, 3, 0])
    const znode = (await readJson(zk, '/brokers/topics/g')) as {
      partitions: Record<string, number[]>
    }
    expect(znode.partitions['1']).toEqual([3, 2, 0, 1])
  })

  it('refuses to shrink or keep the count, and unknown topics', async () => {
    const { c } = await start(1)
    await create(c, { name: 's', numPartitions: 3 })
    const r = await toController(c, 'CreatePartitions', {
      topics: [
        { name: 's', count: 3 },
        { name: 'nope', count: 2 },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(r.results[0]).toEqual({
      name: 's',
      error: 'INVALID_PARTITIONS',
      errorMessage: 'Topic already has 3 partitions.',
    })
    expect(r.results[1]!.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    const shrink = await toController(c, 'CreatePartitions', {
      topics: [{ name: 's', count: 2 }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(shrink.results[0]!.errorMessage).toBe(
      'Topic currently has 3 partitions, which is higher than the requested 2.',
    )
    const bad = await toController(c, 'CreatePartitions', {
      topics: [{ name: 's', count: 5, assignments: [[0]] }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(bad.results[0]!.error).toBe('INVALID_REPLICA_ASSIGNMENT')
    expect(c.topic('s').partitions).toHaveLength(3)
  })
})

describe('configs', () => {
  it('describes a topic: overrides, broker-static defaults and Kafka defaults', async () => {
    const { c } = await start(1, { 'log.retention.ms': 1234 })
    await create(c, { name: 'c', configs: { 'cleanup.policy': 'compact' } })
    const r = await c.transport.send('test', 0, 'DescribeConfigs', {
      resources: [{ type: 'topic', name: 'c', configNames: null }],
    })
    const entries = new Map(r.results[0]!.configs.map((e) => [e.name, e]))
    expect(entries.get('cleanup.policy')).toMatchObject({
      value: 'compact',
      source: 'topic',
      isDefault: false,
    })
    expect(entries.get('retention.ms')).toMatchObject({
      value: '1234',
      source: 'broker-static',
      isDefault: false,
    })
    expect(entries.get('segment.bytes')).toMatchObject({ source: 'default', isDefault: true })
    expect(entries.get('min.insync.replicas')).toMatchObject({ value: '1', source: 'default' })
    const some = await c.transport.send('test', 0, 'DescribeConfigs', {
      resources: [
        { type: 'topic', name: 'c', configNames: ['retention.ms'] },
        { type: 'topic', name: 'nope', configNames: null },
        { type: 'broker', name: '0', configNames: ['delete.topic.enable'] },
      ],
    })
    expect(some.results[0]!.configs.map((e) => e.name)).toEqual(['retention.ms'])
    expect(some.results[1]!.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(some.results[2]!.configs).toEqual([
      {
        name: 'delete.topic.enable',
        value: 'true',
        readOnly: true,
        isDefault: true,
        source: 'default',
        isSensitive: false,
      },
    ])
  })

  it('alters topic configs: validated, written with a change notification, applied by every broker', async () => {
    const { c, zk } = await start(2)
    await create(c, { name: 'a', replicationFactor: 2, configs: { 'retention.ms': '5000' } })
    const bad = await c.transport.send('test', 1, 'IncrementalAlterConfigs', {
      resources: [
        { type: 'topic', name: 'a', configs: [{ name: 'retention.ms', op: 'set', value: 'x' }] },
      ],
      validateOnly: false,
    })
    expect(bad.results[0]!.error).toBe('INVALID_CONFIG')
    const r = await c.transport.send('test', 1, 'IncrementalAlterConfigs', {
      resources: [
        {
          type: 'topic',
          name: 'a',
          configs: [
            { name: 'retention.ms', op: 'delete', value: null },
            { name: 'segment.bytes', op: 'set', value: '2048' },
          ],
        },
        { type: 'topic', name: 'none', configs: [] },
        { type: 'broker', name: '0', configs: [] },
      ],
      validateOnly: false,
    })
    expect(r.results.map((x) => x.error)).toEqual([
      undefined,
      'UNKNOWN_TOPIC_OR_PARTITION',
      'INVALID_REQUEST',
    ])
    expect(await readJson(zk, '/config/topics/a')).toEqual({
      version: 1,
      config: { 'segment.bytes': '2048' },
    })
    const changes = await zk.getChildren('/config/changes')
    expect(changes).toEqual(['config_change_0000000000'])
    expect(await readJson(zk, `/config/changes/${changes[0]}`)).toEqual({
      version: 2,
      entity_path: 'topics/a',
    })
    await settle()
    for (const b of c.brokers) {
      expect(b.topicConfigs.get('a')['segment.bytes']).toBe(2048)
      expect(b.topicConfigs.get('a')['retention.ms']).toBe(c.config['log.retention.ms'])
    }
  })
})

describe('cluster-wide requests', () => {
  it('DescribeCluster and Metadata from any broker', async () => {
    const { c } = await start(3)
    const d = await c.transport.send('test', 2, 'DescribeCluster', {})
    expect(d.controllerId).toBe(0)
    expect(d.brokers.map((b) => [b.nodeId, b.host, b.port])).toEqual([
      [0, 'logkeeper-0', 9092],
      [1, 'logkeeper-1', 9093],
      [2, 'logkeeper-2', 9094],
    ])
    expect(d.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    await create(c, { name: '__consumer_offsets' })
    const m = await c.transport.send('test', 1, 'Metadata', {
      topics: null,
      allowAutoTopicCreation: false,
    })
    expect(m.clusterId).toBe(d.clusterId)
    expect(m.topics).toMatchObject([{ name: '__consumer_offsets', isInternal: true }])
  })

  it('auto-creates a topic on Metadata when allowed', async () => {
    const { c } = await start(2, { 'num.partitions': 2 })
    const first = await c.transport.send('test', 1, 'Metadata', {
      topics: ['auto'],
      allowAutoTopicCreation: true,
    })
    // Kafka answers LEADER_NOT_AVAILABLE at once; logkeeper waits for the leaders (no
    // virtual time passes) and answers with the new topic.
    expect(first.topics[0]!.error).toBeUndefined()
    expect(first.topics[0]!.partitions).toHaveLength(2)
    expect(c.topic('auto').partitions).toHaveLength(2)
    const off = await c.transport.send('test', 1, 'Metadata', {
      topics: ['other'],
      allowAutoTopicCreation: false,
    })
    expect(off.topics[0]!.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it('does not auto-create with auto.create.topics.enable=false', async () => {
    const { c, zk } = await start(1, { 'auto.create.topics.enable': false })
    const m = await c.transport.send('test', 0, 'Metadata', {
      topics: ['x'],
      allowAutoTopicCreation: true,
    })
    expect(m.topics[0]!.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(await zk.getChildren('/brokers/topics')).toEqual([])
  })

  it('InitProducerId hands out unique ids from blocks of 1000 per broker', async () => {
    const { c, zk } = await start(2)
    const init = (id: number) =>
      c.transport.send('test', id, 'InitProducerId', {
        transactionalId: null,
        transactionTimeoutMs: 60000,
      })
    expect(await init(0)).toEqual({ producerId: 0, producerEpoch: 0 })
    expect(await init(0)).toEqual({ producerId: 1, producerEpoch: 0 })
    expect(await init(1)).toEqual({ producerId: 1000, producerEpoch: 0 })
    expect(await readJson(zk, '/latest_producer_id_block')).toEqual({
      version: 1,
      broker: 1,
      block_start: '1000',
      block_end: '1999',
    })
  })
})

/** The producer against a real in-process cluster: acks, replication, failover, idempotence. */
import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { LogkeeperError } from '../../src/common/errors.js'
import { partitionForKey } from '../../src/producer/partitioners.js'
import { readCommitted, readReplica } from '../support/cluster-reader.js'
import { createTopic, virtualCluster } from './helpers.js'

let cluster: Cluster<VirtualClock> | undefined

afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

async function start(brokers: number, config: Record<string, unknown> = {}) {
  cluster = await virtualCluster(brokers, config)
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

/** Advance virtual time in steps until `promise` settles (at most `ms`). */
async function advanceUntil<T>(
  c: Cluster<VirtualClock>,
  promise: Promise<T>,
  ms = 60_000,
): Promise<T> {
  let done = false
  void promise.then(
    () => (done = true),
    () => (done = true),
  )
  for (let t = 0; t < ms && !done; t += 250) await c.clock.advance(250)
  return promise
}

describe('producing to a cluster', () => {
  it('acks=all on a new topic with three replicas completes without any time passing', async () => {
    const c = await start(3)
    await c
      .admin()
      .createTopics({ topics: [{ topic: 't', numPartitions: 3, replicationFactor: 3 }] })
    const producer = c.producer({ acks: -1 })
    const now = c.clock.now()
    const meta = await producer.send({ topic: 't', messages: [{ key: 'k1', value: 'hello' }] })
    expect(c.clock.now()).toBe(now)
    expect(meta).toHaveLength(1)
    const { partition, baseOffset, errorCode } = meta[0]!
    expect(errorCode).toBe(0)
    expect(baseOffset).toBe('0')
    expect(await readCommitted(c, 't', partition)).toEqual([
      { offset: 0, key: 'k1', value: 'hello' },
    ])
    for (const b of c.brokers) {
      expect(await readReplica(b, 't', partition)).toEqual([
        { offset: 0, key: 'k1', value: 'hello' },
      ])
    }
  })

  it('first sends to many topics at once all land (concurrent metadata refreshes keep each other’s topics)', async () => {
    const c = await start(1)
    const topics = Array.from({ length: 8 }, (_, i) => `many-${i}`)
    for (const t of topics) await createTopic(c, t, 2, 1)
    const producer = c.producer()
    const sent = await c.clock.runUntil(
      Promise.all(topics.map((topic) => producer.send({ topic, messages: [{ value: topic }] }))),
    )
    expect(sent.map((r) => r[0]!.topicName)).toEqual(topics)
    await producer.disconnect()
  })

  it('puts a key on the partition Kafka’s Java client would choose', async () => {
    const c = await start(1)
    await c.admin().createTopics({ topics: [{ topic: 'keys', numPartitions: 7 }] })
    const producer = c.producer()
    for (const key of ['a', 'order-17', 'customer-42', '']) {
      const [m] = await producer.send({ topic: 'keys', messages: [{ key, value: 'v' }] })
      expect(m?.partition).toBe(partitionForKey(Buffer.from(key), 7))
    }
  })

  it('auto-creates a topic with the defaults, or refuses when auto-creation is off', async () => {
    const c = await start(1, { 'num.partitions': 2 })
    await c.producer().send({ topic: 'auto', messages: [{ value: 'x' }] })
    expect(c.topic('auto').partitions).toHaveLength(2)
    await c.close()
    const d = await start(1, { 'auto.create.topics.enable': false })
    // The producer waits a while for the topic to appear (Kafka's max.block.ms), then fails.
    const sent = d.producer().send({ topic: 'none', messages: [{ value: 'x' }] })
    expect(await codeOf(advanceUntil(d, sent, 200_000))).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(await d.admin().listTopics()).toEqual([])
  })

  it('refuses a record larger than the topic allows and appends nothing', async () => {
    const c = await start(1)
    await c
      .admin()
      .createTopics({ topics: [{ topic: 'small', configs: { 'max.message.bytes': 1000 } }] })
    const producer = c.producer()
    expect(
      await codeOf(
        producer.send({ topic: 'small', messages: [{ value: 'ok' }, { value: 'x'.repeat(5000) }] }),
      ),
    ).toBe('MESSAGE_TOO_LARGE')
    expect(await readCommitted(c, 'small', 0)).toEqual([])
  })

  it('answers NOT_ENOUGH_REPLICAS when the ISR is smaller than min.insync.replicas', async () => {
    const c = await start(3, { 'min.insync.replicas': 2, 'zookeeper.session.timeout.ms': 6000 })
    await c
      .admin()
      .createTopics({ topics: [{ topic: 'm', numPartitions: 1, replicationFactor: 3 }] })
    const leader = c.topic('m').partitions[0]!.leader
    const others = c.brokers.filter((b) => b.id !== leader)
    for (const b of others) b.kill()
    await c.clock.advance(40_000)
    expect(c.topic('m').partitions[0]?.isr).toEqual([leader])
    const producer = c.producer({ acks: -1, retries: 0 })
    expect(await codeOf(producer.send({ topic: 'm', messages: [{ value: 'x' }] }))).toBe(
      'NOT_ENOUGH_REPLICAS',
    )
    // acks=1 still works, and is not replicated anywhere.
    await c.producer({ acks: 1 }).send({ topic: 'm', messages: [{ value: 'only-leader' }] })
    expect((await readCommitted(c, 'm', 0)).map((r) => r.value)).toEqual(['only-leader'])
  })

  it('keeps every acks=all record through a leader’s death (the producer retries on the new leader)', async () => {
    const c = await start(3, { 'min.insync.replicas': 2, 'zookeeper.session.timeout.ms': 6000 })
    await c
      .admin()
      .createTopics({ topics: [{ topic: 'f', numPartitions: 1, replicationFactor: 3 }] })
    const producer = c.producer({ acks: -1, idempotent: true })
    for (let i = 0; i < 5; i++)
      await producer.send({ topic: 'f', messages: [{ value: `before-${i}` }] })
    const leader = c.topic('f').partitions[0]!.leader
    c.brokers[leader]!.kill()
    const during = producer.send({ topic: 'f', messages: [{ value: 'during' }] })
    await advanceUntil(c, during)
    expect(c.topic('f').partitions[0]?.leader).not.toBe(leader)
    await c.brokers[leader]!.restart()
    await c.clock.advance(5000)
    const values = (await readCommitted(c, 'f', 0)).map((r) => r.value)
    expect(values).toEqual(['before-0', 'before-1', 'before-2', 'before-3', 'before-4', 'during'])
    for (const b of c.brokers)
      expect((await readReplica(b, 'f', 0))?.map((r) => r.value)).toEqual(values)
  })

  it('an idempotent producer whose responses are lost writes each record once, in order', async () => {
    const c = await start(3)
    await c
      .admin()
      .createTopics({ topics: [{ topic: 'i', numPartitions: 1, replicationFactor: 3 }] })
    const producer = c.producer({ idempotent: true, clientId: 'p1' })
    const lost = c.network.drop({ from: 'p1', api: 'Produce', direction: 'response', count: 4 })
    const sends = Array.from({ length: 10 }, (_, i) =>
      producer.send({ topic: 'i', messages: [{ value: `v${i}` }] }),
    )
    await advanceUntil(c, Promise.all(sends))
    lost.remove()
    const values = (await readCommitted(c, 'i', 0)).map((r) => r.value)
    expect(values).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`))
  })

  it('acks=1 can lose an acknowledged record when the leader dies before its followers copy it', async () => {
    const c = await start(3, { 'zookeeper.session.timeout.ms': 6000 })
    await c
      .admin()
      .createTopics({ topics: [{ topic: 'l', numPartitions: 1, replicationFactor: 3 }] })
    await c.producer({ acks: -1 }).send({ topic: 'l', messages: [{ value: 'safe' }] })
    const leader = c.topic('l').partitions[0]!.leader
    for (const b of c.brokers) if (b.id !== leader) c.network.cut(leader, b.id)
    const [ack] = await c
      .producer({ acks: 1 })
      .send({ topic: 'l', messages: [{ value: 'acked-then-lost' }] })
    expect(ack?.errorCode).toBe(0)
    c.brokers[leader]!.kill()
    c.network.heal()
    await c.clock.advance(10_000)
    const newLeader = c.topic('l').partitions[0]!.leader
    expect(newLeader).not.toBe(leader)
    await c.brokers[leader]!.restart()
    await c.clock.advance(5000)
    expect((await readCommitted(c, 'l', 0)).map((r) => r.value)).toEqual(['safe'])
    // The old leader truncated its copy when it came back as a follower.
    expect((await readReplica(c.brokers[leader]!, 'l', 0))?.map((r) => r.value)).toEqual(['safe'])
  })
})

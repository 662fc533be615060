/** Consuming in a group on a three-broker cluster: run/eachMessage, poll, for-await. */
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import type { ConsumerRecord } from '../../src/consumer/types.js'
import { collector, consumerOf, perTest, topicWith, values } from './helpers.js'

const world = perTest()

async function start(): Promise<Cluster<VirtualClock>> {
  return world.cluster()
}

function track(c: Consumer): Consumer {
  return world.track(c)
}

describe('consuming', () => {
  it('runs eachMessage over every record from the beginning, in order per partition', async () => {
    const c = await start()
    await topicWith(c, 't', 3, 30)
    const consumer = track(consumerOf(c, { groupId: 'g' }))
    const got = collector()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) =>
        got.push({ topic, partition, ...message }),
    })
    await c.clock.runUntil(got.until(30))
    expect(values(got.seen)).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort())
    for (let p = 0; p < 3; p++) {
      const offsets = got.seen.filter((r) => r.partition === p).map((r) => Number(r.offset))
      expect(offsets).toEqual(offsets.map((_, i) => i))
    }
    expect(consumer.assignment()).toHaveLength(3)
  })

  it('polls: returns records when they arrive, or nothing when the timeout passes', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 10)
    const consumer = track(consumerOf(c, { groupId: 'g', autoOffsetReset: 'earliest' }))
    await consumer.subscribe({ topic: 't' })
    const all: ConsumerRecord[] = []
    while (all.length < 10)
      all.push(...(await c.clock.runUntil(consumer.poll({ timeoutMs: 1000 }))))
    expect(values(all)).toHaveLength(10)
    const before = c.clock.now()
    expect(await c.clock.runUntil(consumer.poll({ timeoutMs: 2000 }))).toEqual([])
    expect(c.clock.now() - before).toBe(2000)
    const few = await c.clock.runUntil(consumer.poll({ timeoutMs: 0, maxRecords: 1 }))
    expect(few).toEqual([])
  })

  it('poll returns at its timeout in the middle of a rebalance; the next poll goes on with it (Java’s poll(Duration))', async () => {
    const c = await start()
    await topicWith(c, 't', 1, 3)
    const consumer = track(
      consumerOf(c, { groupId: 'slow', autoOffsetReset: 'earliest', rebalanceTimeoutMs: 60_000 }),
    )
    await consumer.subscribe({ topics: ['t'] })
    // A second member that never rejoins holds the rebalance open for its rebalance timeout.
    const other = track(consumerOf(c, { groupId: 'slow', autoOffsetReset: 'earliest' }))
    await other.subscribe({ topics: ['t'] })
    const all = [...(await c.clock.runUntil(consumer.poll({ timeoutMs: 100 })))]
    const t0 = c.clock.now()
    all.push(...(await c.clock.runUntil(other.poll({ timeoutMs: 500 }))))
    expect(c.clock.now() - t0).toBeLessThanOrEqual(500)
    for (let i = 0; i < 200 && all.length < 3; i++) {
      all.push(...(await c.clock.runUntil(consumer.poll({ timeoutMs: 1000 }))))
      all.push(...(await c.clock.runUntil(other.poll({ timeoutMs: 1000 }))))
    }
    expect(values(all).sort()).toEqual(['v0', 'v1', 'v2'])
  })

  it('iterates with for await', async () => {
    const c = await start()
    await topicWith(c, 't', 1, 5)
    const consumer = track(consumerOf(c, { groupId: 'g', autoOffsetReset: 'earliest' }))
    await consumer.subscribe({ topics: ['t'] })
    const seen: string[] = []
    const loop = (async () => {
      for await (const r of consumer) {
        seen.push(r.value?.toString() ?? '')
        if (seen.length === 5) break
      }
    })()
    await c.clock.runUntil(loop)
    expect(seen).toEqual(['v0', 'v1', 'v2', 'v3', 'v4'])
  })
})

describe('headers', () => {
  it('hands over every header in order, repeats included, and the last value by key', async () => {
    const c = await start()
    await c.admin().createTopics({ topics: [{ topic: 'h', numPartitions: 1 }] })
    const producer = c.producer()
    // kafkajs's form: an array for a repeated key.
    const headers = { trace: ['a', 'b'], hop: '1', none: null }
    await c.clock.runUntil(
      producer.send({ topic: 'h', messages: [{ value: 'x', headers }, { value: 'y' }] }),
    )
    await c.clock.runUntil(producer.disconnect())
    const consumer = track(consumerOf(c, { groupId: 'g', autoOffsetReset: 'earliest' }))
    await consumer.subscribe({ topics: ['h'] })
    const [x, y] = await c.clock.runUntil(consumer.poll({ timeoutMs: 1000 }))
    const text = (v: Buffer | null) => (v === null ? null : v.toString())
    expect(x?.headerList.map((h) => [h.key, text(h.value)])).toEqual([
      ['trace', 'a'],
      ['trace', 'b'],
      ['hop', '1'],
      ['none', null],
    ])
    expect(Object.entries(x?.headers ?? {}).map(([k, v]) => [k, text(v)])).toEqual([
      ['trace', 'b'],
      ['hop', '1'],
      ['none', null],
    ])
    expect(y?.headerList).toEqual([])
    expect(y?.headers).toEqual({})
  })
})

describe('closing', () => {
  it('leaves no timer behind once the consumer and cluster are closed', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 4)
    const consumer = consumerOf(c, { groupId: 'g', autoOffsetReset: 'earliest' })
    const got = collector()
    await consumer.subscribe({ topics: ['t'] })
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) =>
        got.push({ topic, partition, ...message }),
    })
    await c.clock.runUntil(got.until(4))
    const left = new Promise<void>((resolve) => consumer.once('disconnect', resolve))
    await c.clock.runUntil(consumer.disconnect())
    await left
    const group = await c.clock.runUntil(consumerOf(c, { groupId: 'g' }).describeGroup())
    expect(group.members).toEqual([])
    await c.close()
    expect(c.clock.pendingTimers).toBe(0)
  })
})

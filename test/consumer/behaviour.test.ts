/** Rebalance triggers and run() behaviour: poll interval, concurrency, patterns, cooperative moves, eachBatch. */
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import type { ConsumerOptions } from '../../src/consumer/options.js'
import type { TopicPartition } from '../../src/consumer/types.js'
import { collector, consumerOf, perTest, topicWith } from './helpers.js'

const world = perTest()

async function start(): Promise<Cluster<VirtualClock>> {
  return world.cluster()
}

function make(c: Cluster<VirtualClock>, options: ConsumerOptions = {}): Consumer {
  const consumer = consumerOf(c, { groupId: 'g', sessionTimeoutMs: 10_000, ...options })
  return world.track(consumer)
}

async function until(
  c: Cluster<VirtualClock>,
  check: () => boolean,
  maxMs = 120_000,
): Promise<void> {
  await c.clock.runUntil(
    (async () => {
      while (!check()) await c.clock.sleep(100)
    })(),
    maxMs,
  )
}

describe('run()', () => {
  it('keeps per-partition order with partitionsConsumedConcurrently > 1', async () => {
    const c = await start()
    await topicWith(c, 't', 4, 80)
    const a = make(c, { autoOffsetReset: 'earliest' })
    const got = collector()
    let active = 0
    let maxActive = 0
    await a.subscribe({ topics: ['t'] })
    await a.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic, partition, message }) => {
        active++
        maxActive = Math.max(maxActive, active)
        await c.clock.sleep(10 * (partition + 1))
        active--
        got.push({ topic, partition, ...message })
      },
    })
    await c.clock.runUntil(got.until(80))
    expect(maxActive).toBeGreaterThan(1)
    expect(maxActive).toBeLessThanOrEqual(3)
    for (let p = 0; p < 4; p++) {
      const offsets = got.seen.filter((r) => r.partition === p).map((r) => Number(r.offset))
      expect(offsets).toEqual(Array.from({ length: 20 }, (_, i) => i))
    }
  })

  it('hands whole batches to eachBatch and resolves them', async () => {
    const c = await start()
    await topicWith(c, 't', 1, 6)
    const a = make(c, { autoOffsetReset: 'earliest' })
    const sizes: number[] = []
    await a.subscribe({ topics: ['t'] })
    await a.run({
      eachBatch: async ({ batch }) => {
        sizes.push(batch.messages.length)
        expect(batch.highWatermark).toBe('6')
      },
    })
    await until(c, () => sizes.reduce((x, y) => x + y, 0) === 6)
    expect(a.position('t', 0)).toBe('6')
  })

  it('leaves the group when a handler blocks longer than maxPollIntervalMs', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 2)
    const slow = make(c, { autoOffsetReset: 'earliest', maxPollIntervalMs: 20_000 })
    const other = make(c, { autoOffsetReset: 'earliest' })
    let release!: () => void
    const blocked = new Promise<void>((resolve) => {
      release = resolve
    })
    await slow.subscribe({ topics: ['t'] })
    await slow.run({ eachMessage: () => blocked })
    await until(c, () => slow.assignment().length === 2 && slow.generationId >= 0)
    await other.subscribe({ topics: ['t'] })
    await other.run({ eachMessage: async () => undefined })
    // slow is stuck in its handler: after maxPollIntervalMs it leaves, and other takes all
    await until(c, () => other.assignment().length === 2 && other.generationId >= 0, 60_000)
    const group = await c.clock.runUntil(other.describeGroup())
    expect(group.members.map((m) => m.memberId)).toEqual([other.memberId])
    release()
  })
})

describe('rebalance triggers', () => {
  it('picks up a new topic that matches a subscribed pattern', async () => {
    const c = await start()
    await topicWith(c, 'orders-eu', 1, 1)
    const a = make(c, { autoOffsetReset: 'earliest', metadataMaxAgeMs: 5_000 })
    const got = collector()
    await a.subscribe({ pattern: /^orders-/ })
    await a.run({
      eachMessage: async ({ topic, partition, message }) =>
        got.push({ topic, partition, ...message }),
    })
    await c.clock.runUntil(got.until(1))
    await topicWith(c, 'orders-us', 2, 2)
    await c.clock.runUntil(got.until(3))
    expect(new Set(got.seen.map((r) => r.topic))).toEqual(new Set(['orders-eu', 'orders-us']))
    expect(a.assignment()).toHaveLength(3)
  })

  it('the leader rejoins when a subscribed topic gets new partitions', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 0)
    const a = make(c, { metadataMaxAgeMs: 5_000 })
    await a.subscribe({ topics: ['t'] })
    await a.run({ eachMessage: async () => undefined })
    await until(c, () => a.assignment().length === 2)
    await c.clock.runUntil(
      c.admin().createPartitions({ topicPartitions: [{ topic: 't', count: 4 }] }),
    )
    await until(c, () => a.assignment().length === 4)
  })

  it('cooperative-sticky moves only what must move, revoking before assigning', async () => {
    const c = await start()
    await topicWith(c, 't', 4, 0)
    const opts = { partitionAssigners: ['cooperative-sticky'] }
    const a = make(c, opts)
    const b = make(c, opts)
    const revokedA: TopicPartition[][] = []
    a.on('partitions.revoked', (e) => revokedA.push([...e.partitions]))
    await a.subscribe({ topics: ['t'] })
    await a.run({ eachMessage: async () => undefined })
    await until(c, () => a.assignment().length === 4 && a.generationId >= 0)
    const before = a.assignment().map((t) => t.partition)
    await b.subscribe({ topics: ['t'] })
    await b.run({ eachMessage: async () => undefined })
    await until(c, () => a.assignment().length === 2 && b.assignment().length === 2)
    expect(revokedA).toHaveLength(1)
    expect(revokedA[0]).toHaveLength(2)
    const kept = a.assignment().map((t) => t.partition)
    expect(kept.every((p) => before.includes(p))).toBe(true)
  })
})

describe('options', () => {
  it('refuses bad options with INVALID_ARGUMENT', async () => {
    const c = await start()
    const bad: ConsumerOptions[] = [
      { sessionTimeoutMs: 0 },
      { heartbeatIntervalMs: 50_000 },
      { partitionAssigners: ['nope'] },
      { partitionAssigners: [] },
      { autoOffsetReset: 'middle' as never },
      { maxBytes: -1 },
      { groupId: '' },
    ]
    for (const options of bad) {
      expect(() => consumerOf(c, options)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      )
    }
    const a = make(c)
    await expect(a.subscribe({})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(a.run({} as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })
})

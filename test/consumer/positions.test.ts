/** Where a consumer reads: autoOffsetReset, seek, pause/resume, commit patterns, handler failures. */
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { LogkeeperError } from '../../src/common/errors.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import type { ConsumerOptions } from '../../src/consumer/options.js'
import type { ConsumerRecord } from '../../src/consumer/types.js'
import { collector, consumerOf, perTest, produce, topicWith } from './helpers.js'

const world = perTest()

async function start(topicPartitions = 1, records = 5): Promise<Cluster<VirtualClock>> {
  const cluster = await world.cluster()
  await topicWith(cluster, 't', topicPartitions, records)
  return cluster
}

function make(c: Cluster<VirtualClock>, options: ConsumerOptions = {}): Consumer {
  const consumer = consumerOf(c, { groupId: 'g', ...options })
  return world.track(consumer)
}

async function pollAll(
  c: Cluster<VirtualClock>,
  consumer: Consumer,
  ms = 1000,
): Promise<ConsumerRecord[]> {
  return c.clock.runUntil(consumer.poll({ timeoutMs: ms }))
}

const texts = (rs: readonly ConsumerRecord[]) => rs.map((r) => r.value?.toString())

describe('autoOffsetReset', () => {
  it('earliest reads from the log start, latest only what comes next', async () => {
    const c = await start()
    const early = make(c, { groupId: 'e', autoOffsetReset: 'earliest' })
    const late = make(c, { groupId: 'l', autoOffsetReset: 'latest' })
    await early.subscribe({ topics: ['t'] })
    await late.subscribe({ topics: ['t'] })
    expect(texts(await pollAll(c, early))).toEqual(['v0', 'v1', 'v2', 'v3', 'v4'])
    expect(await pollAll(c, late)).toEqual([])
    await produce(c, 't', 1, 1, 'n')
    expect(texts(await pollAll(c, late))).toEqual(['n0'])
  })

  it("'none' without a committed offset fails with OFFSET_OUT_OF_RANGE", async () => {
    const c = await start()
    const consumer = make(c, { autoOffsetReset: 'none' })
    await consumer.subscribe({ topics: ['t'] })
    const err = await pollAll(c, consumer).catch((e: LogkeeperError) => e)
    expect((err as LogkeeperError).code).toBe('OFFSET_OUT_OF_RANGE')
  })
})

describe('seek, pause and resume', () => {
  it('seeks to an offset (a string, as kafkajs) and to the ends', async () => {
    const c = await start()
    const consumer = make(c, { autoOffsetReset: 'earliest' })
    await consumer.subscribe({ topics: ['t'] })
    expect(await pollAll(c, consumer)).toHaveLength(5)
    consumer.seek({ topic: 't', partition: 0, offset: '3' })
    expect(texts(await pollAll(c, consumer))).toEqual(['v3', 'v4'])
    consumer.seek({ topic: 't', partition: 0, offset: '-2' })
    expect(await pollAll(c, consumer)).toHaveLength(5)
    expect(() => consumer.seek({ topic: 'other', partition: 0, offset: '1' })).toThrow(
      /not subscribed/,
    )
    expect(() => consumer.seek({ topic: 't', partition: 0, offset: 'x' })).toThrow()
  })

  it('pauses and resumes partitions', async () => {
    const c = await start(2, 4)
    const consumer = make(c, { autoOffsetReset: 'earliest' })
    await consumer.subscribe({ topics: ['t'] })
    consumer.pause([{ topic: 't', partitions: [1] }])
    const first = await pollAll(c, consumer)
    expect(first.every((r) => r.partition === 0)).toBe(true)
    expect(first).toHaveLength(2)
    expect(consumer.paused()).toEqual([{ topic: 't', partitions: [1] }])
    expect(await pollAll(c, consumer)).toEqual([])
    consumer.resume([{ topic: 't' }])
    const rest = await pollAll(c, consumer)
    expect(rest.map((r) => r.partition)).toEqual([1, 1])
    await c.clock.runUntil(consumer.disconnect())
    expect(() => consumer.pause([{ topic: 't' }])).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    )
    expect(() => consumer.resume([{ topic: 't' }])).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    )
  })
})

describe('commit patterns', () => {
  it('at-least-once: commit after processing; a crash before the commit reprocesses', async () => {
    const c = await start(1, 4)
    const a = make(c, { autoCommit: false, autoOffsetReset: 'earliest' })
    await a.subscribe({ topics: ['t'] })
    const records = await pollAll(c, a)
    const last = records[1] as ConsumerRecord
    await c.clock.runUntil(
      a.commitOffsets([{ topic: 't', partition: 0, offset: String(Number(last.offset) + 1) }]),
    )
    await c.clock.runUntil(a.disconnect())
    const b = make(c, { autoCommit: false })
    await b.subscribe({ topics: ['t'] })
    expect(texts(await pollAll(c, b))).toEqual(['v2', 'v3'])
  })

  it('at-most-once: commit before processing; a crash after the commit skips', async () => {
    const c = await start(1, 4)
    const a = make(c, { autoCommit: false, autoOffsetReset: 'earliest' })
    await a.subscribe({ topics: ['t'] })
    const records = await pollAll(c, a)
    await c.clock.runUntil(a.commitOffsets([{ topic: 't', partition: 0, offset: '4' }]))
    expect(records).toHaveLength(4) // "processing" dies here, after the commit
    await c.clock.runUntil(a.disconnect())
    const b = make(c, { autoCommit: false })
    await b.subscribe({ topics: ['t'] })
    await produce(c, 't', 1, 1, 'after')
    expect(texts(await pollAll(c, b))).toEqual(['after0'])
  })

  it('auto-commits resolved offsets of run() and emits commit.offsets', async () => {
    const c = await start(1, 3)
    const a = make(c, { autoOffsetReset: 'earliest' })
    const commits: string[] = []
    a.on('commit.offsets', (e) => commits.push(...e.topics.map((t) => t.offset)))
    const got = collector()
    await a.subscribe({ topics: ['t'] })
    await a.run({
      autoCommitThreshold: 3,
      eachMessage: async ({ topic, partition, message }) =>
        got.push({ topic, partition, ...message }),
    })
    await c.clock.runUntil(got.until(3))
    await c.clock.advance(100)
    expect(commits).toContain('3')
  })
})

describe('handler failures', () => {
  it('retries a failing eachMessage with backoff, then crashes and stops when told not to restart', async () => {
    const c = await start(1, 2)
    let calls = 0
    const crashed: unknown[] = []
    const a = make(c, {
      autoOffsetReset: 'earliest',
      retry: { retries: 2, initialRetryTime: 100, restartOnFailure: async () => false },
    })
    a.on('crash', (e) => crashed.push(e.error))
    const stopped = new Promise<void>((resolve) => a.once('stop', resolve))
    await a.subscribe({ topics: ['t'] })
    await a.run({
      eachMessage: async () => {
        calls++
        throw new Error('boom')
      },
    })
    await c.clock.runUntil(stopped)
    expect(calls).toBe(3)
    expect(crashed).toHaveLength(1)
    expect((crashed[0] as Error).message).toBe('boom')
    expect(a.running).toBe(false)
  })

  it('goes on after a transient failure, in order', async () => {
    const c = await start(1, 3)
    const seen: string[] = []
    let failures = 1
    const a = make(c, { autoOffsetReset: 'earliest', retry: { initialRetryTime: 50 } })
    await a.subscribe({ topics: ['t'] })
    const got = collector()
    await a.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (message.offset === '1' && failures-- > 0) throw new Error('once')
        seen.push(message.value?.toString() ?? '')
        got.push({ topic, partition, ...message })
      },
    })
    await c.clock.runUntil(got.until(3))
    expect(seen).toEqual(['v0', 'v1', 'v2'])
  })
})

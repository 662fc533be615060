/**
 * Every bad send is a typed error and writes nothing: a valid message sits before the bad one
 * in each case, and the logs stay empty.
 */
import { describe, expect, it } from 'vitest'
import { createRandom } from '../../src/common/random.js'
import type { ProducerOptions } from '../../src/producer/options.js'
import { Producer } from '../../src/producer/producer.js'
import { FakeCluster } from './fake-broker.js'
import { settle } from './helpers.js'

const good = { key: 'k', value: 'fine' }

async function expectNothingWritten(
  options: ProducerOptions,
  send: (p: Producer) => Promise<unknown>,
  code: string,
  fake: { autoCreate?: boolean; maxMessageBytes?: number } = {},
): Promise<void> {
  const c = await FakeCluster.create({ topics: { t: 3 }, ...fake })
  const p = c.producer(options)
  await expect(settle(c.clock, send(p))).rejects.toMatchObject({ code })
  await p.flush()
  expect(c.totalRecords()).toBe(0)
  expect(c.produceRequests.length).toBe(0)
  await p.disconnect()
}

describe('Producer: bad input writes nothing', () => {
  it.each([
    ['a number value', { value: 42 }],
    ['an object value', { value: { a: 1 } }],
    ['a number key', { key: 7, value: 'v' }],
    ['an object header value', { value: 'v', headers: { h: { x: 1 } } }],
    ['a non-object message', 'hello'],
    ['a bad timestamp', { value: 'v', timestamp: 'soon' }],
    ['a negative partition', { value: 'v', partition: -2 }],
  ])('%s → INVALID_ARGUMENT', async (_, bad) => {
    await expectNothingWritten(
      {},
      (p) => p.send({ topic: 't', messages: [good, bad as never] }),
      'INVALID_ARGUMENT',
    )
  })

  it('a record larger than maxRequestSize → MESSAGE_TOO_LARGE', async () => {
    await expectNothingWritten(
      { maxRequestSize: 1000 },
      (p) => p.send({ topic: 't', messages: [good, { value: 'x'.repeat(1000) }] }),
      'MESSAGE_TOO_LARGE',
    )
  })

  it('a record larger than the topic’s max.message.bytes → MESSAGE_TOO_LARGE', async () => {
    await expectNothingWritten(
      {},
      (p) => p.send({ topic: 't', messages: [good, { value: 'x'.repeat(600) }] }),
      'MESSAGE_TOO_LARGE',
      { maxMessageBytes: 500 },
    )
  })

  it('a partition out of range → UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await expectNothingWritten(
      {},
      (p) => p.send({ topic: 't', messages: [good, { value: 'v', partition: 3 }] }),
      'UNKNOWN_TOPIC_OR_PARTITION',
    )
  })

  it('an unknown topic with auto-creation off → UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await expectNothingWritten(
      { allowAutoTopicCreation: false },
      (p) =>
        p.sendBatch({
          topicMessages: [
            { topic: 't', messages: [good] },
            { topic: 'nope', messages: [good] },
          ],
        }),
      'UNKNOWN_TOPIC_OR_PARTITION',
    )
  })

  it('a custom partitioner out of range → INVALID_ARGUMENT', async () => {
    await expectNothingWritten(
      { partitioner: ({ message }) => (message.value === 'fine' ? 0 : 9) },
      (p) => p.send({ topic: 't', messages: [good, { value: 'bad' }] }),
      'INVALID_ARGUMENT',
    )
  })

  it('a bad topic name → INVALID_TOPIC_EXCEPTION', async () => {
    await expectNothingWritten(
      {},
      (p) => p.send({ topic: 'a/b', messages: [good] }),
      'INVALID_TOPIC_EXCEPTION',
    )
  })

  it('messages that are not an array, bad acks → INVALID_ARGUMENT', async () => {
    await expectNothingWritten(
      {},
      (p) => p.send({ topic: 't', messages: good as never }),
      'INVALID_ARGUMENT',
    )
    await expectNothingWritten(
      {},
      (p) => p.send({ topic: 't', messages: [good], acks: 2 as never }),
      'INVALID_ARGUMENT',
    )
  })

  it('an idempotent producer refuses acks other than all, per send', async () => {
    await expectNothingWritten(
      { idempotent: true },
      (p) => p.send({ topic: 't', messages: [good], acks: 1 }),
      'INVALID_ARGUMENT',
    )
  })
})

describe('Producer options', () => {
  const build = (options: ProducerOptions) => async () => {
    const c = await FakeCluster.create()
    return new Producer({ client: c.client(), clock: c.clock, random: createRandom(1), options })
  }

  it('rejects conflicting or unknown options with INVALID_ARGUMENT', async () => {
    for (const options of [
      { idempotent: true, acks: 1 },
      { idempotent: true, acks: 0 },
      { idempotent: true, maxInFlightRequests: 6 },
      { idempotent: true, retries: 0 },
      { compression: 'gzip' },
      { lingerMs: -1 },
      { batchSize: 0 },
      { partitioner: 'murmur3' },
      { acks: 2 },
      { bogus: true },
    ] as ProducerOptions[]) {
      await expect(build(options)()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    }
  })

  it('names the unsupported compression codec', async () => {
    await expect(build({ compression: 'zstd' as never })()).rejects.toThrow(/zstd/)
  })

  it('applies Kafka’s defaults; idempotence forces acks=all', async () => {
    const p = await build({ idempotent: true })()
    expect(p.options).toMatchObject({
      acks: -1,
      lingerMs: 0,
      batchSize: 16384,
      maxInFlightRequests: 5,
      retryBackoffMs: 100,
      requestTimeoutMs: 30_000,
      deliveryTimeoutMs: 120_000,
      maxRequestSize: 1_048_576,
      allowAutoTopicCreation: true,
      idempotent: true,
    })
    expect((await build({ idempotent: true, acks: 'all' })()).options.acks).toBe(-1)
  })
})

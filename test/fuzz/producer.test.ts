/**
 * Bad input to producers: hostile options (numbers past every edge, partitioner functions that
 * return nonsense or throw), and sends with hostile topics, keys, values, headers with
 * `__proto__` keys, partitions, timestamps, acks, timeouts and huge batches. A send that fails
 * writes nothing (no log end moves, no topic appears); one that succeeds answers with offsets
 * inside the partition's log.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { Producer } from '../../src/producer/producer.js'
import { FIXTURE_TOPIC, listOf, partitionIndex, topicName } from './arbitraries.js'
import { fuzzIt, report } from './harness.js'
import {
  argument,
  bigBuffer,
  HostileError,
  hostileString,
  hostileValue,
  mostly,
  PROTO_KEYS,
  throwingGetters,
} from './hostile.js'
import { FuzzCluster } from './state.js'

let fz: FuzzCluster
let producer: Producer

beforeAll(async () => {
  fz = await FuzzCluster.start()
  await fz.cluster.clock.runUntil(
    fz.cluster.admin().createTopics({ topics: [{ topic: FIXTURE_TOPIC, numPartitions: 2 }] }),
  )
  producer = fz.cluster.producer({ allowAutoTopicCreation: false })
})

afterAll(async () => {
  report('producer')
  await fz.close()
})

const bytes = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: bigBuffer },
  { weight: 1, arbitrary: hostileString },
)

/** Headers whose keys may be `__proto__`, `constructor`..., values bytes, lists or hostile. */
const headers = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString),
      mostly(fc.oneof(bytes, fc.array(bytes, { maxLength: 2 }))),
    ),
    { maxLength: 3 },
  )
  .map((entries) => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of entries) {
      Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true })
    }
    return out
  })

const message = argument({
  key: bytes,
  value: bytes,
  headers: mostly(headers),
  partition: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: partitionIndex },
  ),
  timestamp: mostly(fc.oneof(fc.integer({ min: 0 }), fc.constant('1700000000000'))),
})

const messages = fc.oneof(
  { weight: 5, arbitrary: listOf(message) },
  { weight: 1, arbitrary: fc.constant(new Array(3)) },
  { weight: 1, arbitrary: fc.constant([throwingGetters(['key', 'value', 'headers'])]) },
)

const acks = fc.oneof(fc.constantFrom(-1, 0, 1, 'all'), hostileValue)

/** The offsets a successful send answered lie inside the partition's log. */
function checkAnswer(value: unknown): void {
  for (const meta of value as { topicName: string; partition: number; baseOffset: string }[]) {
    const end = fz.cluster.topic(meta.topicName).partitions[meta.partition]?.logEndOffset
    expect(Number(meta.baseOffset)).toBeLessThan(end ?? 0)
  }
}

describe('producer, bad input', () => {
  fuzzIt('send', 80, () => {
    const record = argument({
      topic: fc.oneof(fc.constant(FIXTURE_TOPIC), topicName),
      messages: mostly(messages),
      acks: mostly(fc.constantFrom(-1, 1)),
      timeoutMs: mostly(fc.constant(5000)),
    })
    return fc.asyncProperty(record, async (r) => {
      const out = await fz.check('producer.send', () => producer.send(r as never), r)
      if (out.kind === 'ok') checkAnswer(out.value)
    })
  })

  fuzzIt('sendBatch', 40, () => {
    const topicMessages = argument({ topic: topicName, messages: mostly(messages) })
    const batch = argument({
      topicMessages: mostly(fc.array(topicMessages, { maxLength: 3 })),
      acks: mostly(acks),
      timeoutMs: mostly(fc.constant(5000)),
    })
    return fc.asyncProperty(batch, async (b) => {
      const out = await fz.check('producer.sendBatch', () => producer.sendBatch(b as never), b)
      if (out.kind === 'ok') checkAnswer(out.value)
    })
  })

  fuzzIt('producer options', 40, () => {
    const partitioner = fc.oneof(
      fc.constantFrom('default', 'round-robin', 'sticky'),
      hostileValue.map((v) => () => v),
      fc.constant(() => {
        throw new HostileError('a partitioner that throws')
      }),
      hostileValue,
    )
    const options = argument({
      acks: acks,
      idempotent: mostly(fc.boolean()),
      partitioner: partitioner,
      lingerMs: mostly(fc.integer({ min: 0, max: 10 })),
      batchSize: mostly(fc.integer({ min: 1, max: 1 << 16 })),
      maxInFlightRequests: mostly(fc.integer({ min: 1, max: 6 })),
      retries: mostly(fc.integer({ min: 0, max: 3 })),
      retryBackoffMs: mostly(fc.integer({ min: 0, max: 100 })),
      retryBackoffMaxMs: mostly(fc.integer({ min: 0, max: 1000 })),
      requestTimeoutMs: mostly(fc.integer({ min: 1, max: 30_000 })),
      deliveryTimeoutMs: mostly(fc.integer({ min: 1, max: 120_000 })),
      maxRequestSize: mostly(fc.integer({ min: 1, max: 1 << 20 })),
      allowAutoTopicCreation: mostly(fc.boolean()),
      compression: mostly(fc.constantFrom('none', 'gzip')),
      clientId: mostly(fc.constant('fz-producer')),
    })
    const send = fc.record({ topic: fc.constant(FIXTURE_TOPIC), messages: listOf(message) })
    return fc.asyncProperty(options, send, async (o, r) => {
      const made = await fz.check('cluster.producer', () => fz.cluster.producer(o as never), o)
      if (made.kind !== 'ok') return
      const p = made.value as Producer
      const out = await fz.check('producer.send (hostile options)', () => p.send(r as never), r)
      if (out.kind === 'ok') checkAnswer(out.value)
      await fz.check('producer.disconnect', () => p.disconnect())
      await fz.check('producer.send after disconnect', () => p.send(r as never), r)
    })
  })
})

import { describe, expect, it } from 'vitest'
import { partitionForKey } from '../../src/producer/partitioners.js'
import { FakeCluster } from './fake-broker.js'
import { settle, ticks } from './helpers.js'

describe('Producer: sending', () => {
  it('with lingerMs 0 sends at once: resolves without the clock moving', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer()
    const before = c.clock.now()
    const meta = await p.send({
      topic: 't',
      messages: [{ value: 'a' }, { key: 'k', value: Buffer.from('b'), headers: { h: 'v' } }],
    })
    expect(c.clock.now()).toBe(before)
    expect(meta).toEqual([
      {
        topicName: 't',
        partition: 0,
        errorCode: 0,
        baseOffset: '0',
        logAppendTime: '-1',
        logStartOffset: '0',
      },
    ])
    const stored = await c.records('t', 0)
    expect(stored.map((r) => [r.key, r.value, r.headers])).toEqual([
      [null, 'a', {}],
      ['k', 'b', { h: 'v' }],
    ])
    const second = await p.send({ topic: 't', messages: [{ value: 'c' }] })
    expect(second[0]?.baseOffset).toBe('2')
    await p.disconnect()
  })

  it('puts a keyed message on the partition Kafka’s Java client chooses', async () => {
    const c = await FakeCluster.create({ topics: { t: 6 } })
    const p = c.producer()
    const keys = ['21', 'foobar', 'abc', 'a-little-bit-long-string', 'user-42']
    const meta = await p.send({ topic: 't', messages: keys.map((key) => ({ key, value: key })) })
    for (const key of keys) {
      const part = partitionForKey(Buffer.from(key), 6)
      expect((await c.records('t', part)).map((r) => r.key)).toContain(key)
    }
    // '21' → toPositive(-973932308) % 6 = 1173551340 % 6
    expect(partitionForKey(Buffer.from('21'), 6)).toBe(1173551340 % 6)
    expect(meta.length).toBe(new Set(keys.map((k) => partitionForKey(Buffer.from(k), 6))).size)
    await p.disconnect()
  })

  it('sendBatch writes to several topics and reports each partition', async () => {
    const c = await FakeCluster.create({ topics: { a: 1, b: 2 } })
    const p = c.producer()
    const meta = await p.sendBatch({
      topicMessages: [
        { topic: 'a', messages: [{ value: '1' }, { value: '2' }] },
        { topic: 'b', messages: [{ value: '3', partition: 1 }] },
      ],
    })
    expect(meta.map((m) => [m.topicName, m.partition, m.baseOffset])).toEqual([
      ['a', 0, '0'],
      ['b', 1, '0'],
    ])
    expect(await c.allValues('b')).toEqual([[], ['3']])
    await p.disconnect()
  })

  it('creates a topic on first use when allowed', async () => {
    const c = await FakeCluster.create({ topics: {} })
    const p = c.producer()
    await p.send({ topic: 'fresh', messages: [{ value: 'x' }] })
    expect(await c.allValues('fresh')).toEqual([['x']])
    await p.disconnect()
  })

  it('gives each send the offset of its own first record in a shared batch', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer()
    const sends = [0, 1, 2].map((i) =>
      p.send({ topic: 't', messages: [{ value: `${i}a` }, { value: `${i}b` }] }),
    )
    const metas = await Promise.all(sends)
    expect(metas.map((m) => m[0]?.baseOffset)).toEqual(['0', '2', '4'])
    expect(c.produceRequests.length).toBe(1)
    await p.disconnect()
  })
})

describe('Producer: batching', () => {
  it('waits lingerMs (virtual clock) and sends the records together', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ lingerMs: 10 })
    let done = 0
    const a = p.send({ topic: 't', messages: [{ value: 'a' }] }).then(() => done++)
    await ticks()
    await c.clock.advance(5)
    const b = p.send({ topic: 't', messages: [{ value: 'b' }] }).then(() => done++)
    await ticks()
    expect(c.produceRequests.length).toBe(0)
    expect(done).toBe(0)
    await c.clock.advance(5)
    await Promise.all([a, b])
    expect(c.produceRequests.length).toBe(1)
    expect(await c.allValues('t')).toEqual([['a', 'b']])
    await p.disconnect()
  })

  it('sends a batch as soon as it reaches batchSize, without waiting for linger', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ lingerMs: 60_000, batchSize: 200 })
    const value = 'x'.repeat(50)
    const sent = p.send({ topic: 't', messages: Array.from({ length: 10 }, () => ({ value })) })
    await ticks()
    // Full batches went at once; the rest lingers.
    const first = c.produceRequests.length
    expect(first).toBeGreaterThanOrEqual(1)
    expect(c.totalRecords()).toBeGreaterThan(0)
    expect(c.totalRecords()).toBeLessThan(10)
    await p.flush()
    await sent
    expect(c.totalRecords()).toBe(10)
    await p.disconnect()
  })

  it('flush() sends what lingers now', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ lingerMs: 60_000 })
    const sent = p.send({ topic: 't', messages: [{ value: 'a' }] })
    await ticks()
    expect(c.totalRecords()).toBe(0)
    await p.flush()
    expect((await sent)[0]?.baseOffset).toBe('0')
    await p.disconnect()
  })
})

describe('Producer: acks', () => {
  it('acks=0 resolves once the request is handed over, baseOffset -1', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    let release!: () => void
    c.hold = new Promise((r) => {
      release = r
    })
    const p = c.producer({ acks: 0 })
    const meta = await p.send({ topic: 't', messages: [{ value: 'a' }] })
    expect(meta[0]?.baseOffset).toBe('-1')
    release()
    await ticks()
    expect(c.totalRecords()).toBe(1)
    await p.disconnect()
  })

  it('per-send acks go in separate batches', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer()
    await Promise.all([
      p.send({ topic: 't', messages: [{ value: 'a' }], acks: 1 }),
      p.send({ topic: 't', messages: [{ value: 'b' }], acks: 'all' }),
    ])
    expect(c.produceRequests.map((r) => r.request.acks)).toEqual([1, -1])
    await p.disconnect()
  })
})

describe('Producer: disconnect', () => {
  it('flushes, then fails later sends with CLOSED and leaves no timer', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ lingerMs: 1000 })
    const sent = p.send({ topic: 't', messages: [{ value: 'a' }] })
    await ticks()
    await p.disconnect()
    await sent
    expect(c.totalRecords()).toBe(1)
    await expect(p.send({ topic: 't', messages: [{ value: 'b' }] })).rejects.toMatchObject({
      code: 'CLOSED',
    })
    expect(c.clock.pendingTimers).toBe(0)
    expect(c.totalRecords()).toBe(1)
    await p.disconnect()
  })

  it('a send racing disconnect while fetching metadata fails with CLOSED', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer()
    const sent = p.send({ topic: 't', messages: [{ value: 'a' }] })
    await p.disconnect()
    await expect(settle(c.clock, sent)).rejects.toMatchObject({ code: 'CLOSED' })
    expect(c.totalRecords()).toBe(0)
  })
})

import { describe, expect, it } from 'vitest'
import { FakeCluster } from './fake-broker.js'
import { settle, ticks } from './helpers.js'

describe('Producer: retries', () => {
  it('retries a batch whose request was lost (NETWORK_EXCEPTION), with backoff', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer()
    const retries: number[] = []
    p.on('retry', (e) => retries.push(e.backoffMs))
    await p.send({ topic: 't', messages: [{ value: 'warm' }] })
    c.transport.drop({ api: 'Produce', direction: 'request', count: 2 })
    const meta = await settle(c.clock, p.send({ topic: 't', messages: [{ value: 'a' }] }))
    expect(meta[0]?.baseOffset).toBe('1')
    expect(retries).toEqual([100, 200])
    expect(await c.allValues('t')).toEqual([['warm', 'a']])
    await p.disconnect()
  })

  it('re-routes to the new leader after NOT_LEADER_OR_FOLLOWER (metadata refresh)', async () => {
    const c = await FakeCluster.create({ brokers: 2, topics: { t: 1 } })
    const p = c.producer()
    await p.send({ topic: 't', messages: [{ value: 'a' }] })
    expect(c.produceRequests.at(-1)?.broker).toBe(0)
    c.setLeader('t', 0, 1)
    const errors: string[] = []
    p.on('retry', (e) => errors.push((e.error as { code: string }).code))
    const meta = await settle(c.clock, p.send({ topic: 't', messages: [{ value: 'b' }] }))
    expect(errors).toEqual(['NOT_LEADER_OR_FOLLOWER'])
    expect(meta[0]?.baseOffset).toBe('1')
    expect(c.produceRequests.at(-1)?.broker).toBe(1)
    await p.disconnect()
  })

  it('re-routes when the leader’s broker is down', async () => {
    const c = await FakeCluster.create({ brokers: 2, topics: { t: 1 } })
    const p = c.producer()
    await p.send({ topic: 't', messages: [{ value: 'a' }] })
    c.transport.unregister(0)
    c.setLeader('t', 0, 1)
    const meta = await settle(c.clock, p.send({ topic: 't', messages: [{ value: 'b' }] }))
    expect(meta[0]?.baseOffset).toBe('1')
    await p.disconnect()
  })

  it('fails a batch that cannot be delivered within deliveryTimeoutMs', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ deliveryTimeoutMs: 5000, requestTimeoutMs: 1000 })
    await p.send({ topic: 't', messages: [{ value: 'a' }] })
    c.transport.isolate('producer')
    const start = c.clock.now()
    const sent = p.send({ topic: 't', messages: [{ value: 'b' }] })
    await expect(settle(c.clock, sent)).rejects.toMatchObject({ code: 'REQUEST_TIMED_OUT' })
    const elapsed = c.clock.now() - start
    expect(elapsed).toBeGreaterThanOrEqual(5000)
    expect(elapsed).toBeLessThan(7000)
    c.transport.heal()
    expect(c.totalRecords()).toBe(1)
    await p.disconnect()
  })

  it('with retries: 0, a retriable error fails the send at once', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ retries: 0 })
    await p.send({ topic: 't', messages: [{ value: 'a' }] })
    c.transport.drop({ api: 'Produce', direction: 'request', count: 1 })
    await expect(p.send({ topic: 't', messages: [{ value: 'b' }] })).rejects.toMatchObject({
      code: 'NETWORK_EXCEPTION',
    })
    await p.disconnect()
  })

  it('a request unanswered for requestTimeoutMs is retried', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ requestTimeoutMs: 1000 })
    await p.send({ topic: 't', messages: [{ value: 'a' }] })
    let release!: () => void
    c.hold = new Promise((r) => {
      release = r
    })
    const codes: string[] = []
    p.on('retry', (e) => codes.push((e.error as { code: string }).code))
    const sent = p.send({ topic: 't', messages: [{ value: 'b' }] })
    await ticks()
    await c.clock.advance(1000)
    expect(codes).toEqual(['REQUEST_TIMED_OUT'])
    c.hold = undefined
    release()
    await settle(c.clock, sent)
    // Not idempotent: the first attempt was appended too (Kafka's at-least-once).
    expect(await c.allValues('t')).toEqual([['a', 'b', 'b']])
    await p.disconnect()
  })
})

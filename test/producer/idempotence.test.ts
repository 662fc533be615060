import { describe, expect, it } from 'vitest'
import { FakeCluster } from './fake-broker.js'
import { settle, ticks } from './helpers.js'

describe('Producer: idempotence', () => {
  it('asks InitProducerId once and numbers batches per partition', async () => {
    const c = await FakeCluster.create({ topics: { t: 2 } })
    const p = c.producer({ idempotent: true })
    await p.send({
      topic: 't',
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 0 },
      ],
    })
    await p.send({
      topic: 't',
      messages: [
        { value: 'c', partition: 0 },
        { value: 'd', partition: 1 },
      ],
    })
    const r0 = await c.records('t', 0)
    const r1 = await c.records('t', 1)
    expect(r0.map((r) => [r.producerId, r.baseSequence])).toEqual([
      [1000, 0],
      [1000, 0],
      [1000, 2],
    ])
    expect(r1.map((r) => [r.producerId, r.baseSequence])).toEqual([[1000, 0]])
    expect(c.nextProducerId).toBe(1001)
    await p.disconnect()
  })

  it('writes no duplicates and keeps order when responses are dropped', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ idempotent: true, batchSize: 100 })
    await p.send({ topic: 't', messages: [{ value: 'warm' }] })
    c.transport.drop({ api: 'Produce', direction: 'response', count: 3 })
    const values = Array.from({ length: 20 }, (_, i) => `v${String(i).padStart(2, '0')}`)
    const sends = values.map((value) => p.send({ topic: 't', messages: [{ value }] }))
    const metas = await settle(c.clock, Promise.all(sends))
    expect(await c.allValues('t')).toEqual([['warm', ...values]])
    expect(metas.map((m) => Number(m[0]?.baseOffset))).toEqual(values.map((_, i) => i + 1))
    await p.disconnect()
  })

  it('keeps order with 5 in flight when one request is lost', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ idempotent: true, lingerMs: 0 })
    await p.send({ topic: 't', messages: [{ value: 'warm' }] })
    let release!: () => void
    c.hold = new Promise((r) => {
      release = r
    })
    // The first batch's request is lost; the four behind it reach the leader out of sequence.
    c.transport.drop({ api: 'Produce', direction: 'request', count: 1 })
    const sends: Promise<unknown>[] = []
    for (let i = 0; i < 8; i++) {
      sends.push(p.send({ topic: 't', messages: [{ value: `m${i}` }] }))
      await ticks(1)
    }
    await ticks()
    c.hold = undefined
    release()
    await settle(c.clock, Promise.all(sends))
    expect(await c.allValues('t')).toEqual([
      ['warm', ...Array.from({ length: 8 }, (_, i) => `m${i}`)],
    ])
    await p.disconnect()
  })

  it('never has more than maxInFlightRequests batches of a partition unanswered', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ idempotent: true })
    await p.send({ topic: 't', messages: [{ value: 'warm' }] })
    let release!: () => void
    c.hold = new Promise((r) => {
      release = r
    })
    const before = c.produceRequests.length
    const sends: Promise<unknown>[] = []
    for (let i = 0; i < 12; i++) {
      sends.push(p.send({ topic: 't', messages: [{ value: `m${i}` }] }))
      await ticks(1)
    }
    await ticks()
    expect(c.produceRequests.length - before).toBe(5)
    c.hold = undefined
    release()
    await Promise.all(sends)
    expect((await c.allValues('t'))[0]).toEqual([
      'warm',
      ...Array.from({ length: 12 }, (_, i) => `m${i}`),
    ])
    await p.disconnect()
  })

  it('after a batch fails for good, takes a new producer id and goes on', async () => {
    const c = await FakeCluster.create({ topics: { t: 1 } })
    const p = c.producer({ idempotent: true, deliveryTimeoutMs: 3000, requestTimeoutMs: 1000 })
    await p.send({ topic: 't', messages: [{ value: 'a' }] })
    const rule = c.transport.drop({ api: 'Produce', direction: 'request' })
    const lost = p.send({ topic: 't', messages: [{ value: 'lost' }] })
    await expect(settle(c.clock, lost)).rejects.toMatchObject({ code: 'REQUEST_TIMED_OUT' })
    rule.remove()
    await settle(c.clock, p.send({ topic: 't', messages: [{ value: 'b' }] }))
    const records = await c.records('t', 0)
    expect(records.map((r) => [r.value, r.producerId, r.baseSequence])).toEqual([
      ['a', 1000, 0],
      ['b', 1001, 0],
    ])
    await p.disconnect()
  })
})

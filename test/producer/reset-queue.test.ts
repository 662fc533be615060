/**
 * After the producer id is reset, a partition's batches that were sent under the old id fail
 * (their fate is unknown) and the batches behind them go out under the new id at once. The
 * drain stopped at the first batch that failed this way, and the batches behind it waited for
 * the next timer, which could be the failed batch's own delivery deadline, far away (whole-
 * simulation seed 930: four sends pending 180 s, the deadline pushed out by a clock jump).
 */
import { describe, expect, it } from 'vitest'
import { FakeCluster } from './fake-broker.js'

describe('Producer: after a producer id reset', () => {
  it('sends the batches behind a batch that failed for its old id without waiting', async () => {
    const c = await FakeCluster.create({ brokers: 2, topics: { t: 2 } })
    const p = c.producer({
      idempotent: true,
      deliveryTimeoutMs: 30_000,
      requestTimeoutMs: 1000,
      maxInFlightRequests: 1,
    })
    await Promise.all(
      [0, 1].map((partition) => p.send({ topic: 't', messages: [{ value: 'w', partition }] })),
    )
    const cut = [0, 1].map((to) => c.transport.drop({ to, api: 'Produce', direction: 'request' }))
    const outcome = new Map<string, string>()
    const track = (name: string, sending: Promise<unknown>) =>
      sending.then(
        () => outcome.set(name, 'acked'),
        (err: { code?: string }) => outcome.set(name, err.code ?? 'error'),
      )

    // z (partition 0) fails for good first; x (partition 1) was sent and waits to be sent
    // again; y, behind x, was never sent.
    track('z', p.send({ topic: 't', messages: [{ value: 'z', partition: 0 }] }))
    await c.clock.advance(20_000)
    track('x', p.send({ topic: 't', messages: [{ value: 'x', partition: 1 }] }))
    await c.clock.advance(1500)
    track('y', p.send({ topic: 't', messages: [{ value: 'y', partition: 1 }] }))
    for (let t = 0; t < 30_000 && !outcome.has('z'); t += 100) await c.clock.advance(100)
    expect(outcome.get('z')).toBeDefined()
    for (const rule of cut) rule.remove()

    // The new id is taken, x fails (it may have been written under the old one), y goes out.
    for (let t = 0; t < 5000 && !outcome.has('y'); t += 100) await c.clock.advance(100)
    expect(outcome.get('x')).toBe('NETWORK_EXCEPTION')
    expect(outcome.get('y')).toBe('acked')
    const written = await c.records('t', 1)
    expect(written.map((r) => [r.value, r.producerId])).toEqual([
      ['w', 1000],
      ['y', 1001],
    ])
    await p.disconnect()
  })
})

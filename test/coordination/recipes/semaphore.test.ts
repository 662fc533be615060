/** The counting semaphore beyond one lease (the one-lease case runs the lock contract). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Semaphore } from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, isSettled, type World } from './harness.js'

describe('Semaphore', () => {
  let w: World
  const make = () => new Semaphore(w.connect(), '/sem/s', 3, { clock: w.clock })

  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    await w.close()
  })

  it('grants up to maxLeases at once, then queues', async () => {
    const leases = await Promise.all([make(), make(), make()].map((s) => s.acquire()))
    expect(leases.every((l) => l.held)).toBe(true)
    expect(await codeOf(make().acquire({ timeoutMs: 0 }))).toBe('TIMEOUT')
    const fourth = make().acquire()
    expect(await isSettled(fourth)).toBe(false)
    await leases[1]!.release()
    const granted = await fourth
    expect(granted.fencingToken).toBeGreaterThan(Math.max(...leases.map((l) => l.fencingToken)))
  })

  it('a lease lost with its session frees a slot', async () => {
    const client = w.connect()
    const mine = await new Semaphore(client, '/sem/s', 1, { clock: w.clock }).acquire()
    const next = new Semaphore(w.connect(), '/sem/s', 1, { clock: w.clock }).acquire()
    expect(await isSettled(next)).toBe(false)
    await w.coordinator.expireSession(client.sessionId)
    expect(mine.held).toBe(false)
    expect((await next).held).toBe(true)
  })

  it('rejects a bad maxLeases', () => {
    expect(() => new Semaphore(w.connect(), '/sem/s', 0)).toThrow(/maxLeases/)
  })
})

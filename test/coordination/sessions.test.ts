/**
 * Sessions with a virtual clock: negotiation, heartbeats, expiry, close, coordinator close.
 * Nothing sleeps.
 */
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { createCoordinator } from '../../src/coordination/index.js'

async function setup() {
  const clock = new VirtualClock()
  const coordinator = await createCoordinator({ clock, tickTimeMs: 2000 })
  return { clock, coordinator }
}

describe('sessions', () => {
  it('negotiates the timeout within [2, 20] ticks', async () => {
    const { coordinator } = await setup()
    expect(coordinator.connect({ sessionTimeoutMs: 100 }).sessionTimeoutMs).toBe(4000)
    expect(coordinator.connect({ sessionTimeoutMs: 15_000 }).sessionTimeoutMs).toBe(15_000)
    expect(coordinator.connect({ sessionTimeoutMs: 100_000 }).sessionTimeoutMs).toBe(40_000)
    expect(coordinator.connect().sessionTimeoutMs).toBe(10_000)
    expect(() => coordinator.connect({ sessionTimeoutMs: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    await coordinator.close()
  })

  it('emits connected, then keeps the session alive while heartbeats run', async () => {
    const { clock, coordinator } = await setup()
    const zk = coordinator.connect({ sessionTimeoutMs: 4000 })
    const connected: number[] = []
    zk.on('connected', (e) => connected.push(e.sessionId))
    await Promise.resolve()
    expect(connected).toEqual([zk.sessionId])
    expect(zk.state).toBe('connected')
    await clock.advance(3_600_000)
    expect(zk.state).toBe('connected')
    expect(coordinator.stats().sessionCount).toBe(1)
    await coordinator.close()
  })

  it('expires a client that stops heartbeating; resuming in time saves it', async () => {
    const { clock, coordinator } = await setup()
    const zk = coordinator.connect({ sessionTimeoutMs: 4000 })
    const expired: number[] = []
    zk.on('expired', (e) => expired.push(e.sessionId))
    zk.pauseHeartbeats()
    await clock.advance(3000)
    zk.resumeHeartbeats()
    await clock.advance(10_000)
    expect(zk.state).toBe('connected')
    zk.pauseHeartbeats()
    await clock.advance(4000)
    expect(zk.state).toBe('expired')
    expect(expired).toEqual([zk.sessionId])
    await expect(zk.exists('/')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    await zk.close()
    expect(zk.state).toBe('closed')
    await expect(zk.exists('/')).rejects.toMatchObject({ code: 'CLOSED' })
    await coordinator.close()
  })

  it('takes a zxid for createSession and closeSession', async () => {
    const { coordinator } = await setup()
    const zk = coordinator.connect()
    expect(coordinator.stats().lastZxid).toBe(1)
    await zk.close()
    expect(coordinator.stats().lastZxid).toBe(2)
    await coordinator.expireSession(12345)
    expect(coordinator.stats().lastZxid).toBe(2)
    await coordinator.close()
  })

  it('closes every client when the coordinator closes', async () => {
    const { coordinator } = await setup()
    const zk = coordinator.connect()
    const closed: number[] = []
    zk.on('closed', (e) => closed.push(e.sessionId))
    await coordinator.close()
    await coordinator.close()
    await Promise.resolve()
    expect(zk.state).toBe('closed')
    expect(closed).toEqual([zk.sessionId])
    await expect(zk.create('/x', '')).rejects.toMatchObject({ code: 'CLOSED' })
    expect(() => coordinator.connect()).toThrow(expect.objectContaining({ code: 'CLOSED' }))
    await expect(coordinator.expireSession(zk.sessionId)).rejects.toMatchObject({ code: 'CLOSED' })
  })

  it('lets the closing client hear its own ephemerals go; an expired one hears nothing', async () => {
    const { coordinator } = await setup()
    const closing = coordinator.connect()
    const expiring = coordinator.connect()
    const heard: string[] = []
    await closing.create('/c', '', { mode: 'ephemeral' })
    await closing.exists('/c', { watch: (e) => heard.push(`closing ${e.type}`) })
    await expiring.create('/x', '', { mode: 'ephemeral' })
    await expiring.exists('/x', { watch: (e) => heard.push(`expiring ${e.type}`) })
    await closing.close()
    await coordinator.expireSession(expiring.sessionId)
    expect(heard).toEqual(['closing NodeDeleted'])
    expect(coordinator.stats().watchCount).toBe(0)
    await coordinator.close()
  })
})

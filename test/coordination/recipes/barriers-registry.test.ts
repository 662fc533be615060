/** Barrier, DoubleBarrier and ServiceRegistry. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoordinatorClient } from '../../../src/coordination/index.js'
import { Barrier, DoubleBarrier, ServiceRegistry } from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, isSettled, settle, type World } from './harness.js'

describe('Barrier', () => {
  let w: World
  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    await w.close()
  })

  it('holds waiters while set and lets them all through when removed', async () => {
    const gate = new Barrier(w.connect(), '/barriers/b', { clock: w.clock })
    await gate.wait({ timeoutMs: 0 })
    await gate.set()
    await gate.set()
    expect(await gate.isSet()).toBe(true)
    const waits = [1, 2, 3].map(() => new Barrier(w.connect(), '/barriers/b').wait())
    expect(await isSettled(Promise.race(waits))).toBe(false)
    await gate.remove()
    await Promise.all(waits)
    await gate.remove()
  })

  it('times out and aborts without leaving a watch', async () => {
    const gate = new Barrier(w.connect(), '/barriers/b', { clock: w.clock })
    await gate.set()
    const before = w.coordinator.stats().watchCount
    expect(await codeOf(gate.wait({ timeoutMs: 0 }))).toBe('TIMEOUT')
    const timed = codeOf(gate.wait({ timeoutMs: 100 }))
    await w.clock.advance(100)
    expect(await timed).toBe('TIMEOUT')
    const controller = new AbortController()
    const aborted = codeOf(gate.wait({ signal: controller.signal }))
    await settle()
    controller.abort()
    expect(await aborted).toBe('ABORTED')
    await settle()
    expect(w.coordinator.stats().watchCount).toBe(before)
  })
})

describe('DoubleBarrier', () => {
  let w: World
  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    await w.close()
  })

  it('enters together and leaves together', async () => {
    const members = [1, 2, 3].map(
      (i) => new DoubleBarrier(w.connect(), '/barriers/d', 3, { clock: w.clock, id: `m${i}` }),
    )
    const first = members.slice(0, 2).map((m) => m.enter())
    expect(await isSettled(Promise.race(first))).toBe(false)
    await members[2]!.enter()
    await Promise.all(first)
    const leaving = members.slice(0, 2).map((m) => m.leave())
    expect(await isSettled(Promise.race(leaving))).toBe(false)
    await members[2]!.leave()
    await Promise.all(leaving)
    expect(await w.connect().getChildren('/barriers/d')).toEqual([])
  })

  it('a timed-out enter leaves again', async () => {
    const zk = w.connect()
    const m = new DoubleBarrier(zk, '/barriers/d', 2, { clock: w.clock })
    const entering = codeOf(m.enter({ timeoutMs: 50 }))
    await w.clock.advance(50)
    expect(await entering).toBe('TIMEOUT')
    expect(await zk.getChildren('/barriers/d')).toEqual([])
  })
})

describe('ServiceRegistry', () => {
  let w: World
  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    await w.close()
  })

  it('registers, lists and tells of changes', async () => {
    const a = new ServiceRegistry(w.connect(), '/services')
    const b = new ServiceRegistry(w.connect(), '/services')
    await a.start()
    await b.start()
    const changes: string[] = []
    b.on('change', (e) => changes.push(`${e.name}:${e.instances.map((i) => i.data).join(',')}`))
    const reg = await a.register('api', 'h1:80', 'i1')
    await a.register('api', 'h2:80', 'i2')
    await a.register('db', 'h3:5432', 'd1')
    await settle()
    expect(b.services()).toEqual(['api', 'db'])
    expect(b.list('api').map((i) => [i.id, i.data])).toEqual([
      ['i1', 'h1:80'],
      ['i2', 'h2:80'],
    ])
    await reg.unregister()
    await reg.unregister()
    await settle()
    expect(b.list('api').map((i) => i.id)).toEqual(['i2'])
    expect(changes).toEqual(['api:h1:80', 'api:h1:80,h2:80', 'db:h3:5432', 'api:h2:80'])
    await a.close()
    await settle()
    expect(b.list()).toEqual([])
    await b.close()
  })

  it('entries go with their session, and come back on a fresh one from a factory', async () => {
    const clients: CoordinatorClient[] = []
    const a = new ServiceRegistry(() => {
      const c = w.connect()
      clients.push(c)
      return c
    }, '/services')
    const watcher = new ServiceRegistry(w.connect(), '/services')
    await a.start()
    await watcher.start()
    await a.register('api', 'h1:80', 'i1')
    const registering = clients[0]!
    expect(await registering.getEphemerals()).toEqual(['/services/api/i1'])
    await w.coordinator.expireSession(registering.sessionId)
    await settle()
    expect(clients).toHaveLength(3)
    expect(await clients[2]!.getEphemerals()).toEqual(['/services/api/i1'])
    expect(watcher.list('api').map((i) => i.id)).toEqual(['i1'])
    await a.close()
    await settle()
    expect(watcher.list('api')).toEqual([])
    await watcher.close()
  })
})

/** NodeCache and TreeCache: the local copy follows the tree, with typed events. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoordinatorClient } from '../../../src/coordination/index.js'
import { NodeCache, TreeCache } from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, settle, type World } from './harness.js'

type Recorded = string[]

function record(cache: NodeCache | TreeCache): Recorded {
  const out: Recorded = []
  cache.on('initialized', (e) => out.push(`initialized ${e.size}`))
  cache.on('created', (e) => out.push(`created ${e.node.path}=${e.node.data}`))
  cache.on('changed', (e) => out.push(`changed ${e.node.path}=${e.node.data}`))
  cache.on('deleted', (e) => out.push(`deleted ${e.previous.path}`))
  cache.on('lost', (e) => out.push(`lost ${e.reason}`))
  return out
}

describe('NodeCache', () => {
  let w: World
  let zk: CoordinatorClient
  beforeEach(async () => {
    w = await createWorld()
    zk = w.connect()
  })
  afterEach(async () => {
    await w.close()
  })

  it('follows creates, changes and deletes of its node', async () => {
    await zk.create('/config', null)
    const cache = new NodeCache(() => w.connect(), '/config/app')
    const events = record(cache)
    await cache.start()
    expect(cache.current).toBeUndefined()
    await zk.create('/config/app', 'v1')
    await settle()
    expect(String(cache.current?.data)).toBe('v1')
    await zk.setData('/config/app', 'v2')
    await settle()
    await zk.delete('/config/app')
    await settle()
    await zk.create('/config/app', 'v3')
    await settle()
    expect(events).toEqual([
      'initialized 0',
      'created /config/app=v1',
      'changed /config/app=v2',
      'deleted /config/app',
      'created /config/app=v3',
    ])
    await cache.close()
    await cache.close()
    expect(cache.state).toBe('closed')
    expect(String(cache.current?.data)).toBe('v3')
  })

  it('leaves one watch, and none after close', async () => {
    await zk.create('/settings', 'x')
    const before = w.coordinator.stats().watchCount
    const cache = new NodeCache(zk, '/settings')
    await cache.start()
    for (let i = 0; i < 3; i++) await zk.setData('/settings', `v${i}`)
    await settle()
    expect(w.coordinator.stats().watchCount).toBe(before + 1)
    await cache.close()
    expect(w.coordinator.stats().watchCount).toBe(before)
  })

  it('renews its session from a factory and reports what changed meanwhile', async () => {
    await zk.create('/s', 'a')
    const clients: CoordinatorClient[] = []
    const cache = new NodeCache(() => {
      const c = w.connect()
      clients.push(c)
      return c
    }, '/s')
    const events = record(cache)
    await cache.start()
    await w.coordinator.expireSession(clients[0]!.sessionId)
    await zk.setData('/s', 'b')
    await settle()
    expect(clients).toHaveLength(2)
    expect(events).toEqual(['initialized 1', 'changed /s=b'])
    await cache.close()
  })

  it('with a plain client, expiry freezes the copy (lost)', async () => {
    await zk.create('/s', 'a')
    const client = w.connect()
    const cache = new NodeCache(client, '/s')
    const events = record(cache)
    await cache.start()
    await w.coordinator.expireSession(client.sessionId)
    await settle()
    expect(cache.state).toBe('lost')
    expect(events).toEqual(['initialized 1', 'lost expired'])
    expect(String(cache.current?.data)).toBe('a')
    expect(await codeOf(new NodeCache(client, '/s').start())).toBe('SESSION_EXPIRED')
  })
})

describe('TreeCache', () => {
  let w: World
  let zk: CoordinatorClient
  beforeEach(async () => {
    w = await createWorld()
    zk = w.connect()
  })
  afterEach(async () => {
    await w.close()
  })

  it('loads a subtree, then follows it', async () => {
    await zk.create('/cfg', 'root')
    await zk.create('/cfg/a', '1')
    await zk.create('/cfg/a/x', '2')
    const cache = new TreeCache(w.connect(), '/cfg')
    const events = record(cache)
    await cache.start()
    expect(cache.children('/cfg')).toEqual(['a'])
    expect(String(cache.get('/cfg/a/x')?.data)).toBe('2')
    await zk.create('/cfg/b', '3')
    await zk.setData('/cfg/a', '1b')
    await zk.delete('/cfg/a/x')
    await settle()
    expect(cache.children('/cfg')).toEqual(['a', 'b'])
    expect(events).toEqual([
      'initialized 3',
      'created /cfg/b=3',
      'changed /cfg/a=1b',
      'deleted /cfg/a/x',
    ])
    await cache.close()
    const before = w.coordinator.stats().watchCount
    await zk.create('/cfg/c', null)
    await settle()
    expect(events).toHaveLength(4)
    expect(w.coordinator.stats().watchCount).toBe(before)
  })

  it('a root that appears later is picked up', async () => {
    const cache = new TreeCache(w.connect(), '/later')
    const events = record(cache)
    await cache.start()
    await zk.create('/later', 'x')
    await zk.create('/later/y', 'z')
    await settle()
    expect(events).toEqual(['initialized 0', 'created /later=x', 'created /later/y=z'])
    await cache.close()
  })

  it('after a renewal, reports the differences', async () => {
    await zk.create('/t', null)
    await zk.create('/t/keep', 'k')
    await zk.create('/t/gone', 'g')
    const clients: CoordinatorClient[] = []
    const cache = new TreeCache(() => {
      const c = w.connect()
      clients.push(c)
      return c
    }, '/t')
    const events = record(cache)
    await cache.start()
    clients[0]!.on('expired', () => {})
    await w.coordinator.expireSession(clients[0]!.sessionId)
    await zk.delete('/t/gone')
    await zk.create('/t/new', 'n')
    await settle()
    expect(events.slice(1).sort()).toEqual(['created /t/new=n', 'deleted /t/gone'])
    await cache.close()
  })
})

/**
 * Master-worker: one master among candidates, the master's view of the workers, takeover
 * with the same view after expiry, a lost create reply, and never two masters at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fromCode } from '../../../src/common/errors.js'
import { createRandom } from '../../../src/common/random.js'
import type { CoordinatorClient, InProcessClient } from '../../../src/coordination/index.js'
import { MasterWorker, type WorkersChanged } from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, settle, type World } from './harness.js'

describe('MasterWorker', () => {
  let w: World
  const nodes: MasterWorker[] = []
  let electedCount = 0
  const make = (id: string, client: CoordinatorClient | (() => CoordinatorClient)) => {
    const node = new MasterWorker(client, { id, address: `${id}:7000`, clock: w.clock })
    node.on('elected', () => electedCount++)
    nodes.push(node)
    return node
  }
  const candidates = async (...ids: string[]) => {
    const out: MasterWorker[] = []
    for (const id of ids) {
      const node = make(id, () => w.connect(6_000))
      await node.runForMaster()
      out.push(node)
    }
    await settle()
    return out
  }
  const workers = async (...ids: string[]) => {
    const out: { node: MasterWorker; client: CoordinatorClient }[] = []
    for (const id of ids) {
      const client = w.connect(6_000)
      const node = make(id, client)
      await node.registerWorker()
      out.push({ node, client })
    }
    await settle()
    return out
  }
  const masters = () => nodes.filter((n) => n.isMaster).map((n) => n.id)
  const ids = (node: MasterWorker) => node.workers().map((x) => x.id)

  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.close()
    await w.close()
  })

  it('elects one master among three candidates; master() names it', async () => {
    const [a, b, c] = await candidates('a', 'b', 'c')
    expect(masters()).toEqual(['a'])
    expect(await c!.master()).toMatchObject({ id: 'a', address: 'a:7000' })
    expect(b!.workers()).toEqual([])
    expect(await codeOf(a!.runForMaster())).toBe('INVALID_ARGUMENT')
  })

  it("the master's view follows workers joining and leaving", async () => {
    const [a] = await candidates('a', 'b')
    const reports: WorkersChanged[] = []
    a!.on('workers-changed', (event) => reports.push(event))
    const joined = await workers('w1', 'w2', 'w3')
    expect(ids(a!)).toEqual(['w1', 'w2', 'w3'])
    expect(a!.workers()[0]).toMatchObject({ address: 'w1:7000', path: '/workers/w1' })
    await joined[1]!.node.close()
    await settle()
    expect(ids(a!)).toEqual(['w1', 'w3'])
    await w.coordinator.expireSession(joined[2]!.client.sessionId)
    await settle()
    expect(ids(a!)).toEqual(['w1'])
    expect(reports.at(-2)?.removed).toEqual(['w2'])
    expect(reports.at(-1)).toMatchObject({ added: [], removed: ['w3'] })
  })

  it('after the master expires, another takes over within the session timeout, same view', async () => {
    const [a, b, c] = await candidates('a', 'b', 'c')
    await workers('w1', 'w2', 'w3', 'w4')
    const before = a!.workers()
    expect(before.map((x) => x.id)).toEqual(['w1', 'w2', 'w3', 'w4'])
    const events: string[] = []
    a!.on('revoked', ({ reason }) => events.push(`a revoked ${reason}`))
    for (const n of [b!, c!]) n.on('elected', () => events.push(`${n.id} elected`))
    const hung = (await a!.master())!.sessionId
    await w.coordinator.expireSession(hung)
    await settle()
    expect(events[0]).toBe('a revoked expired')
    expect(masters()).toHaveLength(1)
    const next = nodes.find((n) => n.isMaster)!
    expect(next.id).not.toBe('a')
    expect(next.workers()).toEqual(before)
    // a rejoined on a fresh session (it had a factory) and now follows.
    expect(a!.state).toBe('open')
    expect((await a!.master())?.id).toBe(next.id)
  })

  it('a hung master loses /master within its session timeout', async () => {
    const clients: InProcessClient[] = []
    for (const id of ['a', 'b']) {
      const client = w.connect(6_000) as InProcessClient
      clients.push(client)
      await make(id, client).runForMaster()
    }
    await workers('w1')
    const lost: string[] = []
    nodes[0]!.on('lost', ({ reason }) => lost.push(reason))
    expect(masters()).toEqual(['a'])
    clients[0]!.pauseHeartbeats()
    await w.clock.advance(6_000)
    await settle()
    expect(masters()).toEqual(['b'])
    expect(ids(nodes[1]!)).toEqual(['w1'])
    expect(nodes[0]!.state).toBe('lost')
    expect(lost).toEqual(['expired'])
    expect(await codeOf(nodes[0]!.master())).toBe('SESSION_EXPIRED')
  })

  it('recognises itself as master after a lost create reply (checkMaster)', async () => {
    const client = w.connect()
    const lossy = losingCreateReplies(client, 1)
    const a = make('a', lossy.client)
    await a.runForMaster()
    expect(lossy.lost).toEqual(['/master'])
    expect(a.isMaster).toBe(true)
    const b = make('b', w.connect())
    await b.runForMaster()
    expect(masters()).toEqual(['a'])
  })

  it('close() releases /master to the next candidate and removes the worker node', async () => {
    const [a, b] = await candidates('a', 'b')
    const [worker] = await workers('w1')
    const reasons: string[] = []
    a!.on('revoked', ({ reason }) => reasons.push(reason))
    await a!.close()
    await a!.close()
    expect(reasons).toEqual(['resigned'])
    expect(await codeOf(a!.runForMaster())).toBe('CLOSED')
    await b!.waitUntilMaster({ timeoutMs: 1_000 })
    expect(masters()).toEqual(['b'])
    expect(ids(b!)).toEqual(['w1'])
    await worker!.node.close()
    await settle()
    expect(ids(b!)).toEqual([])
    await b!.close()
    expect(await worker!.client.exists('/master')).toBeNull()
  })

  it('waitUntilMaster is bounded by its timeout on the clock', async () => {
    const [, b] = await candidates('a', 'b')
    const waiting = b!.waitUntilMaster({ timeoutMs: 500 })
    const code = codeOf(waiting)
    await w.clock.advance(500)
    expect(await code).toBe('TIMEOUT')
    const controller = new AbortController()
    const aborted = codeOf(b!.waitUntilMaster({ signal: controller.signal }))
    controller.abort()
    expect(await aborted).toBe('ABORTED')
    const closed = codeOf(b!.waitUntilMaster())
    await b!.close()
    expect(await closed).toBe('CLOSED')
  })

  it('a worker with a client factory registers again after its session expires', async () => {
    const [a] = await candidates('a')
    const worker = make('w1', () => w.connect(6_000))
    await worker.registerWorker()
    await settle()
    const reports: string[][] = []
    a!.on('workers-changed', ({ workers }) => reports.push(workers.map((x) => x.id)))
    const { stat } = await w.connect().getData('/workers/w1')
    await w.coordinator.expireSession(stat.ephemeralOwner)
    await settle()
    expect(worker.state).toBe('open')
    expect(reports).toEqual([[], ['w1']])
    expect(ids(a!)).toEqual(['w1'])
  })

  it('never has two masters across a seeded schedule of expiries, hangs and closes', async () => {
    for (const seed of [1, 2, 3]) {
      const random = createRandom(seed)
      electedCount = 0
      const sessions: InProcessClient[] = []
      const connect = () => {
        const client = w.connect(6_000) as InProcessClient
        sessions.push(client)
        return client
      }
      for (const id of ['c0', 'c1', 'c2', 'c3']) await make(id, connect).runForMaster()
      await workers('w0', 'w1')
      const step = (name: string) => {
        const now = masters()
        if (now.length > 1) throw new Error(`seed ${seed}, after ${name}: masters ${now}`)
      }
      for (let i = 0; i < 25; i++) {
        const open = nodes.filter((n) => n.state === 'open' && n.id.startsWith('c'))
        const pick = random.pick(open)
        const roll = random.int(4)
        const master = await pick.master()
        if (roll === 0 && master !== undefined) {
          await w.coordinator.expireSession(master.sessionId)
        } else if (roll === 1) {
          await pick.close()
          await make(`c${4 + i}`, connect).runForMaster()
        } else if (roll === 2 && master !== undefined) {
          sessions.find((c) => c.sessionId === master.sessionId)?.pauseHeartbeats()
        } else await w.clock.advance(random.int(4_000))
        await settle()
        step(`step ${i} (roll ${roll})`)
      }
      await w.clock.advance(6_000)
      await settle()
      expect(masters(), `seed ${seed}`).toHaveLength(1)
      expect(electedCount, `seed ${seed}: takeovers happened`).toBeGreaterThan(3)
      expect(ids(nodes.find((n) => n.isMaster)!), `seed ${seed}`).toEqual(['w0', 'w1'])
      for (const node of nodes.splice(0)) await node.close()
    }
  })
})

/** Wrap a client so that its next `count` creates happen and then fail with CONNECTION_LOSS. */
function losingCreateReplies(inner: CoordinatorClient, count: number) {
  const lost: string[] = []
  const client = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'create') {
        return async (...args: Parameters<CoordinatorClient['create']>) => {
          const result = await target.create(...args)
          if (lost.length < count) {
            lost.push(result.path)
            throw fromCode('CONNECTION_LOSS', 'reply lost (test)')
          }
          return result
        }
      }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { client, lost }
}

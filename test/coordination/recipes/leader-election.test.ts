/** Leader election: who leads, handover on resign, expiry and deletion, waiting. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoordinatorClient } from '../../../src/coordination/index.js'
import { type ElectionOptions, LeaderElection } from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, isSettled, settle, type World } from './harness.js'
import { SpyClient } from './spy-client.js'

describe('LeaderElection', () => {
  let w: World
  const elections: LeaderElection[] = []
  const make = (
    id: string,
    client: CoordinatorClient | (() => CoordinatorClient) = () => w.connect(),
    extra: Partial<ElectionOptions> = {},
  ) => {
    const e = new LeaderElection(client, '/election/master', { id, clock: w.clock, ...extra })
    elections.push(e)
    return e
  }
  const started = async (...ids: string[]) => {
    const out: LeaderElection[] = []
    for (const id of ids) {
      const e = make(id)
      await e.start()
      out.push(e)
    }
    await settle()
    return out
  }

  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    for (const e of elections.splice(0)) await e.close()
    await w.close()
  })

  it('goes latent → started → closed, and a lone participant leads', async () => {
    const e = make('a', w.connect(), { data: 'host:1' })
    const events: string[] = []
    e.on('elected', () => events.push('elected')).on('revoked', (r) => events.push(r.reason))
    expect(e.state).toBe('latent')
    expect(e.isLeader).toBe(false)
    await e.start()
    expect(e.state).toBe('started')
    expect(e.isLeader).toBe(true)
    expect(await e.getLeader()).toMatchObject({ id: 'a', data: 'host:1', isLeader: true })
    expect(await codeOf(e.start())).toBe('INVALID_ARGUMENT')
    await e.close()
    await e.close()
    expect(e.state).toBe('closed')
    expect(e.isLeader).toBe(false)
    expect(events).toEqual(['elected', 'resigned'])
    expect(w.coordinator.stats().ephemeralsCount).toBe(0)
  })

  it('the first to join leads; resigning hands over in order', async () => {
    const [a, b, c] = await started('a', 'b', 'c')
    expect([a!.isLeader, b!.isLeader, c!.isLeader]).toEqual([true, false, false])
    expect((await c!.getParticipants()).map((p) => p.id)).toEqual(['a', 'b', 'c'])
    const elected = new Promise<void>((resolve) => b!.once('elected', () => resolve()))
    await a!.close()
    await elected
    expect([b!.isLeader, c!.isLeader]).toEqual([true, false])
  })

  it('each follower watches only its predecessor', async () => {
    await started('a')
    const spies = [new SpyClient(w.connect()), new SpyClient(w.connect())]
    for (const [i, spy] of spies.entries()) await make(`f${i}`, spy).start()
    await settle()
    const line = await elections[0]!.getParticipants()
    expect(spies[0]!.watches.map((x) => x.path)).toEqual([line[0]!.path])
    expect(spies[1]!.watches.map((x) => x.path)).toEqual([line[1]!.path])
  })

  it('revokes at once on expiry, elects the next, and rejoins with a fresh session', async () => {
    const [a, b] = await started('a', 'b')
    const revoked: string[] = []
    a!.on('revoked', (e) => revoked.push(e.reason))
    const oldPath = a!.nodePath
    expect((await a!.getLeader())!.path).toBe(oldPath)
    const inspector = w.connect()
    const sessions = w.coordinator.stats().sessionCount
    const ownerOf = async (path: string) => (await inspector.getData(path)).stat.ephemeralOwner
    await w.coordinator.expireSession(await ownerOf(oldPath!))
    expect(a!.isLeader).toBe(false)
    await settle()
    expect(revoked).toEqual(['expired'])
    expect(b!.isLeader).toBe(true)
    expect(a!.state).toBe('started')
    expect(a!.nodePath).not.toBe(oldPath)
    expect((await b!.getParticipants()).map((p) => p.id)).toEqual(['b', 'a'])
    expect(w.coordinator.stats().sessionCount).toBe(sessions)
  })

  it('with a plain client, expiry loses the election', async () => {
    const client = w.connect()
    const a = make('a', client)
    await a.start()
    const lost: string[] = []
    a.on('lost', (e) => lost.push(e.reason))
    await w.coordinator.expireSession(client.sessionId)
    await settle()
    expect(a.state).toBe('lost')
    expect(lost).toEqual(['expired'])
    expect(await codeOf(a.waitForLeadership())).toBe('SESSION_EXPIRED')
    await a.close()
    expect(a.state).toBe('closed')
  })

  it('a leader whose node is deleted steps down and joins again', async () => {
    const [a, b] = await started('a', 'b')
    const revoked: string[] = []
    a!.on('revoked', (e) => revoked.push(e.reason))
    await w.connect().delete(a!.nodePath!)
    await settle()
    expect(revoked).toEqual(['deleted'])
    expect(b!.isLeader).toBe(true)
    expect((await b!.getParticipants()).map((p) => p.id)).toEqual(['b', 'a'])
  })

  it('waitForLeadership resolves, times out, aborts and stops on close', async () => {
    const [a, b] = await started('a', 'b')
    await a!.waitForLeadership({ timeoutMs: 0 })
    const timed = codeOf(b!.waitForLeadership({ timeoutMs: 500 }))
    await w.clock.advance(500)
    expect(await timed).toBe('TIMEOUT')
    const controller = new AbortController()
    const aborted = b!.waitForLeadership({ signal: controller.signal })
    controller.abort()
    expect(await codeOf(aborted)).toBe('ABORTED')
    const waiting = b!.waitForLeadership()
    expect(await isSettled(waiting)).toBe(false)
    await a!.close()
    await waiting
    expect(b!.isLeader).toBe(true)
    const c = make('c')
    await c.start()
    const closing = c.waitForLeadership()
    await c.close()
    expect(await codeOf(closing)).toBe('CLOSED')
    expect(await codeOf(make('d').waitForLeadership())).toBe('CLOSED')
  })

  it('start with an expired plain client fails and the election is lost', async () => {
    const client = w.connect()
    await w.coordinator.expireSession(client.sessionId)
    const a = make('a', client)
    expect(await codeOf(a.start())).toBe('SESSION_EXPIRED')
    expect(a.state).toBe('lost')
  })
})

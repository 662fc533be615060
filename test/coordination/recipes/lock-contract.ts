/**
 * The lock contract (as Curator's TestInterProcessMutexBase): one suite every exclusive lock
 * type runs, the mutex, the write half of the read-write lock and a one-lease semaphore.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoordinatorClient } from '../../../src/coordination/index.js'
import type {
  Acquirable,
  LockHandle,
  LockOptions,
} from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, isSettled, settle, type World } from './harness.js'
import { SpyClient } from './spy-client.js'

/** Makes the lock under test. */
export type LockFactory = (
  client: CoordinatorClient,
  path: string,
  options: LockOptions,
) => Acquirable

/** What differs between lock types. */
export interface LockTraits {
  /**
   * Watches one release fires: 1 for the locks; 2 for the semaphore, whose queue head is woken
   * by the freed lease and then hands the queue on to its successor.
   */
  readonly wakesPerRelease?: number
}

/** Run the contract for one lock type. */
export function lockContract(name: string, factory: LockFactory, traits: LockTraits = {}): void {
  describe(`lock contract: ${name}`, () => {
    let w: World
    const make = (client: CoordinatorClient, path = '/locks/l') =>
      factory(client, path, { clock: w.clock })
    const baseline = () => w.coordinator.stats()

    beforeEach(async () => {
      w = await createWorld()
    })
    afterEach(async () => {
      await w.close()
    })

    it('grants one holder at a time among many contenders', async () => {
      let inside = 0
      let most = 0
      const run = async (lock: Acquirable) => {
        for (let i = 0; i < 3; i++) {
          const held = await lock.acquire({ timeoutMs: 60_000 })
          inside++
          most = Math.max(most, inside)
          await settle(2)
          inside--
          await held.release()
        }
      }
      await Promise.all(Array.from({ length: 8 }, () => run(make(w.connect()))))
      expect(most).toBe(1)
      expect(w.coordinator.stats().ephemeralsCount).toBe(0)
    })

    it('grants in the order of arrival (fair)', async () => {
      const holder = await make(w.connect()).acquire()
      const order: number[] = []
      const waits: Promise<LockHandle>[] = []
      for (let i = 0; i < 5; i++) {
        const p = make(w.connect()).acquire()
        waits.push(p)
        void p.then(async (h) => {
          order.push(i)
          await settle(1)
          await h.release()
        })
        await settle()
      }
      await holder.release()
      await Promise.all(waits)
      await settle()
      expect(order).toEqual([0, 1, 2, 3, 4])
    })

    it('times out on the clock, leaving no node and no watch', async () => {
      const holder = await make(w.connect()).acquire()
      const before = baseline()
      const waiting = make(w.connect()).acquire({ timeoutMs: 1000 })
      expect(await isSettled(waiting)).toBe(false)
      await w.clock.advance(999)
      expect(await isSettled(waiting)).toBe(false)
      await w.clock.advance(1)
      expect(await codeOf(waiting)).toBe('TIMEOUT')
      await settle()
      expect(baseline().ephemeralsCount).toBe(before.ephemeralsCount)
      expect(baseline().watchCount).toBe(before.watchCount)
      await holder.release()
    })

    it('timeoutMs 0 tries once', async () => {
      const a = make(w.connect())
      const held = await a.acquire({ timeoutMs: 0 })
      expect(await codeOf(make(w.connect()).acquire({ timeoutMs: 0 }))).toBe('TIMEOUT')
      await held.release()
      const again = await make(w.connect()).acquire({ timeoutMs: 0 })
      expect(again.held).toBe(true)
    })

    it('aborts through a signal, cleaning up', async () => {
      const holder = await make(w.connect()).acquire()
      const before = baseline()
      const controller = new AbortController()
      const waiting = make(w.connect()).acquire({ signal: controller.signal })
      await settle()
      controller.abort(new Error('stop'))
      const error = (await waiting.then(
        () => undefined,
        (e: unknown) => e,
      )) as { code: string; cause: unknown }
      expect(error.code).toBe('ABORTED')
      expect((error.cause as Error).message).toBe('stop')
      await settle()
      expect(baseline().ephemeralsCount).toBe(before.ephemeralsCount)
      expect(baseline().watchCount).toBe(before.watchCount)
      expect(await codeOf(make(w.connect()).acquire({ signal: controller.signal }))).toBe('ABORTED')
      await holder.release()
    })

    it('release is idempotent and hands the lock on', async () => {
      const held = await make(w.connect()).acquire()
      const next = make(w.connect()).acquire()
      await Promise.all([held.release(), held.release()])
      await held.release()
      expect(held.held).toBe(false)
      expect((await next).held).toBe(true)
    })

    it('revokes the lock at once when the session expires', async () => {
      const client = w.connect()
      const held = await make(client).acquire()
      const lost: string[] = []
      held.on('lost', (e) => lost.push(e.reason))
      const next = make(w.connect()).acquire()
      await settle()
      await w.coordinator.expireSession(client.sessionId)
      expect(held.held).toBe(false)
      const successor = await next
      expect(lost).toEqual(['expired'])
      expect(held.signal.aborted).toBe(true)
      expect(successor.fencingToken).toBeGreaterThan(held.fencingToken)
      await held.release()
    })

    it('aborts the handle signal on release, whether it was read before or after', async () => {
      const early = await make(w.connect()).acquire()
      const signal = early.signal
      expect(signal.aborted).toBe(false)
      await early.release()
      expect(signal.aborted).toBe(true)
      expect(signal.reason).toMatchObject({ code: 'CLOSED' })
      const late = await make(w.connect()).acquire()
      await late.release()
      expect(late.signal.aborted).toBe(true)
      expect(late.signal.reason).toMatchObject({ code: 'CLOSED' })
    })

    it('revokes the lock when its node is deleted by someone else', async () => {
      const held = await make(w.connect()).acquire()
      const lost: string[] = []
      held.on('lost', (e) => lost.push(e.reason))
      await w.connect().delete(held.path)
      await settle()
      expect(lost).toEqual(['deleted'])
      expect(held.held).toBe(false)
    })

    it('fencing tokens strictly increase with each grant', async () => {
      const tokens: number[] = []
      const locks = [make(w.connect()), make(w.connect()), make(w.connect())]
      for (let i = 0; i < 9; i++) {
        const held = await locks[i % 3]!.acquire()
        tokens.push(held.fencingToken)
        await held.release()
      }
      expect(tokens).toEqual([...tokens].sort((a, b) => a - b))
      expect(new Set(tokens).size).toBe(tokens.length)
    })

    it('adopts the node of a create whose reply was lost (no orphan)', async () => {
      const spy = new SpyClient(w.connect())
      spy.loseCreateReplies = 1
      const held = await make(spy).acquire({ timeoutMs: 1000 })
      expect(spy.lostCreates).toHaveLength(1)
      const mine = await spy.getEphemerals()
      expect(mine).toContain(held.path)
      expect(mine).toHaveLength(1)
      await held.release()
      expect(await spy.getEphemerals()).toEqual([])
    })

    it('each waiter watches one node, and a release wakes only the next in line', async () => {
      const holder = await make(w.connect()).acquire()
      const spies = Array.from({ length: 5 }, () => new SpyClient(w.connect()))
      const waits = spies.map((s) => make(s).acquire())
      await settle()
      for (const spy of spies) expect(spy.watches).toHaveLength(1)
      const watched = new Set(spies.map((s) => s.watches[0]!.path))
      expect(watched.size).toBe(spies.length)
      await holder.release()
      await settle()
      expect(spies.reduce((n, s) => n + s.fired.length, 0)).toBe(traits.wakesPerRelease ?? 1)
      for (const spy of spies) expect(spy.fired.length).toBeLessThanOrEqual(1)
      const first = await Promise.race(waits)
      await first.release()
      for (const p of waits) await (await p).release()
    })

    it('close stops waiting acquires and releases held handles', async () => {
      const lock = make(w.connect())
      const held = await lock.acquire()
      const other = make(w.connect())
      const waiting = other.acquire()
      await settle()
      await other.close()
      expect(await codeOf(waiting)).toBe('CLOSED')
      await lock.close()
      await lock.close()
      expect(held.held).toBe(false)
      expect(await codeOf(lock.acquire())).toBe('CLOSED')
      expect(w.coordinator.stats().ephemeralsCount).toBe(0)
    })

    it('fails with the session error after the client is gone', async () => {
      const client = w.connect()
      await client.close()
      expect(await codeOf(make(client).acquire())).toBe('CLOSED')
      const expired = w.connect()
      await w.coordinator.expireSession(expired.sessionId)
      expect(await codeOf(make(expired).acquire())).toBe('SESSION_EXPIRED')
    })
  })
}

/**
 * Property: any sequence of operations (several clients, concurrent calls, sessions opening,
 * closing and expiring), logged to disk with frequent snapshots, reopens into exactly the live
 * tree; zxids continue.
 */
import fc from 'fast-check'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { type CoordinatorClient, createCoordinator, type Op } from '../../src/coordination/index.js'
import { picture } from './tree-helpers.js'

const pathArb = fc
  .array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 })
  .map((names) => '/' + names.join('/'))
const modeArb = fc.constantFrom(
  'persistent',
  'ephemeral',
  'persistent-sequential',
  'ephemeral-sequential',
  'container',
) as fc.Arbitrary<'persistent'>
const dataArb = fc.option(fc.uint8Array({ maxLength: 8 }), { nil: null })
const versionArb = fc.constantFrom(-1, 0, 1, -2)

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), path: pathArb, data: dataArb, mode: modeArb }),
  fc.record({ op: fc.constant('delete' as const), path: pathArb, version: versionArb }),
  fc.record({
    op: fc.constant('setData' as const),
    path: pathArb,
    data: dataArb,
    version: versionArb,
  }),
  fc.record({ op: fc.constant('check' as const), path: pathArb, version: versionArb }),
)

type Command =
  | { k: 'op'; client: number; op: Op }
  | { k: 'multi'; client: number; ops: Op[] }
  | { k: 'close' | 'expire' | 'connect'; client: number }
  | { k: 'ttl'; client: number; path: string }

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ k: fc.constant('op' as const), client: fc.nat(2), op: opArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('multi' as const),
      client: fc.nat(2),
      ops: fc.array(opArb, { maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constantFrom('close' as const, 'expire' as const, 'connect' as const),
      client: fc.nat(2),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('ttl' as const), client: fc.nat(2), path: pathArb }),
  },
)

function run(zk: CoordinatorClient, op: Op): Promise<unknown> {
  switch (op.op) {
    case 'create':
      return zk.create(op.path, op.data, { mode: op.mode })
    case 'delete':
      return zk.delete(op.path, { version: op.version })
    case 'setData':
      return zk.setData(op.path, op.data, { version: op.version })
    default:
      return zk.multi([op])
  }
}

describe('reopen property', () => {
  it('rebuilds the live tree from snapshots and the txn log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArb, { maxLength: 40 }),
        fc.integer({ min: 2, max: 9 }),
        async (commands, every) => {
          const db = new MemoryLevel()
          const clock = new VirtualClock()
          const live = await createCoordinator({ clock, db, snapshotEveryTxns: every })
          const clients = [live.connect(), live.connect(), live.connect()]
          const calls: Promise<unknown>[] = []
          const call = (p: Promise<unknown>) => calls.push(p.catch(() => undefined))
          for (const c of commands) {
            const zk = clients[c.client] as CoordinatorClient
            if (c.k === 'op') call(run(zk, c.op))
            else if (c.k === 'multi') call(zk.multi(c.ops))
            else if (c.k === 'ttl') call(zk.create(c.path, 't', { ttlMs: 1000 }))
            else if (c.k === 'close') call(zk.close())
            else if (c.k === 'expire') call(live.expireSession(zk.sessionId))
            else clients[c.client] = live.connect()
            if (c.client === 0) await clock.advance(2500)
          }
          await Promise.allSettled(calls)
          const before = picture(live.tree)
          await live.close()
          const reopened = await createCoordinator({ clock, db, snapshotEveryTxns: every })
          expect(picture(reopened.tree)).toEqual(before)
          const zk = reopened.connect()
          await zk.sync('/')
          expect(reopened.stats().lastZxid).toBe(before.zxid + 1)
          await reopened.close()
        },
      ),
      { numRuns: 40 },
    )
  })
})

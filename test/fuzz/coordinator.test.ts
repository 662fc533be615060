/**
 * Bad input to the coordinator's client (the approach of test/coordination/bad-input.test.ts,
 * driven by fast-check): hostile paths (prototype keys as znode names, `..`, NUL, lone
 * surrogates, 70,000 characters), data (wrong types, just over 1 MiB), versions, modes, TTLs,
 * watchers, multi ops and connect options. A refused call leaves the tree, the watches and the
 * ephemerals as they were.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import type { CoordinatorClient, InProcessCoordinator } from '../../src/coordination/index.js'
import { createCoordinator } from '../../src/coordination/index.js'
import { nodesOf } from '../coordination/tree-helpers.js'
import { attempt, fuzzIt, type Outcome, report } from './harness.js'
import { argument, bigBuffer, hostileString, mostly, PROTO_KEYS } from './hostile.js'
import { changes, settle, show } from './state.js'

const clock = new VirtualClock()
let coordinator: InProcessCoordinator
let zk: CoordinatorClient

beforeAll(async () => {
  coordinator = await createCoordinator({ clock })
  zk = coordinator.connect()
  await zk.create('/fz', 'fz')
  await zk.create('/fz/a', 'a')
  await zk.create('/fz/e', '', { mode: 'ephemeral' })
})

afterAll(async () => {
  report('coordinator')
  await coordinator.close()
})

/** The tree (sessions and zxid aside) and the watch and ephemeral counts, a line each. */
function digest(): string[] {
  const { nodes, sessions: _s, ...rest } = nodesOf(coordinator)
  const { watchCount, ephemeralsCount } = coordinator.stats()
  return [
    ...nodes.map((n) => JSON.stringify(n)),
    JSON.stringify({ rest, watchCount, ephemeralsCount }),
  ]
}

async function check(entry: string, call: () => unknown, args: unknown): Promise<Outcome> {
  await settle(2)
  const before = digest()
  const outcome = await attempt(entry, call, { clock })
  if (outcome.kind !== 'ok') {
    expect(
      changes(before, digest()),
      `${entry} failed but changed the tree; ${show(args)}`,
    ).toEqual([])
  }
  return outcome
}

const name = fc.oneof(
  fc.constantFrom('a', 'b', 'e', ...PROTO_KEYS),
  fc.stringMatching(/^[a-z]{1,3}$/),
)
const path = fc.oneof(
  { weight: 4, arbitrary: name.map((n) => `/fz/${n}`) },
  { weight: 1, arbitrary: name.map((n) => `/fz/a/${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('/', '/fz', '/zookeeper/config', '/__proto__') },
  { weight: 2, arbitrary: hostileString },
)
const data = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constant(null),
  bigBuffer,
  fc.uint8Array({ maxLength: 4 }),
)
const version = mostly(fc.integer({ min: -2, max: 2 }))
const mode = mostly(
  fc.constantFrom(
    'persistent',
    'ephemeral',
    'persistent-sequential',
    'ephemeral-sequential',
    'container',
  ),
)
const watcher = mostly(fc.constant(() => undefined))
const op = argument({
  op: mostly(fc.constantFrom('create', 'delete', 'setData', 'check')),
  path,
  data: mostly(data),
  mode,
  version,
})

describe('coordinator client, bad input', () => {
  fuzzIt('writes', 50, () =>
    fc.asyncProperty(
      path,
      mostly(data),
      argument({ mode, ttlMs: mostly(fc.integer({ min: -1, max: 2 ** 41 })) }),
      argument({ version }),
      async (p, d, createOptions, versionOptions) => {
        const args = { p, d, createOptions, versionOptions }
        await check(
          'zk.create',
          () => zk.create(p as string, d as string, createOptions as never),
          args,
        )
        await check(
          'zk.setData',
          () => zk.setData(p as string, d as string, versionOptions as never),
          args,
        )
        await check('zk.delete', () => zk.delete(p as string, versionOptions as never), args)
      },
    ),
  )

  fuzzIt(
    'reads and watches',
    60,
    () =>
      fc.asyncProperty(
        mostly(path),
        argument({ watch: watcher }),
        argument({ mode: mostly(fc.constantFrom('persistent', 'persistent-recursive')) }),
        mostly(fc.constantFrom('children', 'data', 'persistent', 'persistent-recursive', 'any')),
        async (p, watchOptions, watchMode, type) => {
          const path = p as string
          const args = { p, watchOptions, watchMode, type }
          await check('zk.exists', () => zk.exists(path, watchOptions as never), args)
          await check('zk.getData', () => zk.getData(path, watchOptions as never), args)
          await check('zk.getChildren', () => zk.getChildren(path, watchOptions as never), args)
          await check(
            'zk.getChildrenWithStat',
            () => zk.getChildrenWithStat(path, watchOptions as never),
            args,
          )
          await check('zk.getAllChildrenNumber', () => zk.getAllChildrenNumber(path), args)
          await check('zk.getEphemerals', () => zk.getEphemerals(path), args)
          await check('zk.sync', () => zk.sync(path), args)
          await check(
            'zk.addWatch',
            () => zk.addWatch(path, watchMode as never, () => undefined),
            args,
          )
          await check('zk.removeWatches', () => zk.removeWatches(path, type as never), args)
        },
      ),
    600,
  )

  fuzzIt('multi', 40, () =>
    fc.asyncProperty(mostly(fc.array(op, { maxLength: 4 })), async (ops) => {
      await check('zk.multi', () => zk.multi(ops as never), ops)
    }),
  )

  fuzzIt(
    'connect options and calls after close',
    40,
    () =>
      fc.asyncProperty(
        argument({ sessionTimeoutMs: mostly(fc.integer({ min: 1, max: 60_000 })) }),
        path,
        async (o, p) => {
          const made = await check('coordinator.connect', () => coordinator.connect(o as never), o)
          if (made.kind !== 'ok') return
          const client = made.value as CoordinatorClient
          await check('zk.close', () => client.close(), o)
          const closed = await check('zk.create after close', () => client.create(p, 'x'), p)
          expect(closed.kind === 'error' && closed.error.code).toBe('CLOSED')
          await check('zk.getData after close', () => client.getData(p), p)
        },
      ),
    400,
  )
})

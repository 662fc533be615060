/**
 * Differential test of the nodes a ZooKeeper has from the start: `/`, `/zookeeper`,
 * `/zookeeper/quota` and `/zookeeper/config`, on a fresh real ZooKeeper 3.8 (its own server, so
 * nothing has touched the root yet) and a fresh logkeeper coordinator.
 *
 * ZooKeeper's `DataTree` adds them without creates and with zero `StatPersisted`s, and its Stat
 * shows `cversion = 2 * creates - numChildren` (`DataNode.copyStat`): so the root starts at
 * cversion -1 and `/zookeeper` at -2; `/zookeeper/config` gets a read-only ACL at startup
 * (`setACL(..., -1)`: aversion -1). Skipped without ZooKeeper locally; fails without it when
 * CI=true.
 */
import { expect, it } from 'vitest'
import { createCoordinator } from '../../src/coordination/index.js'
import type { CoordinatorClient, Stat } from '../../src/coordination/types.js'
import { describeWithZooKeeper } from '../support/zookeeper.js'
import { connectZooKeeper } from '../support/zookeeper-client.js'
import { type Backend, runSteps, type Step, type Trace } from '../support/zookeeper-steps.js'

const SPECIAL = ['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config'] as const

/** ZooKeeper 3.8's Stats of the special nodes on a fresh server, as measured. */
const FRESH: Record<(typeof SPECIAL)[number], Stat> = {
  '/': zero({ cversion: -1, numChildren: 1 }),
  '/zookeeper': zero({ cversion: -2, numChildren: 2 }),
  '/zookeeper/quota': zero({}),
  '/zookeeper/config': zero({ aversion: -1 }),
}

function zero(fields: Partial<Stat>): Stat {
  return {
    czxid: 0,
    mzxid: 0,
    pzxid: 0,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0,
    dataLength: 0,
    numChildren: 0,
    ...fields,
  }
}

/** The raw Stats, data and sorted children of the special nodes, before any write. */
async function fresh(client: CoordinatorClient) {
  const out: Record<string, unknown> = {}
  for (const path of [...SPECIAL, '']) {
    const { data, stat } = await client.getData(path)
    const children = (await client.getChildren(path)).sort()
    const all = await client.getAllChildrenNumber(path)
    out[path] = {
      exists: await client.exists(path),
      stat,
      data: data?.toString('hex'),
      children,
      all,
    }
  }
  return out
}

const PS = 'persistent-sequential' as const

/** Writes around the special nodes, in absolute paths (the steps' `~` is unused). */
const STEPS: Step[] = [
  { c: 0, op: 'getData', path: '/zookeeper/config', watch: true },
  { c: 0, op: 'create', path: '/x' },
  { c: 0, op: 'exists', path: '/' },
  { c: 0, op: 'create', path: '/zookeeper/y' },
  { c: 0, op: 'exists', path: '/zookeeper' },
  { c: 0, op: 'delete', path: '/zookeeper/y' },
  { c: 0, op: 'exists', path: '/zookeeper' },
  { c: 0, op: 'create', path: '/zookeeper/s-', mode: PS },
  { c: 0, op: 'create', path: '/s-', mode: PS },
  { c: 0, op: 'create', path: '/zookeeper/quota/q', data: 'x' },
  { c: 0, op: 'create', path: '/zookeeper/config/c' },
  { c: 0, op: 'setData', path: '/zookeeper/quota', data: 'x' },
  { c: 0, op: 'setData', path: '/', data: 'x' },
  { c: 0, op: 'setData', path: '/zookeeper', data: 'x' },
  { c: 0, op: 'setData', path: '/zookeeper/config', data: 'x' },
  { c: 0, op: 'delete', path: '/zookeeper/quota' },
  { c: 0, op: 'delete', path: '/zookeeper' },
  { c: 0, op: 'delete', path: '/zookeeper/config' },
  { c: 0, op: 'create', path: '/zookeeper/config' },
  { c: 0, op: 'create', path: '/zookeeper' },
  {
    c: 0,
    op: 'multi',
    ops: [
      { op: 'check', path: '/', version: 0 },
      { op: 'setData', path: '/zookeeper/config', data: 'x' },
    ],
  },
  { c: 0, op: 'delete', path: '/zookeeper/quota/q' },
  { c: 0, op: 'getChildrenWithStat', path: '/zookeeper/quota' },
  {
    c: 0,
    op: 'multi',
    ops: [
      { op: 'create', path: '/m' },
      { op: 'delete', path: '/m' },
    ],
  },
  { c: 1, op: 'getChildren', path: '/', watch: true },
  { c: 0, op: 'create', path: '/z', mode: 'ephemeral' },
  { c: 0, op: 'reconnect' },
  { c: 1, op: 'getChildrenWithStat', path: '/' },
  { c: 1, op: 'getChildrenWithStat', path: '/zookeeper' },
]

interface Outcome {
  fresh: Record<string, unknown>
  trace: Trace
}

/** The fresh reads, then the steps, on one backend whose clients come from `connect`. */
async function outcome(
  connect: () => Promise<CoordinatorClient>,
  dispose: () => Promise<void>,
): Promise<Outcome> {
  const reader = await connect()
  const before = await fresh(reader)
  await reader.close()
  const backend: Backend = {
    name: 'bare',
    open: async () => ({ root: '/lk', connect, dispose: async () => {} }),
  }
  try {
    return { fresh: before, trace: await runSteps(backend, STEPS) }
  } finally {
    await dispose()
  }
}

describeWithZooKeeper('differential: the special nodes of a fresh ZooKeeper', (server) => {
  let real: Promise<Outcome> | undefined
  const realOutcome = () => {
    real ??= outcome(
      () => connectZooKeeper(server().connectString),
      async () => {},
    )
    return real
  }

  it('ZooKeeper 3.8: root cversion -1, /zookeeper -2, /zookeeper/config aversion -1', async () => {
    const { fresh, trace } = await realOutcome()
    for (const path of SPECIAL) expect(fresh[path]).toMatchObject({ stat: FRESH[path] })
    // '' is the root, but getAllChildrenNumber('') counts every node (4), '/' its descendants.
    expect(fresh['']).toEqual({ ...(fresh['/'] as object), all: 4 })
    expect(fresh['/']).toMatchObject({ all: 3 })
    expect(fresh['/zookeeper']).toMatchObject({ children: ['config', 'quota'] })
    // One child create, two children: cversion 0.
    expect(trace.steps[2]).toMatchObject({ ok: { cversion: 0, numChildren: 2 } })
    expect(trace.steps[7]).toMatchObject({ ok: { path: '/zookeeper/s-0000000001' } })
    expect(trace.steps[10]).toEqual({ err: 'NO_AUTH' })
    expect(trace.steps[14]).toEqual({ err: 'NO_AUTH' })
  })

  it('logkeeper matches: the same fresh Stats, data and children, the same trace after writes', async () => {
    const expected = await realOutcome()
    const coordinator = await createCoordinator()
    const actual = await outcome(
      async () => coordinator.connect({ sessionTimeoutMs: 10_000 }),
      () => coordinator.close(),
    )
    expect(actual.fresh).toEqual(expected.fresh)
    expect(actual.trace).toEqual(expected.trace)
  })
})

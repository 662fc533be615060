/**
 * Bad input changes nothing: every refused call leaves the tree as it was (only a failed
 * server-side validation takes a zxid, as in ZooKeeper), with a typed error and code.
 */
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { CoordinationError, InvalidArgumentError } from '../../src/common/errors.js'
import type { CoordinatorClient } from '../../src/coordination/index.js'
import { createCoordinator, MultiError } from '../../src/coordination/index.js'
import { nodesOf } from './tree-helpers.js'

type Call = [string, (zk: CoordinatorClient) => Promise<unknown>, string, boolean]

/** [name, call, code, takes a zxid] */
const calls: Call[] = [
  ['create existing', (zk) => zk.create('/a', ''), 'NODE_EXISTS', true],
  ['create under missing', (zk) => zk.create('/none/x', ''), 'NO_NODE', true],
  ['create under ephemeral', (zk) => zk.create('/e/x', ''), 'NO_CHILDREN_FOR_EPHEMERALS', true],
  ['create trailing slash', (zk) => zk.create('/a/', ''), 'BAD_ARGUMENTS', true],
  ['create relative', (zk) => zk.create('a', ''), 'BAD_ARGUMENTS', true],
  ['create in config', (zk) => zk.create('/zookeeper/config/x', ''), 'NO_AUTH', true],
  [
    'create container with ttl',
    (zk) => zk.create('/t', '', { mode: 'container', ttlMs: 5 }),
    'BAD_ARGUMENTS',
    true,
  ],
  ['create huge ttl', (zk) => zk.create('/t', '', { ttlMs: 2 ** 40 }), 'BAD_ARGUMENTS', true],
  ['create oversized', (zk) => zk.create('/big', Buffer.alloc(1 << 20)), 'CONNECTION_LOSS', false],
  ['setData oversized', (zk) => zk.setData('/a', Buffer.alloc(1 << 20)), 'CONNECTION_LOSS', false],
  ['setData bad version', (zk) => zk.setData('/a', 'x', { version: 3 }), 'BAD_VERSION', true],
  ['setData missing', (zk) => zk.setData('/none', 'x'), 'NO_NODE', true],
  ['delete not empty', (zk) => zk.delete('/a'), 'NOT_EMPTY', true],
  ['delete -2', (zk) => zk.delete('/a/b', { version: -2 }), 'BAD_VERSION', true],
  ['delete root', (zk) => zk.delete('/'), 'BAD_ARGUMENTS', true],
  ['delete missing', (zk) => zk.delete('/none'), 'NO_NODE', true],
  [
    'multi failing',
    (zk) =>
      zk.multi([
        { op: 'delete', path: '/a/b' },
        { op: 'delete', path: '/none' },
      ]),
    'NO_NODE',
    true,
  ],
  ['path not a string', (zk) => zk.create(42 as unknown as string, ''), 'INVALID_ARGUMENT', false],
  ['data not bytes', (zk) => zk.create('/x', {} as unknown as string), 'INVALID_ARGUMENT', false],
  [
    'unknown mode',
    (zk) => zk.create('/x', '', { mode: 'weird' as 'ephemeral' }),
    'INVALID_ARGUMENT',
    false,
  ],
  ['fractional version', (zk) => zk.setData('/a', '', { version: 1.5 }), 'INVALID_ARGUMENT', false],
  [
    'watch not a function',
    (zk) => zk.exists('/a', { watch: 1 as unknown as () => void }),
    'INVALID_ARGUMENT',
    false,
  ],
  ['multi not an array', (zk) => zk.multi('x' as unknown as []), 'INVALID_ARGUMENT', false],
  [
    'multi unknown op',
    (zk) => zk.multi([{ op: 'nope' } as unknown as { op: 'check'; path: string; version: number }]),
    'INVALID_ARGUMENT',
    false,
  ],
  ['removeWatches none', (zk) => zk.removeWatches('/a', 'any'), 'NO_WATCHER', false],
  [
    'addWatch bad path',
    (zk) => zk.addWatch('/a/', { mode: 'persistent' }, () => {}),
    'BAD_ARGUMENTS',
    false,
  ],
]

describe('bad input', () => {
  it.each(calls)('%s: %s changes nothing', async (_name, call, code, takesZxid) => {
    const coordinator = await createCoordinator({ clock: new VirtualClock() })
    const zk = coordinator.connect()
    await zk.create('/a', 'a')
    await zk.create('/a/b', 'b')
    await zk.create('/e', '', { mode: 'ephemeral' })
    const before = nodesOf(coordinator)
    const zxid = coordinator.stats().lastZxid
    const error = await call(zk).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code })
    expect(error).toBeInstanceOf(code === 'INVALID_ARGUMENT' ? InvalidArgumentError : Error)
    if (code !== 'INVALID_ARGUMENT') expect(error).toBeInstanceOf(CoordinationError)
    expect(nodesOf(coordinator)).toEqual(before)
    expect(coordinator.stats().lastZxid).toBe(zxid + (takesZxid ? 1 : 0))
    await coordinator.close()
  })

  it('throws a MultiError with the results', async () => {
    const coordinator = await createCoordinator({ clock: new VirtualClock() })
    const zk = coordinator.connect()
    const error = await zk.multi([{ op: 'check', path: '/none', version: 0 }]).catch((e) => e)
    expect(error).toBeInstanceOf(MultiError)
    expect(error).toMatchObject({ index: 0, results: [{ err: -101 }], numeric: -101 })
    await coordinator.close()
  })
})

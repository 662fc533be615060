/**
 * Watch details beyond the contract: re-entrant calls from watchers, watch counts, removal of
 * one watcher among several, recursive watches at several levels.
 */
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { createCoordinator, type WatchedEvent } from '../../src/coordination/index.js'

async function setup() {
  const coordinator = await createCoordinator({ clock: new VirtualClock() })
  return { coordinator, zk: coordinator.connect() }
}

describe('watches', () => {
  it('lets a watcher re-arm itself and write, keeping events in order', async () => {
    const { coordinator, zk } = await setup()
    await zk.create('/a', '0')
    const seen: string[] = []
    const watch = (e: WatchedEvent): void => {
      seen.push(`${e.type} ${e.path}`)
      void zk.getData('/a', { watch }).then((r) => seen.push(`read ${r.data?.toString()}`))
      if (seen.length === 1) void zk.create('/b', '')
    }
    await zk.getData('/a', { watch })
    await zk.exists('/b', { watch: (e) => seen.push(`${e.type} ${e.path}`) })
    await zk.setData('/a', '1')
    await zk.setData('/a', '2')
    await zk.sync('/')
    expect(seen).toEqual([
      'NodeDataChanged /a',
      'NodeCreated /b',
      'read 1',
      'NodeDataChanged /a',
      'read 2',
    ])
    await coordinator.close()
  })

  it('counts one watch per path, table and client', async () => {
    const { coordinator, zk } = await setup()
    const other = coordinator.connect()
    await zk.create('/a', '')
    const w = () => {}
    await zk.getData('/a', { watch: w })
    await zk.exists('/a', { watch: () => {} })
    await zk.getChildren('/a', { watch: w })
    await other.exists('/missing', { watch: w })
    await zk.addWatch('/p', { mode: 'persistent' }, w)
    expect(coordinator.stats().watchCount).toBe(5)
    await zk.setData('/a', 'x')
    expect(coordinator.stats().watchCount).toBe(4)
    await zk.removeWatches('/p', 'persistent')
    expect(coordinator.stats().watchCount).toBe(2)
    await coordinator.close()
  })

  it('removes one watcher and keeps the others of the path', async () => {
    const { coordinator, zk } = await setup()
    await zk.create('/a', '')
    const seen: string[] = []
    const a = (e: WatchedEvent) => void seen.push(`a ${e.type}`)
    const b = (e: WatchedEvent) => void seen.push(`b ${e.type}`)
    await zk.getData('/a', { watch: a })
    await zk.getData('/a', { watch: b })
    await zk.removeWatches('/a', 'data', a)
    await zk.setData('/a', 'x')
    expect(seen).toEqual(['a DataWatchRemoved', 'b NodeDataChanged'])
    await coordinator.close()
  })

  it('fires recursive watches of several ancestors once each, with the changed path', async () => {
    const { coordinator, zk } = await setup()
    await zk.create('/r', '')
    await zk.create('/r/s', '')
    const seen: string[] = []
    await zk.addWatch('/r', { mode: 'persistent-recursive' }, (e) =>
      seen.push(`r ${e.type} ${e.path}`),
    )
    await zk.addWatch('/r/s', { mode: 'persistent-recursive' }, (e) =>
      seen.push(`s ${e.type} ${e.path}`),
    )
    const other = coordinator.connect()
    await other.addWatch('/', { mode: 'persistent-recursive' }, (e) =>
      seen.push(`o ${e.type} ${e.path}`),
    )
    await zk.create('/r/s/t', '')
    expect(seen.sort()).toEqual([
      'o NodeCreated /r/s/t',
      'r NodeCreated /r/s/t',
      's NodeCreated /r/s/t',
    ])
    await coordinator.close()
  })

  it('reports a rejected async watcher as watcher-error', async () => {
    const { coordinator, zk } = await setup()
    await zk.create('/a', '')
    const errors: unknown[] = []
    zk.on('watcher-error', (e) => errors.push(e.error))
    await zk.getData('/a', { watch: async () => Promise.reject(new Error('later')) })
    await zk.setData('/a', 'x')
    await new Promise((resolve) => setImmediate(resolve))
    expect(errors).toHaveLength(1)
    await coordinator.close()
  })
})

/**
 * Contract: one-shot watches, their triggers and ordering; persistent and recursive watches;
 * removeWatches.
 */
import { expect, it } from 'vitest'
import type { WatchedEvent } from '../../src/coordination/index.js'
import type { ContractContext, ContractSupports } from './contract-support.js'
import { recorder, rejects, settle } from './contract-support.js'

/** Watches. */
export function watchContract(ctx: ContractContext, supports: ContractSupports): void {
  it('fires a data watch once, before the writer hears back', async () => {
    const { zk, base } = ctx
    const p = `${base}/w`
    await zk.create(p, 'a')
    const seen: string[] = []
    await zk.getData(p, { watch: (e) => seen.push(`event ${e.type}`) })
    await zk.setData(p, 'b').then(() => seen.push('reply'))
    await zk.setData(p, 'c')
    await settle(zk)
    expect(seen).toEqual(['event NodeDataChanged', 'reply'])
  })

  it('shows another client the event before any result reflecting the change', async () => {
    const { zk, base } = ctx
    const other = ctx.connect()
    const p = `${base}/o`
    await zk.create(p, 'a')
    const seen: string[] = []
    await other.getData(p, { watch: () => seen.push('event') })
    await zk.setData(p, 'b')
    const { data } = await other.getData(p)
    seen.push(`read ${data?.toString()}`)
    expect(seen).toEqual(['event', 'read b'])
  })

  it('leaves an exists watch on a missing node, and getData none', async () => {
    const { zk, base } = ctx
    const r = recorder()
    expect(await zk.exists(`${base}/later`, { watch: r.watch })).toBeNull()
    await rejects(zk.getData(`${base}/never`, { watch: r.watch }), 'NO_NODE')
    await zk.create(`${base}/never`, '')
    await zk.create(`${base}/later`, '')
    await settle(zk)
    expect(r.events).toEqual([{ type: 'NodeCreated', path: `${base}/later` }])
  })

  it('fires NodeDeleted, then the parent NodeChildrenChanged', async () => {
    const { zk, base } = ctx
    const p = `${base}/d`
    await zk.create(p, '')
    const r = recorder()
    await zk.getChildren(base, { watch: r.watch })
    await zk.exists(p, { watch: r.watch })
    await zk.delete(p)
    await settle(zk)
    expect(r.events).toEqual([
      { type: 'NodeDeleted', path: p },
      { type: 'NodeChildrenChanged', path: base },
    ])
  })

  it('does not fire child watches on setData, nor data watches on child changes', async () => {
    const { zk, base } = ctx
    const r = recorder()
    await zk.getChildren(base, { watch: r.watch })
    await zk.setData(base, 'changed')
    await zk.getData(base, { watch: r.watch })
    await zk.create(`${base}/kid`, '')
    await settle(zk)
    expect(r.events).toEqual([{ type: 'NodeChildrenChanged', path: base }])
  })

  it('sends one event per path and type to a client, whatever registered it', async () => {
    const { zk, base } = ctx
    const p = `${base}/once`
    await zk.create(p, '')
    const r = recorder()
    await zk.exists(p, { watch: r.watch })
    await zk.getData(p, { watch: r.watch })
    await zk.getData(p, { watch: r.watch })
    await zk.setData(p, 'x')
    await settle(zk)
    expect(r.events).toEqual([{ type: 'NodeDataChanged', path: p }])
  })

  it('fires every distinct watcher of the path', async () => {
    const { zk, base } = ctx
    const p = `${base}/two`
    await zk.create(p, '')
    const a = recorder()
    const b = recorder()
    await zk.getData(p, { watch: a.watch })
    await zk.exists(p, { watch: b.watch })
    await zk.delete(p)
    await settle(zk)
    expect(a.events).toEqual([{ type: 'NodeDeleted', path: p }])
    expect(b.events).toEqual([{ type: 'NodeDeleted', path: p }])
  })

  it('keeps a persistent watch for every event of its path', async () => {
    const { zk, base } = ctx
    const p = `${base}/pw`
    const r = recorder()
    await zk.addWatch(p, { mode: 'persistent' }, r.watch)
    await zk.create(p, '')
    await zk.setData(p, 'a')
    await zk.create(`${p}/c`, '')
    await zk.create(`${p}/c/deeper`, '')
    await zk.setData(p, 'b')
    await settle(zk)
    expect(r.events.map((e) => e.type)).toEqual([
      'NodeCreated',
      'NodeDataChanged',
      'NodeChildrenChanged',
      'NodeDataChanged',
    ])
  })

  it('keeps a recursive watch for the subtree, without NodeChildrenChanged', async () => {
    const { zk, base } = ctx
    const p = `${base}/rw`
    await zk.create(p, '')
    const r = recorder()
    await zk.addWatch(p, { mode: 'persistent-recursive' }, r.watch)
    await zk.create(`${p}/a`, '')
    await zk.create(`${p}/a/b`, '')
    await zk.setData(`${p}/a/b`, 'x')
    await zk.delete(`${p}/a/b`)
    await zk.create(`${base}/outside`, '')
    await settle(zk)
    expect(r.events).toEqual([
      { type: 'NodeCreated', path: `${p}/a` },
      { type: 'NodeCreated', path: `${p}/a/b` },
      { type: 'NodeDataChanged', path: `${p}/a/b` },
      { type: 'NodeDeleted', path: `${p}/a/b` },
    ])
  })

  it('removes watches with removal events, and answers NO_WATCHER when none', async () => {
    const { zk, base } = ctx
    const p = `${base}/rm`
    await zk.create(p, '')
    const data = recorder()
    const kids = recorder()
    const persistent = recorder()
    await zk.getData(p, { watch: data.watch })
    await zk.getChildren(p, { watch: kids.watch })
    await zk.addWatch(p, { mode: 'persistent' }, persistent.watch)
    await zk.removeWatches(p, 'data', data.watch)
    await rejects(zk.removeWatches(p, 'data', data.watch), 'NO_WATCHER')
    await zk.removeWatches(p, 'any')
    await rejects(zk.removeWatches(p, 'children'), 'NO_WATCHER')
    await zk.setData(p, 'x')
    await zk.create(`${p}/c`, '')
    await settle(zk)
    expect(data.events).toEqual([{ type: 'DataWatchRemoved', path: p }])
    expect(kids.events).toEqual([{ type: 'ChildWatchRemoved', path: p }])
    expect(persistent.events).toEqual([{ type: 'PersistentWatchRemoved', path: p }])
  })

  it.runIf(supports.watcherErrors)(
    'reports a throwing watcher and still calls the others',
    async () => {
      const { zk, base } = ctx
      const p = `${base}/throw`
      await zk.create(p, '')
      const errors: Array<{ error: unknown; event: WatchedEvent }> = []
      zk.on('watcher-error', (e) => errors.push(e))
      const r = recorder()
      await zk.getData(p, {
        watch: () => {
          throw new Error('boom')
        },
      })
      await zk.exists(p, { watch: r.watch })
      await zk.setData(p, 'x')
      await settle(zk)
      expect(errors.map((e) => (e.error as Error).message)).toEqual(['boom'])
      expect(r.events).toHaveLength(1)
      expect((await zk.getData(p)).data?.toString()).toBe('x')
    },
  )
}

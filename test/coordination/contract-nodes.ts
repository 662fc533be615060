/**
 * Contract: znodes, their Stat, data, paths, versions, sequential names, errors.
 */
import { expect, it } from 'vitest'
import type { ContractContext, ContractSupports } from './contract-support.js'
import { rejects } from './contract-support.js'

/** Node operations. */
export function nodeContract(ctx: ContractContext, supports: ContractSupports): void {
  it('creates a node and reads it back with a full Stat', async () => {
    const { zk, base } = ctx
    const { path, stat } = await zk.create(`${base}/a`, 'hello')
    expect(path).toBe(`${base}/a`)
    expect(stat).toMatchObject({ version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0 })
    expect(stat).toMatchObject({ dataLength: 5, numChildren: 0 })
    expect(stat.mzxid).toBe(stat.czxid)
    expect(stat.pzxid).toBe(stat.czxid)
    expect(stat.mtime).toBe(stat.ctime)
    const read = await zk.getData(`${base}/a`)
    expect(read.data?.toString()).toBe('hello')
    expect(read.stat).toEqual(stat)
    expect(await zk.exists(`${base}/a`)).toEqual(stat)
    expect(await zk.exists(`${base}/missing`)).toBeNull()
  })

  it('keeps null data null and empty data empty', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/n`)
    await zk.create(`${base}/e`, '')
    const n = await zk.getData(`${base}/n`)
    expect(n.data).toBeNull()
    expect(n.stat.dataLength).toBe(0)
    const e = await zk.getData(`${base}/e`)
    expect(e.data).toEqual(Buffer.alloc(0))
  })

  it('returns data that cannot change the tree', async () => {
    const { zk, base } = ctx
    const input = Buffer.from('abc')
    await zk.create(`${base}/d`, input)
    input[0] = 0x7a
    const first = await zk.getData(`${base}/d`)
    first.data?.fill(0)
    expect((await zk.getData(`${base}/d`)).data?.toString()).toBe('abc')
    const next = Buffer.from('def')
    const written = zk.setData(`${base}/d`, next)
    next[0] = 0x7a
    await written
    const inMulti = Buffer.from('ghi')
    const done = zk.multi([{ op: 'create', path: `${base}/m`, data: inMulti }])
    inMulti[0] = 0x7a
    await done
    expect((await zk.getData(`${base}/d`)).data?.toString()).toBe('def')
    expect((await zk.getData(`${base}/m`)).data?.toString()).toBe('ghi')
  })

  it('raises the parent cversion and pzxid on child create and delete', async () => {
    const { zk, base } = ctx
    const before = (await zk.exists(base))!
    const child = await zk.create(`${base}/c`, 'x')
    const mid = (await zk.exists(base))!
    expect(mid.cversion).toBe(before.cversion + 1)
    expect(mid.pzxid).toBe(child.stat.czxid)
    expect(mid.version).toBe(before.version)
    expect(mid.mzxid).toBe(before.mzxid)
    expect(mid.numChildren).toBe(1)
    await zk.delete(`${base}/c`)
    const after = (await zk.exists(base))!
    expect(after.cversion).toBe(before.cversion + 2)
    expect(after.pzxid).toBeGreaterThan(mid.pzxid)
    expect(after.numChildren).toBe(0)
  })

  it('answers create errors with ZooKeeper codes', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/e`, 'x', { mode: 'ephemeral' })
    await rejects(zk.create(base, 'again'), 'NODE_EXISTS')
    await rejects(zk.create('/', ''), 'NODE_EXISTS')
    await rejects(zk.create(`${base}/missing/child`, ''), 'NO_NODE')
    await rejects(zk.create(`${base}/e/child`, ''), 'NO_CHILDREN_FOR_EPHEMERALS')
    await rejects(
      zk.create(`${base}/e/child`, '', { mode: 'persistent-sequential' }),
      'NO_CHILDREN_FOR_EPHEMERALS',
    )
  })

  it('tells malformed paths apart as ZooKeeper does', async () => {
    const { zk, base } = ctx
    for (const bad of [
      `${base}/`,
      `${base}/.`,
      `${base}/..`,
      `${base}/a\u0000b`,
      `${base}/\u0001`,
    ]) {
      await rejects(zk.create(bad, ''), 'BAD_ARGUMENTS')
    }
    await rejects(zk.create('', ''), 'BAD_ARGUMENTS')
    await rejects(zk.create('sem', ''), 'BAD_ARGUMENTS')
    await rejects(zk.create(`${base}//x`, ''), 'NO_NODE')
    await rejects(zk.create(`${base.slice(1)}/x`, ''), 'NO_NODE')
    await rejects(zk.setData(`${base}/`, 'x'), 'BAD_ARGUMENTS')
    await rejects(zk.delete('/'), 'BAD_ARGUMENTS')
    await rejects(zk.delete('/zookeeper'), 'BAD_ARGUMENTS')
    await rejects(zk.delete('sem'), 'BAD_ARGUMENTS')
    await rejects(zk.getData(`${base}/`), 'NO_NODE')
    expect((await zk.getChildren(base)).length).toBe(0)
  })

  it('adds the suffix before validating, so trailing-slash sequential creates work', async () => {
    const { zk, base } = ctx
    const a = await zk.create(`${base}/`, '', { mode: 'persistent-sequential' })
    expect(a.path).toBe(`${base}/0000000000`)
    const b = await zk.create(`${base}/.`, '', { mode: 'persistent-sequential' })
    expect(b.path).toBe(`${base}/.0000000001`)
  })

  it('names sequential nodes from the count of child creates', async () => {
    const { zk, base } = ctx
    const p = `${base}/q`
    await zk.create(p, '')
    const first = await zk.create(`${p}/n-`, '', { mode: 'persistent-sequential' })
    expect(first.path).toBe(`${p}/n-0000000000`)
    await zk.delete(first.path)
    await rejects(zk.create(`${p}/x/y`, ''), 'NO_NODE')
    const second = await zk.create(`${p}/n-`, '', { mode: 'ephemeral-sequential' })
    expect(second.path).toBe(`${p}/n-0000000001`)
    expect(second.stat.ephemeralOwner).toBe(ctx.zk.sessionId)
    const stat = (await zk.exists(p))!
    expect(stat.cversion).toBe(3)
    await zk.create(`${p}/n-0000000004`, '')
    const third = await zk.create(`${p}/n-`, '', { mode: 'persistent-sequential' })
    expect(third.path).toBe(`${p}/n-0000000003`)
    // A manual name in the way: failed creates do not advance the counter, so it stays stuck.
    await rejects(zk.create(`${p}/n-`, '', { mode: 'persistent-sequential' }), 'NODE_EXISTS')
    await rejects(zk.create(`${p}/n-`, '', { mode: 'persistent-sequential' }), 'NODE_EXISTS')
  })

  it('checks versions on setData and delete', async () => {
    const { zk, base } = ctx
    const p = `${base}/v`
    await zk.create(p, 'a')
    expect((await zk.setData(p, 'b', { version: 0 })).version).toBe(1)
    expect((await zk.setData(p, 'b')).version).toBe(2)
    const same = await zk.setData(p, 'b', { version: -1 })
    expect(same.version).toBe(3)
    expect(same.mzxid).toBeGreaterThan(same.czxid)
    await rejects(zk.setData(p, 'c', { version: 0 }), 'BAD_VERSION')
    await rejects(zk.setData(p, 'c', { version: -2 }), 'BAD_VERSION')
    await rejects(zk.delete(p, { version: 1 }), 'BAD_VERSION')
    await rejects(zk.delete(p, { version: -2 }), 'BAD_VERSION')
    await rejects(zk.setData(`${p}/missing`, 'c', { version: 7 }), 'NO_NODE')
    expect((await zk.getData(p)).data?.toString()).toBe('b')
    await zk.delete(p, { version: 3 })
    expect(await zk.exists(p)).toBeNull()
    await rejects(zk.delete(p), 'NO_NODE')
  })

  it('checks the version before emptiness on delete', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/p`, '')
    await zk.create(`${base}/p/c`, '')
    await rejects(zk.delete(`${base}/p`, { version: 5 }), 'BAD_VERSION')
    await rejects(zk.delete(`${base}/p`), 'NOT_EMPTY')
  })

  it('lists children, with the Stat too', async () => {
    const { zk, base } = ctx
    for (const name of ['b', 'a', 'c']) await zk.create(`${base}/${name}`, name)
    expect((await zk.getChildren(base)).sort()).toEqual(['a', 'b', 'c'])
    const { children, stat } = await zk.getChildrenWithStat(base)
    expect(children.sort()).toEqual(['a', 'b', 'c'])
    expect(stat.numChildren).toBe(3)
    await rejects(zk.getChildren(`${base}/none`), 'NO_NODE')
    expect(await zk.getAllChildrenNumber(base)).toBe(3)
    await zk.create(`${base}/a/x`, '')
    expect(await zk.getAllChildrenNumber(base)).toBe(4)
    await rejects(zk.getAllChildrenNumber(`${base}/none`), 'NO_NODE')
  })

  it('has ZooKeeper own nodes and lets the empty path read the root', async () => {
    const { zk } = ctx
    expect((await zk.getChildren('/zookeeper')).sort()).toEqual(['config', 'quota'])
    expect(await zk.exists('/zookeeper/config')).not.toBeNull()
    expect((await zk.getChildren('/')).includes('zookeeper')).toBe(true)
    expect(await zk.exists('')).toEqual(await zk.exists('/'))
    await rejects(zk.setData('/zookeeper/config', 'x'), 'NO_AUTH')
  })

  it('lists the session ephemerals and answers sync with the path', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/e1`, '', { mode: 'ephemeral' })
    await zk.create(`${base}/p`, '')
    await zk.create(`${base}/p/e2`, '', { mode: 'ephemeral' })
    expect((await zk.getEphemerals(base)).sort()).toEqual([`${base}/e1`, `${base}/p/e2`])
    expect(await zk.getEphemerals(`${base}/p`)).toEqual([`${base}/p/e2`])
    expect(await zk.sync(base)).toBe(base)
  })

  it.runIf(supports.frameLimit)(
    'refuses frames over jute.maxbuffer, changing nothing',
    async () => {
      const { zk, base } = ctx
      const p = `${base}/big`
      await zk.create(p, '')
      // A setData frame is 20 bytes + path + data, a create's 47 + path + data (open ACL), as
      // measured on ZooKeeper 3.8: setData /sem/big takes 1,048,547 bytes, create /sem/big2
      // 1,048,519 (FACTS.md's 1,048,515 is 4 bytes short).
      const room = 0xfffff - 20 - Buffer.byteLength(p)
      expect((await zk.setData(p, Buffer.alloc(room))).dataLength).toBe(room)
      await rejects(zk.setData(p, Buffer.alloc(room + 1)), 'CONNECTION_LOSS')
      expect((await zk.exists(p))?.dataLength).toBe(room)
      const p2 = `${base}/big2`
      const room2 = 0xfffff - 47 - Buffer.byteLength(p2)
      await rejects(zk.create(p2, Buffer.alloc(room2 + 1)), 'CONNECTION_LOSS')
      expect(await zk.exists(p2)).toBeNull()
      expect((await zk.create(p2, Buffer.alloc(room2))).stat.dataLength).toBe(room2)
    },
  )

  it.runIf(supports.stats)('counts nodes, ephemerals and zxids in stats()', async () => {
    const { zk, base, h } = ctx
    const before = h.coordinator.stats()
    const made = await zk.create(`${base}/s`, 'x', { mode: 'ephemeral' })
    const after = h.coordinator.stats()
    expect(after.znodeCount).toBe(before.znodeCount + 1)
    expect(after.ephemeralsCount).toBe(before.ephemeralsCount + 1)
    expect(after.lastZxid).toBe(made.stat.czxid)
    await rejects(zk.create(`${base}/s`, ''), 'NODE_EXISTS')
    expect(h.coordinator.stats().lastZxid).toBe(after.lastZxid + 1)
  })
}

/**
 * Contract: multi, all or nothing, with ZooKeeper's per-op results.
 */
import { expect, it } from 'vitest'
import type { ContractContext, ContractSupports } from './contract-support.js'
import { recorder, rejects } from './contract-support.js'

/** multi. */
export function multiContract(ctx: ContractContext, _supports: ContractSupports): void {
  it('applies every op with one zxid and reports each result', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/old`, 'o')
    const results = await zk.multi([
      { op: 'create', path: `${base}/m`, data: 'm' },
      { op: 'check', path: `${base}/m`, version: 0 },
      { op: 'setData', path: `${base}/m`, data: 'n', version: 0 },
      { op: 'create', path: `${base}/s-`, mode: 'persistent-sequential' },
      { op: 'delete', path: `${base}/old` },
    ])
    expect(results.map((r) => r.op)).toEqual(['create', 'check', 'setData', 'create', 'delete'])
    const [created, , set, seq] = results as [
      { path: string; stat: { czxid: number; version: number } },
      unknown,
      { stat: { mzxid: number; version: number } },
      { path: string },
    ]
    expect(created.path).toBe(`${base}/m`)
    expect(created.stat.version).toBe(0)
    expect(set.stat.version).toBe(1)
    expect(set.stat.mzxid).toBe(created.stat.czxid)
    expect(seq.path).toMatch(/s-\d{10}$/)
    expect((await zk.getData(`${base}/m`)).data?.toString()).toBe('n')
    expect(await zk.exists(`${base}/old`)).toBeNull()
  })

  it('applies nothing when an op fails and reports 0, the code, then -2', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/a`, 'a')
    const before = (await zk.exists(base))!
    const error = await rejects(
      zk.multi([
        { op: 'create', path: `${base}/new`, data: 'x' },
        { op: 'setData', path: `${base}/a`, data: 'b' },
        { op: 'check', path: `${base}/a`, version: 0 },
        { op: 'delete', path: `${base}/a` },
      ]),
      'BAD_VERSION',
    )
    expect(error.results).toEqual([{ err: 0 }, { err: 0 }, { err: -103 }, { err: -2 }])
    expect(await zk.exists(`${base}/new`)).toBeNull()
    expect((await zk.getData(`${base}/a`)).data?.toString()).toBe('a')
    expect(await zk.exists(base)).toEqual(before)
  })

  it('lets later ops see earlier ones', async () => {
    const { zk, base } = ctx
    await zk.multi([
      { op: 'create', path: `${base}/p`, data: '' },
      { op: 'create', path: `${base}/p/c`, data: '' },
      { op: 'delete', path: `${base}/p/c` },
      { op: 'delete', path: `${base}/p` },
      { op: 'create', path: `${base}/p`, data: 'again' },
    ])
    expect((await zk.getData(`${base}/p`)).data?.toString()).toBe('again')
    const error = await rejects(
      zk.multi([
        { op: 'delete', path: `${base}/p` },
        { op: 'check', path: `${base}/p`, version: -1 },
      ]),
      'NO_NODE',
    )
    expect(error.results).toEqual([{ err: 0 }, { err: -101 }])
    expect(await zk.exists(`${base}/p`)).not.toBeNull()
  })

  it('takes an empty multi', async () => {
    expect(await ctx.zk.multi([])).toEqual([])
  })

  it('fires a multi events in op order', async () => {
    const { zk, base } = ctx
    await zk.create(`${base}/a`, '')
    await zk.create(`${base}/b`, '')
    const r = recorder()
    await zk.getData(`${base}/b`, { watch: r.watch })
    await zk.exists(`${base}/c`, { watch: r.watch })
    await zk.getData(`${base}/a`, { watch: r.watch })
    await zk.multi([
      { op: 'setData', path: `${base}/b`, data: 'x' },
      { op: 'create', path: `${base}/c`, data: '' },
      { op: 'delete', path: `${base}/a` },
    ])
    expect(r.events).toEqual([
      { type: 'NodeDataChanged', path: `${base}/b` },
      { type: 'NodeCreated', path: `${base}/c` },
      { type: 'NodeDeleted', path: `${base}/a` },
    ])
  })
}

/**
 * Contract: sessions, ephemerals, close and expiry, containers and TTL nodes.
 */
import { expect, it } from 'vitest'
import type { ContractContext, ContractSupports } from './contract-support.js'
import { recorder, rejects, settle } from './contract-support.js'

/** Sessions and node lifetimes. */
export function sessionContract(ctx: ContractContext, supports: ContractSupports): void {
  it('connects with a negotiated timeout and a session id', async () => {
    const zk = ctx.connect()
    await zk.sync('/')
    expect(zk.state).toBe('connected')
    expect(zk.sessionId).not.toBe(0)
    expect(zk.sessionTimeoutMs).toBe(10_000)
    expect(zk.sessionId).not.toBe(ctx.zk.sessionId)
  })

  it('deletes ephemerals on close and fires their watches elsewhere', async () => {
    const { base } = ctx
    const owner = ctx.connect()
    await owner.create(`${base}/eph`, 'e', { mode: 'ephemeral' })
    const r = recorder()
    await ctx.zk.exists(`${base}/eph`, { watch: r.watch })
    await ctx.zk.getChildren(base, { watch: r.watch })
    await owner.close()
    await settle(ctx.zk)
    expect(await ctx.zk.exists(`${base}/eph`)).toBeNull()
    expect(r.events).toEqual([
      { type: 'NodeDeleted', path: `${base}/eph` },
      { type: 'NodeChildrenChanged', path: base },
    ])
    expect(owner.state).toBe('closed')
  })

  it('lets another session change or delete an ephemeral', async () => {
    const { base } = ctx
    const owner = ctx.connect()
    await owner.create(`${base}/e`, '', { mode: 'ephemeral' })
    await ctx.zk.setData(`${base}/e`, 'x')
    await ctx.zk.delete(`${base}/e`)
    expect(await owner.getEphemerals(base)).toEqual([])
  })

  it('fails every call after close with CLOSED, and close is idempotent', async () => {
    const zk = ctx.connect()
    await zk.close()
    await zk.close()
    await rejects(zk.create(`${ctx.base}/x`, ''), 'CLOSED')
    await rejects(zk.getData(ctx.base), 'CLOSED')
    expect(await ctx.zk.exists(`${ctx.base}/x`)).toBeNull()
  })

  it('expires a session on request: ephemerals go, calls fail with SESSION_EXPIRED', async () => {
    const { base } = ctx
    const doomed = ctx.connect()
    await doomed.create(`${base}/e`, '', { mode: 'ephemeral' })
    const expired: number[] = []
    doomed.on('expired', (e) => expired.push(e.sessionId))
    const r = recorder()
    await ctx.zk.exists(`${base}/e`, { watch: r.watch })
    await ctx.h.coordinator.expireSession(doomed.sessionId)
    await settle(ctx.zk)
    expect(await ctx.zk.exists(`${base}/e`)).toBeNull()
    expect(r.events).toEqual([{ type: 'NodeDeleted', path: `${base}/e` }])
    await rejects(doomed.create(`${base}/again`, ''), 'SESSION_EXPIRED')
    expect(await ctx.zk.exists(`${base}/again`)).toBeNull()
    await Promise.resolve()
    expect(doomed.state).toBe('expired')
    expect(expired).toEqual([doomed.sessionId])
  })

  it.runIf(supports.clock)(
    'expires a session whose heartbeats stop, not one that beats',
    async () => {
      const { base, h } = ctx
      const quiet = ctx.connect()
      await quiet.create(`${base}/quiet`, '', { mode: 'ephemeral' })
      await ctx.zk.create(`${base}/alive`, '', { mode: 'ephemeral' })
      h.pauseHeartbeats?.(quiet)
      await h.advance?.(9_000)
      expect(await ctx.zk.exists(`${base}/quiet`)).not.toBeNull()
      await h.advance?.(2_000)
      expect(await ctx.zk.exists(`${base}/quiet`)).toBeNull()
      expect(quiet.state).toBe('expired')
      await h.advance?.(60_000)
      expect(await ctx.zk.exists(`${base}/alive`)).not.toBeNull()
    },
  )

  it.runIf(supports.clock)('removes a container once its last child is gone', async () => {
    const { zk, base, h } = ctx
    const c = `${base}/container`
    await zk.create(c, '', { mode: 'container' })
    await h.advance?.(120_000)
    expect(await zk.exists(c)).not.toBeNull()
    await zk.create(`${c}/child`, '')
    await zk.delete(`${c}/child`)
    const r = recorder()
    await zk.exists(c, { watch: r.watch })
    await h.advance?.(60_001)
    expect(await zk.exists(c)).toBeNull()
    expect(r.events).toEqual([{ type: 'NodeDeleted', path: c }])
  })

  it.runIf(supports.clock && supports.ttl)('removes an unchanged childless TTL node', async () => {
    const { zk, base, h } = ctx
    const t = `${base}/ttl`
    await zk.create(t, '', { ttlMs: 5_000 })
    await zk.create(`${base}/kept`, '', { ttlMs: 5_000 })
    await zk.create(`${base}/kept/child`, '')
    await h.advance?.(61_000)
    expect(await zk.exists(t)).toBeNull()
    expect(await zk.exists(`${base}/kept`)).not.toBeNull()
  })

  it.runIf(supports.ttl)('refuses a TTL with a mode that cannot have one', async () => {
    const { zk, base } = ctx
    await rejects(zk.create(`${base}/t`, '', { mode: 'ephemeral', ttlMs: 1000 }), 'BAD_ARGUMENTS')
    await rejects(zk.create(`${base}/t`, '', { ttlMs: 0 }), 'BAD_ARGUMENTS')
    expect(await zk.exists(`${base}/t`)).toBeNull()
  })
}

/**
 * Disk mode: the txn log, snapshots, reopen (zxids continue, the tree is rebuilt, the previous
 * process's sessions are restored and then expire), group commit, and a failing log.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import {
  createCoordinator,
  dumpSnapshot,
  dumpTxnLog,
  LevelSnapshotStore,
  LevelTxnLog,
  type Txn,
} from '../../src/coordination/index.js'
import { nodesOf, picture } from './tree-helpers.js'

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('disk mode', () => {
  it('reopens with the same tree and continues the zxids', async () => {
    const db = new MemoryLevel()
    const clock = new VirtualClock()
    const first = await createCoordinator({ clock, db })
    const zk = first.connect()
    await zk.create('/a', 'x')
    await zk.create('/a/s-', 'y', { mode: 'persistent-sequential' })
    await zk.setData('/a', 'z')
    await zk.create('/a', '').catch(() => {})
    await zk.close()
    const before = picture(first.tree)
    await first.close()
    const second = await createCoordinator({ clock, db })
    expect(picture(second.tree)).toEqual(before)
    const zk2 = second.connect()
    const made = await zk2.create('/b', '')
    expect(made.stat.czxid).toBe(before.zxid + 2)
    const next = await zk2.create('/a/s-', '', { mode: 'persistent-sequential' })
    expect(next.path).toBe('/a/s-0000000001')
    await second.close()
  })

  it('snapshots every N txns, keeps two, purges the log they cover, and restores', async () => {
    const db = new MemoryLevel()
    const clock = new VirtualClock()
    const first = await createCoordinator({ clock, db, snapshotEveryTxns: 5 })
    const zk = first.connect()
    for (let i = 0; i < 40; i++) await zk.create(`/n${i}`, String(i))
    const before = picture(first.tree)
    await first.close()
    const snapshots = new LevelSnapshotStore(db)
    const zxids = await snapshots.list()
    expect(zxids.length).toBe(2)
    const txns = await collect(new LevelTxnLog(db).read(0))
    expect((txns[0] as Txn).zxid).toBe((zxids[0] as number) + 1)
    const second = await createCoordinator({ clock, db, snapshotEveryTxns: 5 })
    expect(picture(second.tree)).toEqual(before)
    await second.close()
  })

  it('restores the sessions of the previous process; they expire and take their ephemerals', async () => {
    const db = new MemoryLevel()
    const clock = new VirtualClock()
    const first = await createCoordinator({ clock, db })
    const owner = first.connect({ sessionTimeoutMs: 6000 })
    await owner.create('/e', '', { mode: 'ephemeral' })
    await first.close()
    expect(owner.state).toBe('closed')
    const second = await createCoordinator({ clock, db })
    expect(second.stats().sessionCount).toBe(1)
    const zk = second.connect()
    const events: string[] = []
    await zk.exists('/e', { watch: (e) => events.push(e.type) })
    await clock.advance(5999)
    expect(await zk.exists('/e')).not.toBeNull()
    await clock.advance(1)
    expect(await zk.exists('/e')).toBeNull()
    expect(events).toEqual(['NodeDeleted'])
    expect(second.stats().sessionCount).toBe(1)
    await second.close()
    const lines = await collect(dumpTxnLog(new LevelTxnLog(db)))
    expect(lines.at(-1)).toMatch(/closeSession 0x[0-9a-f]+$/)
  })

  it('works on classic-level in a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logkeeper-zk-'))
    try {
      const clock = new VirtualClock()
      let db = new ClassicLevel(dir)
      const first = await createCoordinator({ clock, db: db.sublevel('zk'), snapshotEveryTxns: 3 })
      const zk = first.connect()
      await Promise.all(Array.from({ length: 20 }, (_, i) => zk.create(`/k${i}`, 'v'.repeat(i))))
      await zk.multi([
        { op: 'delete', path: '/k0' },
        { op: 'setData', path: '/k1', data: 'w' },
      ])
      await zk.close()
      const before = nodesOf(first)
      await first.close()
      await db.close()
      db = new ClassicLevel(dir)
      const second = await createCoordinator({ clock, db: db.sublevel('zk') })
      expect(nodesOf(second)).toEqual(before)
      await second.close()
      await db.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('prints the txn log and the newest snapshot as text lines', async () => {
    const db = new MemoryLevel()
    const coordinator = await createCoordinator({
      clock: new VirtualClock(),
      db,
      snapshotEveryTxns: 2,
    })
    const zk = coordinator.connect()
    await zk.create('/shown', 'hello', { mode: 'ephemeral' })
    await zk.setData('/shown', 'again')
    await coordinator.close()
    const log = await collect(dumpTxnLog(new LevelTxnLog(db)))
    expect(log[0]).toMatch(/^2025-01-01T00:00:00.000Z session 0x[0-9a-f]+ zxid 0x1 createSession/)
    expect(log[1]).toMatch(/zxid 0x2 create '\/shown' data="hello" ephemeral=0x/)
    const snap = await collect(dumpSnapshot(new LevelSnapshotStore(db)))
    expect(snap[0]).toMatch(/^ZNode Details \(count=5\), zxid 0x2:/)
    expect(snap).toContain('/shown')
    expect(snap.at(-1)).toMatch(/^0x[0-9a-f]+, 10000, 1$/)
  })
})

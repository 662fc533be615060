import { describe, expect, it } from 'vitest'
import { DataTree } from '../../src/coordination/data-tree.js'
import {
  decodeNodes,
  encodeNodes,
  restoreSnapshot,
  takeSnapshot,
} from '../../src/coordination/persistence/snapshot.js'
import { decodeTxn, encodeTxn } from '../../src/coordination/persistence/txn-codec.js'
import { CONTAINER, type Txn, type TxnOp } from '../../src/coordination/txn.js'
import type { WatchedEventType } from '../../src/coordination/types.js'
import { picture } from './tree-helpers.js'

const T0 = 1_735_689_600_000
let zxid = 0
function txn(op: TxnOp, sessionId = 0): Txn {
  zxid++
  return { zxid, time: T0 + zxid, sessionId, op }
}
const create = (
  path: string,
  data: string | null = '',
  ephemeralOwner = 0,
  special = 0,
): TxnOp => ({
  type: 'create',
  path,
  data,
  ephemeralOwner,
  special,
})

describe('DataTree', () => {
  it('starts as ZooKeeper: /, /zookeeper, /zookeeper/quota, /zookeeper/config', () => {
    const tree = new DataTree()
    expect(
      takeSnapshot(tree)
        .nodes.map((n) => n.path)
        .sort(),
    ).toEqual(['/', '/zookeeper', '/zookeeper/config', '/zookeeper/quota'])
    expect(tree.getNode('')).toBe(tree.getNode('/'))
    // As ZooKeeper 3.8: the children were added without creates, cversion = 2 * 0 - children.
    expect(tree.getNode('/')?.stat()).toMatchObject({ czxid: 0, numChildren: 1, cversion: -1 })
    expect(tree.getNode('/zookeeper')?.stat()).toMatchObject({ numChildren: 2, cversion: -2 })
    expect(tree.getNode('/zookeeper/config')?.stat()).toMatchObject({ aversion: -1 })
    expect(tree.getNode('/zookeeper/quota')?.stat()).toMatchObject({ aversion: 0, cversion: 0 })
    expect(tree.descendantCount('/')).toBe(3)
  })

  it('applies creates, setData and deletes with their own zxid and time', () => {
    const tree = new DataTree()
    const t1 = txn(create('/a', 'x'))
    tree.processTxn(t1)
    const t2 = txn({ type: 'setData', path: '/a', data: 'yz' })
    tree.processTxn(t2)
    expect(tree.getNode('/a')?.stat()).toMatchObject({
      czxid: t1.zxid,
      mzxid: t2.zxid,
      ctime: t1.time,
      mtime: t2.time,
      version: 1,
      dataLength: 2,
    })
    const t3 = txn({ type: 'delete', path: '/a' })
    tree.processTxn(t3)
    expect(tree.getNode('/a')).toBeUndefined()
    // One create and one delete: cversion -1 + 2 (ZooKeeper: 2 * creates - children).
    expect(tree.getNode('/')?.stat()).toMatchObject({ cversion: 1, pzxid: t3.zxid })
    expect(tree.getNode('/')?.childCreates).toBe(1)
    expect(tree.lastZxid).toBe(t3.zxid)
  })

  it('tracks ephemerals, containers and TTL nodes, and kills a session ephemerals', () => {
    const tree = new DataTree()
    tree.processTxn(txn({ type: 'createSession', sessionId: 7, timeoutMs: 4000 }, 7))
    tree.processTxn(txn(create('/e1', '', 7), 7))
    tree.processTxn(txn(create('/c', '', 0, CONTAINER)))
    tree.processTxn(txn(create('/c/e2', '', 7), 7))
    tree.processTxn(txn(create('/t', '', 0, 5000)))
    expect([...(tree.ephemerals.get(7) ?? [])]).toEqual(['/e1', '/c/e2'])
    expect([...tree.containers]).toEqual(['/c'])
    expect([...tree.ttls]).toEqual(['/t'])
    const events: Array<[WatchedEventType, string]> = []
    tree.listener = { watching: true, trigger: (type, path) => void events.push([type, path]) }
    const close = txn({ type: 'closeSession', sessionId: 7 }, 7)
    tree.processTxn(close)
    expect(events).toEqual([
      ['NodeDeleted', '/e1'],
      ['NodeChildrenChanged', '/'],
      ['NodeDeleted', '/c/e2'],
      ['NodeChildrenChanged', '/c'],
    ])
    expect(tree.ephemerals.size).toBe(0)
    expect(tree.sessions.size).toBe(0)
    expect(tree.getNode('/c')?.pzxid).toBe(close.zxid)
  })

  it('applies a multi as one txn and reports each result', () => {
    const tree = new DataTree()
    const m = txn({
      type: 'multi',
      ops: [
        create('/m', 'a'),
        { type: 'setData', path: '/m', data: 'b' },
        { type: 'check', path: '/m' },
      ],
    })
    const results = tree.processTxn(m) as Array<{ op: string; stat?: { version: number } }>
    expect(results.map((r) => [r.op, r.stat?.version])).toEqual([
      ['create', 0],
      ['setData', 1],
      ['check', undefined],
    ])
  })

  it('takes a zxid for error txns and changes nothing else', () => {
    const tree = new DataTree()
    const before = picture(tree)
    tree.processTxn(txn({ type: 'error', err: -101 }))
    expect({ ...picture(tree), zxid: before.zxid }).toEqual(before)
    expect(tree.lastZxid).toBe(zxid)
  })

  it('rebuilds the same tree from a snapshot plus the later txns', () => {
    const live = new DataTree()
    const log: Txn[] = [
      txn({ type: 'createSession', sessionId: 9, timeoutMs: 6000 }, 9),
      txn(create('/a', '\u00e9'.repeat(3))),
      txn(create('/a/b', null)),
      txn(create('/a/e', 'x', 9), 9),
      txn({ type: 'setData', path: '/a', data: '\u00ff\u0000' }),
      txn(create('/c', '', 0, CONTAINER)),
      txn({ type: 'delete', path: '/a/b' }),
      txn(create('/t', 'ttl', 0, 1234)),
      txn({ type: 'multi', ops: [create('/m', 'm'), { type: 'delete', path: '/m' }] }),
      // Over the data store's slab limit: kept in a Buffer of its own.
      txn(create('/big', 'b'.repeat(20_000))),
      txn({ type: 'setData', path: '/big', data: 'c'.repeat(30_000) }),
      txn({ type: 'setData', path: '/zookeeper/quota', data: 'q' }),
    ]
    for (const t of log) live.processTxn(decodeTxn(encodeTxn(t)))
    for (let cut = 0; cut <= log.length; cut++) {
      const early = new DataTree()
      for (const t of log.slice(0, cut)) early.processTxn(t)
      const snapshot = takeSnapshot(early)
      const restored = restoreSnapshot({
        ...snapshot,
        nodes: decodeNodes(encodeNodes(snapshot.nodes)),
      })
      for (const t of log.slice(cut)) restored.processTxn(t)
      expect(picture(restored)).toEqual(picture(live))
    }
  })
})

/**
 * Disk mode's write path with a log we control: nothing is told before its txn is durable,
 * concurrent writes share one append, and a failing log fails what waits on it.
 */
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { DataTree } from '../../src/coordination/data-tree.js'
import { InProcessCoordinator } from '../../src/coordination/index.js'
import { resolveOptions } from '../../src/coordination/options.js'
import { GroupCommit } from '../../src/coordination/persistence/group-commit.js'
import type { Snapshot } from '../../src/coordination/persistence/snapshot.js'
import type { SnapshotStore } from '../../src/coordination/persistence/snapshot-store.js'
import type { TxnLog } from '../../src/coordination/persistence/txn-log.js'
import type { Txn } from '../../src/coordination/txn.js'

/** A txn log whose appends wait until released. */
class GatedLog implements TxnLog {
  readonly batches: Txn[][] = []
  #gates: Array<() => void> = []
  failWith: Error | undefined
  async append(txns: readonly Txn[]): Promise<void> {
    this.batches.push([...txns])
    await new Promise<void>((resolve) => this.#gates.push(resolve))
    if (this.failWith) throw this.failWith
  }
  release(): void {
    const gates = this.#gates
    this.#gates = []
    for (const g of gates) g()
  }
  async *read(): AsyncIterable<Txn> {}
  async purge(): Promise<void> {}
}

const noSnapshots: SnapshotStore = {
  save: async (_: Snapshot) => {},
  list: async () => [],
  load: async () => undefined,
  remove: async () => {},
}

function open(log: TxnLog) {
  const coordinator = new InProcessCoordinator(
    resolveOptions({ clock: new VirtualClock() }),
    new DataTree(),
  )
  coordinator.attachLog(
    new GroupCommit(log, noSnapshots, coordinator.queue, coordinator.tree, 1e9, (e) =>
      coordinator.failed(e),
    ),
  )
  return coordinator
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('group commit', () => {
  it('tells nobody anything before the txn is durable, and events before results', async () => {
    const log = new GatedLog()
    const coordinator = open(log)
    const zk = coordinator.connect()
    const other = coordinator.connect()
    const seen: string[] = []
    const created = zk.create('/a', 'x').then(() => seen.push('create'))
    await tick()
    log.release()
    await created
    await other.getData('/a', { watch: (e) => seen.push(`event ${e.type}`) })
    const set = zk.setData('/a', 'y').then(() => seen.push('setData'))
    const read = other.getData('/a').then((r) => seen.push(`read ${r.data?.toString()}`))
    await tick()
    expect(seen).toEqual(['create'])
    expect(coordinator.stats().outstandingRequests).toBeGreaterThan(0)
    log.release()
    await Promise.all([set, read])
    expect(seen).toEqual(['create', 'event NodeDataChanged', 'setData', 'read y'])
    log.release()
    await coordinator.close()
  })

  it('shares one append among concurrent writes', async () => {
    const log = new GatedLog()
    const coordinator = open(log)
    const zk = coordinator.connect()
    await tick()
    log.release()
    const writes = Array.from({ length: 50 }, (_, i) => zk.create(`/n${i}`, ''))
    await tick()
    log.release()
    await tick()
    log.release()
    await Promise.all(writes)
    expect(log.batches.length).toBeLessThanOrEqual(3)
    expect(log.batches.flat().length).toBe(51)
    log.release()
    await coordinator.close()
  })

  it('fails the waiting calls and every later one when the log fails', async () => {
    const log = new GatedLog()
    const coordinator = open(log)
    const zk = coordinator.connect()
    const pending = zk.create('/a', '')
    await tick()
    log.failWith = new Error('disk gone')
    log.release()
    await expect(pending).rejects.toMatchObject({ code: 'SYSTEM_ERROR' })
    await expect(zk.getData('/')).rejects.toMatchObject({ code: 'CLOSED' })
    expect(() => coordinator.connect()).toThrow(expect.objectContaining({ code: 'SYSTEM_ERROR' }))
    await coordinator.close()
  })
})

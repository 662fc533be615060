/**
 * Regression: the Lock recipe over a real ZooKeeper lost wakeups.
 *
 * The adapter registered a read's watch after the read's promise resolved, a microtask after
 * the reply was decoded. When the predecessor's delete notification arrived in the same socket
 * read as the reply, the library dispatched it before the watch existed, and the waiter slept
 * until its timeout with its own node first in line (3 runs in 4 of 2 contenders for 3 s).
 * Watches are now registered as the reply is decoded, as the Java client does.
 *
 * Skipped without ZooKeeper locally; fails without it when CI=true.
 */
import { expect, it } from 'vitest'
import { createLock } from '../../../src/coordination/recipes/index.js'
import { describeWithZooKeeper } from '../../support/zookeeper.js'
import { ZooKeeperCoordinator } from '../../support/zookeeper-coordinator.js'

describeWithZooKeeper('Lock recipe over a real ZooKeeper', (server) => {
  it('hands the lock back and forth between two contenders without a lost wakeup', async () => {
    const coordinator = new ZooKeeperCoordinator(server().connectString)
    try {
      const clients = [coordinator.connect(), coordinator.connect()]
      const root = `/lock-regression-${process.pid}`
      await clients[0]!.create(root, '')
      const locks = clients.map((client) => createLock(client, `${root}/lock`))
      const grants: number[] = []
      await Promise.all(
        locks.map(async (lock, who) => {
          for (let round = 0; round < 60; round++) {
            const held = await lock.acquire({ timeoutMs: 5_000 })
            grants.push(who)
            await held.release()
          }
        }),
      )
      expect(grants).toHaveLength(120)
      expect(await clients[0]!.getChildren(`${root}/lock`)).toEqual([])
    } finally {
      await coordinator.close()
    }
  }, 60_000)
})

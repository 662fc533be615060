/**
 * The coordinator contract suite against a real Apache ZooKeeper 3.8, through the
 * node-zookeeper-client adapter (test/support/zookeeper-client.ts). What a real server over
 * this client cannot do is switched off in the supports manifest: a controllable clock (expiry
 * by heartbeat loss, container and TTL reaping), stats() (mntr is remote and asynchronous),
 * watcher-error events are kept (the adapter reports throwing watchers as the in-process client).
 *
 * Skipped without ZooKeeper locally; fails without it when CI=true.
 */
import { describeWithZooKeeper } from '../support/zookeeper.js'
import { ZooKeeperCoordinator } from '../support/zookeeper-coordinator.js'
import { coordinatorContract } from './coordinator-contract.js'

describeWithZooKeeper('real ZooKeeper', (server) => {
  coordinatorContract(
    'real ZooKeeper 3.8 over node-zookeeper-client',
    async () => {
      const coordinator = new ZooKeeperCoordinator(server().connectString)
      return { coordinator, close: () => coordinator.close() }
    },
    // ttl: creating TTL nodes works (zk-start.sh enables extended types); reaping needs clock.
    // frameLimit: the adapter bypasses the library's 1 MiB check, so the server's own limit shows.
    { clock: false, ttl: true, stats: false, frameLimit: true, watcherErrors: true },
  )
})

/**
 * Topic deletion waiting on a replica whose broker's session ends while it is cut off from
 * the controller, and which registers again at once (whole-simulation seed 133). The
 * controller drops the broker's queue, with the StopReplica in it, and must ask again when
 * the broker is back, as Kafka's TopicDeletionManager retries ineligible replicas at their
 * broker's startup.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { CoordinatorClient } from '../../src/coordination/types.js'
import { settle, toController, virtualCluster } from '../cluster/helpers.js'

let cluster: Cluster<VirtualClock> | undefined
let zk: CoordinatorClient | undefined

afterEach(async () => {
  await zk?.close()
  await cluster?.close()
  zk = undefined
  cluster = undefined
})

describe('topic deletion with a replica whose broker registers again', () => {
  it('sends the StopReplica again and completes the deletion', async () => {
    cluster = await virtualCluster(3, { 'zookeeper.session.timeout.ms': 6000 })
    const c = cluster
    zk = c.coordinator.connect()
    const controller = c.controller()
    const replicas = [0, 1, 2].filter((id) => id !== controller)
    const cutOff = replicas[0]!
    const created = await toController(c, 'CreateTopics', {
      topics: [
        {
          name: 'doomed',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partition: 0, brokerIds: replicas }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    })
    expect(created.topics[0]!.error).toBeUndefined()
    await c.clock.advance(100)
    await settle()

    c.network.cut(controller, cutOff)
    await zk.create('/admin/delete_topics/doomed')
    await c.clock.advance(1000)
    await settle()
    expect(await zk.exists('/brokers/topics/doomed')).not.toBeNull()

    // The cut broker's session ends; it registers again before the controller looks.
    const owner = c.coordinator.tree.getNode(`/brokers/ids/${cutOff}`)!.ephemeralOwner
    await c.coordinator.expireSession(owner)
    c.network.heal()
    await c.clock.advance(7000)
    await settle()
    expect(c.coordinator.tree.getNode(`/brokers/ids/${cutOff}`)?.ephemeralOwner).not.toBe(owner)

    expect(await zk.exists('/brokers/topics/doomed')).toBeNull()
    expect(await zk.getChildren('/admin/delete_topics')).toEqual([])
    for (const b of c.brokers) {
      expect(b.replicaHost?.replicas()).toEqual([])
      expect(b.cache.hasTopic('doomed')).toBe(false)
    }
  })
})

/**
 * Topic deletion waiting on a replica whose broker's session ends while it is cut off from
 * the controller, and which registers again at once (whole-simulation seed 133). The
 * controller drops the broker's queue, with the StopReplica in it, and must ask again when
 * the broker is back, as Kafka's TopicDeletionManager retries ineligible replicas at their
 * broker's startup.
 */
import { describe, expect, it } from 'vitest'
import { clusterPerTest, createTopicOn, settle } from '../cluster/helpers.js'

const start = clusterPerTest({ 'zookeeper.session.timeout.ms': 6000 })

describe('topic deletion with a replica whose broker registers again', () => {
  it('sends the StopReplica again and completes the deletion', async () => {
    const { c, zk } = await start(3)
    const controller = c.controller()
    const replicas = [0, 1, 2].filter((id) => id !== controller)
    const cutOff = replicas[0]!
    expect((await createTopicOn(c, 'doomed', replicas)).error).toBeUndefined()
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

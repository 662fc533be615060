/**
 * Topic deletion while a replica's broker is cut off from the controller (Kafka's
 * TopicDeletionManager): the deletion waits for that replica's StopReplica, and a broker
 * failure meanwhile elects no leader for the doomed topic, so no replica that already deleted
 * it gets it back.
 */
import { describe, expect, it } from 'vitest'
import { clusterPerTest, createTopic, settle } from '../cluster/helpers.js'

const start = clusterPerTest({ 'zookeeper.session.timeout.ms': 6000 })

describe('topic deletion with a replica cut off from the controller', () => {
  it('waits for the cut replica and recreates nothing when the leader dies meanwhile', async () => {
    const { c, zk } = await start(4)
    expect((await createTopic(c, 'doomed', 1, 3)).error).toBeUndefined()
    await settle()
    const controller = c.controller()
    const { leader, replicas } = c.topic('doomed').partitions[0]!
    // The victim is the leader; the cut replica is another one; neither is the controller.
    const cutOff = replicas.find((id) => id !== leader && id !== controller)
    expect(leader).not.toBe(controller)
    expect(cutOff).toBeDefined()
    c.network.cut(controller, cutOff!)

    await zk.create('/admin/delete_topics/doomed')
    await c.clock.advance(1000)
    await settle()
    // The cut replica has not answered: the topic stays, marked for deletion.
    expect(await zk.getChildren('/admin/delete_topics')).toEqual(['doomed'])
    expect(await zk.exists('/brokers/topics/doomed')).not.toBeNull()

    c.brokers[leader]!.kill()
    await c.clock.advance(7000)
    await settle()
    c.network.heal()
    await c.clock.advance(1000)
    await settle()

    expect(await zk.getChildren('/admin/delete_topics')).toEqual([])
    expect(await zk.exists('/brokers/topics/doomed')).toBeNull()
    for (const b of c.brokers.filter((b) => b.alive)) {
      expect(b.replicaHost?.replicas()).toEqual([])
      expect(b.cache.hasTopic('doomed')).toBe(false)
    }
  })
})

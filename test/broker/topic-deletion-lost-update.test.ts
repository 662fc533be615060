/**
 * A deletion's UpdateMetadata that never reaches a broker: the controller finished the
 * deletion and queued `deletedTopics` for every broker, then died before the queue to a
 * broker it could not reach drained (whole-simulation seeds 713, 742, 865: a slow broker).
 * The next controller's full UpdateMetadata makes that broker's cache its own view, so the
 * deleted topic goes from it too.
 */
import { describe, expect, it } from 'vitest'
import { clusterPerTest, createTopicOn, settle } from '../cluster/helpers.js'

const start = clusterPerTest({ 'zookeeper.session.timeout.ms': 6000 })

describe('a deletion whose UpdateMetadata is lost with its controller', () => {
  it("leaves no broker's cache with the topic once a new controller sends its full state", async () => {
    const { c, zk } = await start(3)
    const controller = c.controller()
    const [replica, unreached] = [0, 1, 2].filter((id) => id !== controller) as [number, number]
    expect((await createTopicOn(c, 'doomed', [replica])).error).toBeUndefined()
    await c.clock.advance(100)
    await settle()
    expect(c.brokers[unreached]!.cache.hasTopic('doomed')).toBe(true)

    // The replica answers StopReplica; the broker outside it never hears of the deletion.
    c.network.cut(controller, unreached)
    await zk.create('/admin/delete_topics/doomed')
    await c.clock.advance(1000)
    await settle()
    expect(await zk.exists('/brokers/topics/doomed')).toBeNull()
    expect(c.brokers[unreached]!.cache.hasTopic('doomed')).toBe(true)

    // The controller dies with that UpdateMetadata still queued; another one takes over.
    c.brokers[controller]!.kill()
    c.network.heal()
    await c.clock.advance(7000)
    await settle()
    expect([replica, unreached]).toContain(c.controller())

    for (const b of c.brokers.filter((b) => b.alive)) {
      expect(b.cache.hasTopic('doomed')).toBe(false)
    }
    expect(() => c.topic('doomed')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_TOPIC_OR_PARTITION' }),
    )
  })

  it('drops the topic from a broker whose session ended while it was unreachable', async () => {
    const { c, zk } = await start(3)
    const controller = c.controller()
    const [replica, unreached] = [0, 1, 2].filter((id) => id !== controller) as [number, number]
    expect((await createTopicOn(c, 'doomed', [replica])).error).toBeUndefined()
    await c.clock.advance(100)
    await settle()
    c.network.cut(controller, unreached)
    await zk.create('/admin/delete_topics/doomed')
    await c.clock.advance(1000)
    await settle()
    expect(c.brokers[unreached]!.cache.hasTopic('doomed')).toBe(true)

    // The controller drops the broker's queue when its session ends, and sends it its full
    // state when it registers again; the broker itself never restarted.
    const owner = c.coordinator.tree.getNode(`/brokers/ids/${unreached}`)!.ephemeralOwner
    await c.coordinator.expireSession(owner)
    c.network.heal()
    await c.clock.advance(7000)
    await settle()
    expect(c.coordinator.tree.getNode(`/brokers/ids/${unreached}`)?.ephemeralOwner).not.toBe(owner)
    expect(c.brokers[unreached]!.cache.hasTopic('doomed')).toBe(false)
  })

  it('keeps the topics a full UpdateMetadata carries and their partitions', async () => {
    const { c } = await start(3)
    const controller = c.controller()
    const others = [0, 1, 2].filter((id) => id !== controller)
    expect((await createTopicOn(c, 'kept', others)).error).toBeUndefined()
    await c.clock.advance(100)
    await settle()
    c.brokers[controller]!.kill()
    await c.clock.advance(7000)
    await settle()
    for (const b of c.brokers.filter((b) => b.alive)) {
      expect(b.cache.partitions('kept')?.map((p) => p.replicas)).toEqual([others])
    }
  })
})

/**
 * A deletion's UpdateMetadata that never reaches a broker: the controller finished the
 * deletion and queued `deletedTopics` for every broker, then died before the queue to a
 * broker it could not reach drained (whole-simulation seeds 713, 742, 865: a slow broker).
 * The next controller's full UpdateMetadata makes that broker's cache its own view, so the
 * deleted topic goes from it too.
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

/** Create `name` with one partition on `replicas` through the controller. */
async function createOn(c: Cluster, name: string, replicas: number[]): Promise<void> {
  const r = await toController(c, 'CreateTopics', {
    topics: [
      {
        name,
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partition: 0, brokerIds: replicas }],
      },
    ],
    timeoutMs: 5000,
    validateOnly: false,
  })
  expect(r.topics[0]!.error).toBeUndefined()
}

describe('a deletion whose UpdateMetadata is lost with its controller', () => {
  it("leaves no broker's cache with the topic once a new controller sends its full state", async () => {
    cluster = await virtualCluster(3, { 'zookeeper.session.timeout.ms': 6000 })
    const c = cluster
    zk = c.coordinator.connect()
    const controller = c.controller()
    const [replica, unreached] = [0, 1, 2].filter((id) => id !== controller) as [number, number]
    await createOn(c, 'doomed', [replica])
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
    cluster = await virtualCluster(3, { 'zookeeper.session.timeout.ms': 6000 })
    const c = cluster
    zk = c.coordinator.connect()
    const controller = c.controller()
    const [replica, unreached] = [0, 1, 2].filter((id) => id !== controller) as [number, number]
    await createOn(c, 'doomed', [replica])
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
    cluster = await virtualCluster(3, { 'zookeeper.session.timeout.ms': 6000 })
    const c = cluster
    const controller = c.controller()
    const others = [0, 1, 2].filter((id) => id !== controller)
    await createOn(c, 'kept', others)
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

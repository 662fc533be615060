/** `cluster.topic()` names the leader of the newest leader epoch any live broker knows. */
import { expect, it } from 'vitest'
import { clusterPerTest, createTopic, settle } from './helpers.js'

const start = clusterPerTest({ 'zookeeper.session.timeout.ms': 6000 })

it('prefers the newest leader epoch to a stale cache, even the controller’s', async () => {
  const { c } = await start(3)
  expect((await createTopic(c, 't', 1, 3)).error).toBeUndefined()
  await settle()
  const first = c.topic('t').partitions[0]!.leader
  c.brokers[first]!.kill()
  await c.clock.advance(7000)
  await settle()
  const second = c.topic('t').partitions[0]!.leader
  expect(second).not.toBe(first)
  await c.brokers[first]!.restart()
  await c.clock.advance(1000)
  await settle()
  // The controller's cache goes back to the first epoch (an UpdateMetadata that came late, a
  // controller that lost its seat): the view still names the newest leader.
  const controller = c.brokers[c.controller()]!
  const current = controller.cache.partition('t', 0)!
  expect(current.leaderEpoch).toBeGreaterThan(0)
  controller.cache.update({
    controllerId: controller.id,
    controllerEpoch: 0,
    liveBrokers: controller.cache.liveBrokers,
    partitionStates: [{ ...current, leader: first, leaderEpoch: 0 }],
    deletedTopics: [],
  })
  expect(controller.cache.partition('t', 0)?.leader).toBe(first)
  expect(c.topic('t').partitions[0]!.leader).toBe(second)
})

/**
 * logkeeper as a unit-test fixture: the app of order-service.ts against a three-broker cluster
 * in this process, under a virtual clock, with the leader of the orders' partition killed
 * halfway. `npm test` runs this file; nothing waits a real millisecond.
 */
import { type Cluster, createCluster, type VirtualClock } from 'logkeeper'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { CustomerTotals, OrderService } from './order-service.js'

let cluster: Cluster<VirtualClock>

beforeEach(async () => {
  cluster = await createCluster({
    brokers: 3,
    clock: 'virtual',
    seed: 1,
    config: { 'min.insync.replicas': 2, 'group.initial.rebalance.delay.ms': 0 },
  })
  await cluster.admin().createTopics({
    topics: [{ topic: 'orders', numPartitions: 1, replicationFactor: 3 }],
  })
})

afterEach(() => cluster.close())

it('keeps every acknowledged order and every total when the partition leader dies', async () => {
  const service = new OrderService(cluster)
  const totals = new CustomerTotals(cluster)
  await totals.start()

  await service.placeOrder({ id: 'o1', customer: 'alice', amount: 10 })
  await service.placeOrder({ id: 'o2', customer: 'bob', amount: 5 })

  // The leader crashes; its session expires after zookeeper.session.timeout.ms (18 s).
  const leader = cluster.topic('orders').partitions[0]?.leader ?? -1
  cluster.brokers[leader]?.kill()
  // The producer backs off, refreshes its metadata and sends to the new leader: let virtual
  // time pass only as far as that needs.
  await cluster.clock.runUntil(service.placeOrder({ id: 'o3', customer: 'alice', amount: 7 }))
  expect(cluster.topic('orders').partitions[0]?.leader).not.toBe(leader)

  // The consumer follows the new leader too.
  await cluster.clock.runUntil(
    (async () => {
      while (totals.seen.size < 3) await cluster.clock.sleep(100)
    })(),
  )
  expect(Object.fromEntries(totals.totals)).toEqual({ alice: 17, bob: 5 })
  expect(cluster.topic('orders').partitions[0]?.highWatermark).toBe(3)

  await totals.close()
  await service.close()
})

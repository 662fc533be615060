/** Shared helpers of the consumer tests: a three-broker virtual-clock cluster, consumers, produce. */

import { afterEach } from 'vitest'
import { ClusterClient } from '../../src/client/cluster-client.js'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import { Consumer } from '../../src/consumer/consumer.js'
import type { ConsumerOptions } from '../../src/consumer/options.js'
import type { ConsumerRecord } from '../../src/consumer/types.js'

/**
 * Call once at the top of a test file: each test's cluster (from {@link groupCluster}) and the
 * consumers it tracks are disconnected and closed after the test.
 */
export function perTest() {
  let cluster: Cluster<VirtualClock> | undefined
  const consumers: Consumer[] = []
  afterEach(async () => {
    for (const c of consumers.splice(0)) await cluster?.clock.runUntil(c.disconnect())
    await cluster?.close()
    cluster = undefined
  })
  return {
    /** A fresh cluster for this test. */
    async cluster(seed?: number): Promise<Cluster<VirtualClock>> {
      cluster = await groupCluster(seed)
      return cluster
    },
    /** Disconnect `consumer` after the test. */
    track<T extends Consumer>(consumer: T): T {
      consumers.push(consumer)
      return consumer
    },
  }
}

/** The cluster of every consumer test. */
export function groupCluster(seed = 7): Promise<Cluster<VirtualClock>> {
  return createCluster({
    brokers: 3,
    clock: 'virtual',
    seed,
    config: {
      'group.initial.rebalance.delay.ms': 0,
      'offsets.topic.replication.factor': 3,
      'offsets.topic.num.partitions': 5,
    },
  })
}

let n = 0

/** A consumer on its own cluster client (until `cluster.consumer()` is wired). */
export function consumerOf(
  cluster: Cluster<VirtualClock>,
  options: ConsumerOptions = {},
): Consumer {
  const clientId = `test-consumer-${++n}`
  const client = new ClusterClient({
    clientId,
    transport: cluster.transport,
    clock: cluster.clock,
    bootstrap: cluster.brokers.map((b) => b.id),
  })
  return new Consumer({ client, clock: cluster.clock, options: { clientId, ...options } })
}

/** Create a topic and produce `count` keyless values `v0..` spread over its partitions. */
export async function topicWith(
  cluster: Cluster<VirtualClock>,
  topic: string,
  partitions: number,
  count: number,
): Promise<void> {
  await cluster
    .admin()
    .createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }] })
  await produce(cluster, topic, count, partitions)
}

/** Produce `count` values round-robin over the partitions (`<prefix><i>`). */
export async function produce(
  cluster: Cluster<VirtualClock>,
  topic: string,
  count: number,
  partitions: number,
  prefix = 'v',
  from = 0,
): Promise<void> {
  const producer = cluster.producer()
  const messages = Array.from({ length: count }, (_, i) => ({
    value: `${prefix}${from + i}`,
    partition: (from + i) % partitions,
  }))
  await cluster.clock.runUntil(producer.send({ topic, messages }))
  await producer.disconnect()
}

/** Collect records seen by `eachMessage` until `count` arrived. */
export function collector() {
  const seen: ConsumerRecord[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  return {
    seen,
    push(r: ConsumerRecord) {
      seen.push(r)
      for (const w of [...waiters]) {
        if (seen.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve()
        }
      }
    },
    until(count: number): Promise<void> {
      if (seen.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
  }
}

/** Values of records, sorted. */
export function values(records: readonly ConsumerRecord[]): string[] {
  return records.map((r) => r.value?.toString() ?? '').sort()
}

/** Resolve when `emitter` emits `event` (the payload). */
export function once<T>(
  emitter: { once(e: string, f: (x: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve))
}

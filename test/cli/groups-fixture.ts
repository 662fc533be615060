/**
 * A data directory with a consumer group in it, for the `consumer-groups` tests: three
 * brokers, topics t01 (3 partitions: 5, 3 and 2 records) and t02 (1 partition: 4 records), and
 * group g01 (client id `active-consumer`) subscribed to both, which commits t01-0=2, t01-1=3,
 * t02-0=1 (nothing for t01-2). Then either the member leaves (the group is Empty) or it is cut
 * off before the directory closes, so the group is stored Stable with its member, as after a
 * crash: a reopened coordinator holds that member until its session times out (45 s), longer
 * than a command runs.
 */

import type { Cluster } from '../../src/cluster.js'
import { createCluster } from '../../src/cluster.js'

/** The committed offsets the fixture leaves, by `topic-partition`. */
export const COMMITTED = { 't01-0': 2, 't01-1': 3, 't02-0': 1 } as const

/** The records of each partition, by `topic-partition`. */
export const RECORDS = { 't01-0': 5, 't01-1': 3, 't01-2': 2, 't02-0': 4 } as const

const GROUP = 'g01'

/** Poll `ready` every 20 ms for up to 10 s (a real-clock cluster: no virtual time to run). */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ready()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function produce(cluster: Cluster): Promise<void> {
  const admin = cluster.admin()
  await admin.createTopics({
    topics: [
      { topic: 't01', numPartitions: 3, replicationFactor: 2 },
      { topic: 't02', numPartitions: 1, replicationFactor: 3 },
    ],
  })
  const producer = cluster.producer()
  for (const [tp, count] of Object.entries(RECORDS)) {
    const [topic, partition] = tp.split('-') as [string, string]
    const messages = Array.from({ length: count }, (_, i) => ({
      value: `${tp}:${i}`,
      partition: Number(partition),
    }))
    await producer.send({ topic, messages })
  }
  await producer.disconnect()
}

/**
 * Fill `dir` as the file comment says; `leave` says whether the member leaves the group
 * before the directory closes.
 */
export async function prepareGroupDir(dir: string, leave: boolean): Promise<void> {
  const cluster = await createCluster({
    dataDir: dir,
    brokers: 3,
    config: { 'group.initial.rebalance.delay.ms': 0 },
  })
  try {
    await produce(cluster)
    const consumer = cluster.consumer({
      groupId: GROUP,
      clientId: 'active-consumer',
      autoCommit: false,
    })
    await consumer.subscribe({ topics: ['t01', 't02'], fromBeginning: true })
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined })
    await until(() => consumer.assignment().length === 4, 'the assignment')
    await consumer.commitOffsets(
      Object.entries(COMMITTED).map(([tp, offset]) => {
        const [topic, partition] = tp.split('-') as [string, string]
        return { topic, partition: Number(partition), offset }
      }),
    )
    if (leave) {
      // The group's Empty record is stored after LeaveGroup is answered; close() waits for it.
      await consumer.disconnect()
    } else {
      cluster.network.isolate('active-consumer')
    }
  } finally {
    await cluster.close()
  }
}

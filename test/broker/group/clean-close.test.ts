/**
 * A clean close keeps what a consumer group's coordinator has been told. When the last member
 * leaves, the coordinator writes the group's Empty record to `__consumer_offsets` after it
 * has answered the LeaveGroup (Kafka's onCompleteJoin → storeGroup). `cluster.close()` used to
 * close the brokers under that append (and its followers under its acks=-1 wait), so a
 * reopened directory brought the group back Stable with members that were gone, and
 * `resetOffsets` was refused until their sessions expired (45 s). A clean close now drains
 * the coordinators' appends first, while every broker still replicates.
 *
 * Real-clock clusters (the consumers run as users run them); "at once" means well inside the
 * 45 s session timeout of the members.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, createCluster } from '../../../src/cluster.js'
import type { Consumer } from '../../../src/consumer/consumer.js'

const GROUP = 'g'
const TOPIC = 't'
const PARTITIONS = 2
const RECORDS_PER_PARTITION = 3

const dirs: string[] = []
const open: Cluster[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

interface Shape {
  readonly brokers: number
  readonly rf: number
  readonly consumers: number
}

async function openCluster(dataDir: string, shape: Shape): Promise<Cluster> {
  const cluster = await createCluster({
    dataDir,
    brokers: shape.brokers,
    config: {
      'group.initial.rebalance.delay.ms': 0,
      'offsets.topic.num.partitions': 3,
      'offsets.topic.replication.factor': shape.rf,
    },
  })
  open.push(cluster)
  return cluster
}

/** Real time passes (a real-clock cluster) until `ready`; bounded. */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (ready()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A topic with records, and a group whose consumers read all of them and committed. */
async function consumeAndCommit(cluster: Cluster, shape: Shape): Promise<Consumer[]> {
  await cluster.admin().createTopics({
    topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: shape.rf }],
  })
  const producer = cluster.producer()
  for (let p = 0; p < PARTITIONS; p++) {
    const messages = Array.from({ length: RECORDS_PER_PARTITION }, (_, i) => ({
      value: `${p}:${i}`,
      partition: p,
    }))
    await producer.send({ topic: TOPIC, messages })
  }
  await producer.disconnect()
  const consumers: Consumer[] = []
  let seen = 0
  for (let i = 0; i < shape.consumers; i++) {
    const consumer = cluster.consumer({
      groupId: GROUP,
      clientId: `c${i}`,
      autoCommit: false,
      heartbeatIntervalMs: 100,
    })
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        seen++
        await consumer.commitOffsets([
          { topic, partition, offset: String(Number(message.offset) + 1) },
        ])
      },
    })
    consumers.push(consumer)
  }
  // Every consumer owns a partition: the group's last generation is stored with all of them.
  await until(
    () =>
      consumers.every((c) => c.assignment().length > 0) &&
      consumers.reduce((n, c) => n + c.assignment().length, 0) === PARTITIONS,
    'the assignment',
  )
  await until(() => seen >= PARTITIONS * RECORDS_PER_PARTITION, 'every record')
  return consumers
}

async function committed(cluster: Cluster): Promise<(string | null)[]> {
  const [offsets] = await cluster.admin().fetchOffsets({ groupId: GROUP, topics: [TOPIC] })
  return offsets!.partitions
    .slice()
    .sort((a, b) => a.partition - b.partition)
    .map((p) => p.offset)
}

const SHAPES: Shape[] = [
  { brokers: 1, rf: 1, consumers: 1 },
  { brokers: 1, rf: 1, consumers: 2 },
  { brokers: 3, rf: 1, consumers: 2 },
  { brokers: 3, rf: 3, consumers: 1 },
  { brokers: 3, rf: 3, consumers: 2 },
]

describe('a clean close of a disk-mode cluster keeps the group as its members left it', () => {
  for (const shape of SHAPES) {
    const name = `${shape.brokers} broker(s), offsets rf ${shape.rf}, ${shape.consumers} consumer(s)`
    it(`${name}: disconnected consumers leave an Empty group with its offsets`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-clean-close-'))
      dirs.push(dataDir)
      const first = await openCluster(dataDir, shape)
      const consumers = await consumeAndCommit(first, shape)
      for (const c of consumers) await c.disconnect()
      await first.close()
      open.splice(open.indexOf(first), 1)

      const again = await openCluster(dataDir, shape)
      const admin = again.admin()
      const [group] = await admin.describeGroups([GROUP])
      expect(group).toMatchObject({ groupId: GROUP, state: 'Empty', members: [] })
      expect(await committed(again)).toEqual(Array(PARTITIONS).fill(String(RECORDS_PER_PARTITION)))
      const reset = await admin.resetOffsets({ groupId: GROUP, topic: TOPIC, earliest: true })
      expect(reset.map((r) => r.offset)).toEqual(Array(PARTITIONS).fill('0'))
    })
  }

  it('disconnects the consumers still running when the cluster closes: the group is Empty', async () => {
    const shape = { brokers: 3, rf: 3, consumers: 2 }
    const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-clean-close-'))
    dirs.push(dataDir)
    const first = await openCluster(dataDir, shape)
    await consumeAndCommit(first, shape)
    await first.close()
    open.splice(open.indexOf(first), 1)

    const again = await openCluster(dataDir, shape)
    const [group] = await again.admin().describeGroups([GROUP])
    expect(group).toMatchObject({ groupId: GROUP, state: 'Empty', members: [] })
  })
})

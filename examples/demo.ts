/**
 * The logkeeper demo: `npm run demo`.
 *
 * 1. A partition log persisted as Kafka's own segment files: append record batches, look at
 *    the files, reopen the directory and read everything back.
 * 2. A coordinator with ZooKeeper's semantics under a virtual clock: workers register as
 *    ephemeral nodes, a master watches them, a worker's session expires and the master sees
 *    it go, all without waiting a single real millisecond.
 * 3. A cluster of three brokers: a topic with three partitions and two replicas each, keyed
 *    records landing where Kafka's Java client would put them, a broker killed, and its
 *    partitions led by the survivors once its session expires.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Admin,
  createCluster,
  createCoordinator,
  decodeRecordBatch,
  encodeRecordBatch,
  isLogkeeperError,
  openDataDir,
  PartitionLog,
  RealClock,
  VirtualClock,
} from 'logkeeper'

const say = (line = '') => console.log(line)

async function partitionLogOnDisk(dir: string): Promise<void> {
  say("== 1. A partition log on disk, in Kafka's segment format")
  const topicPartition = { topic: 'orders', partition: 0 }
  const config = { 'segment.bytes': 300 } // tiny segments, so that the log rolls
  const clock = new RealClock()

  let data = await openDataDir(dir)
  let log = await PartitionLog.open({
    topicPartition,
    store: await data.logs.openPartition(topicPartition),
    clock,
    config,
  })
  for (let i = 1; i <= 6; i++) {
    const batch = encodeRecordBatch({
      baseOffset: 0n,
      records: [
        {
          key: `customer-${i % 3}`,
          value: JSON.stringify({ order: i, total: 10 * i }),
          headers: { source: 'demo' },
        },
        { key: `customer-${(i + 1) % 3}`, value: JSON.stringify({ order: i + 100 }) },
      ],
    })
    const info = await log.appendDurable(batch) // fsync'd when this resolves
    say(`appended offsets ${info.baseOffset}..${info.lastOffset}`)
  }
  await log.close()
  await data.close()

  const partitionDir = join(dir, 'logs', 'orders-0')
  say(`\nfiles in ${partitionDir}:`)
  for (const name of (await readdir(partitionDir)).sort()) {
    say(`  ${name.padEnd(32)} ${(await stat(join(partitionDir, name))).size} bytes`)
  }

  data = await openDataDir(dir)
  log = await PartitionLog.open({
    topicPartition,
    store: await data.logs.openPartition(topicPartition),
    clock,
    config,
  })
  say(
    `\nreopened: log start ${log.logStartOffset}, log end ${log.logEndOffset}, ${log.segmentBaseOffsets.length} segments`,
  )
  let offset = log.logStartOffset
  while (offset < log.logEndOffset) {
    const read = await log.read(offset, { maxBytes: 1 })
    for (const record of decodeRecordBatch(read.bytes).records) {
      say(`  offset ${record.offset}  ${record.key?.toString()}  ${record.value?.toString()}`)
    }
    offset = read.nextOffset
  }
  try {
    await log.read(log.logEndOffset + 5)
  } catch (err) {
    if (isLogkeeperError(err))
      say(`reading past the end: ${err.code} (Kafka error ${err.kafkaCode})`)
  }
  await log.close()
  await data.close()
}

async function coordinatorUnderVirtualTime(): Promise<void> {
  say('\n== 2. A coordinator with ZooKeeper semantics, under a virtual clock')
  const clock = new VirtualClock()
  const coordinator = await createCoordinator({ clock })
  const master = coordinator.connect({ sessionTimeoutMs: 10_000 })
  const workers = ['w1', 'w2', 'w3'].map(() => coordinator.connect({ sessionTimeoutMs: 6_000 }))

  await master.create('/workers', '')
  for (const [i, worker] of workers.entries()) {
    const { path, stat } = await worker.create(`/workers/w${i + 1}`, `host-${i + 1}:8888`, {
      mode: 'ephemeral',
    })
    say(`${path} registered by session 0x${worker.sessionId.toString(16)} (czxid ${stat.czxid})`)
  }

  const watchWorkers = async (): Promise<void> => {
    const children = await master.getChildren('/workers', {
      watch: (event) => {
        say(`  watch fired at +${clock.now() - start} ms: ${event.type} ${event.path}`)
        void watchWorkers()
      },
    })
    say(`master sees workers: ${children.sort().join(', ')}`)
  }
  const start = clock.now()
  await watchWorkers()

  try {
    await master.create('/workers', '')
  } catch (err) {
    if (isLogkeeperError(err))
      say(`creating /workers again: ${err.code} (ZooKeeper ${err.zookeeperCode})`)
  }

  say('\nw2 stops heartbeating (its process hangs); w3 closes cleanly:')
  workers[1]?.pauseHeartbeats()
  await workers[2]?.close()
  await clock.advance(20_000) // 20 virtual seconds, instantly
  say(`w2's session is ${workers[1]?.state}; stats: ${JSON.stringify(coordinator.stats())}`)

  await master.close()
  await workers[0]?.close()
  await coordinator.close()
}

async function describe(admin: Admin, topic: string): Promise<void> {
  // The layout of `kafka-topics --describe`.
  for (const t of await admin.describeTopics({ topics: [topic] })) {
    for (const p of t.partitions) {
      say(
        `  Topic: ${t.name}\tPartition: ${p.partition}\tLeader: ${p.leader}\t` +
          `Replicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`,
      )
    }
  }
}

async function aClusterOfThreeBrokers(): Promise<void> {
  say('\n== 3. A cluster of three brokers, under a virtual clock')
  await using cluster = await createCluster({ brokers: 3, clock: 'virtual', seed: 42 })
  const admin = cluster.admin()
  await admin.createTopics({
    topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 2 }],
  })
  await describe(admin, 'orders')

  const producer = cluster.producer({ acks: 'all', idempotent: true })
  for (const customer of ['alice', 'bob', 'carol', 'alice']) {
    const [sent] = await producer.send({
      topic: 'orders',
      messages: [{ key: customer, value: JSON.stringify({ customer, total: 10 }) }],
    })
    say(`order of ${customer} -> partition ${sent?.partition}, offset ${sent?.baseOffset}`)
  }

  const zk = cluster.coordinator.connect()
  say(`zk ls /brokers/ids: [${(await zk.getChildren('/brokers/ids')).sort().join(', ')}]`)
  const victim = cluster.topic('orders').partitions[0]?.leader ?? 0
  say(`\nbroker ${victim} crashes; its session expires 18 virtual seconds later:`)
  cluster.brokers[victim]?.kill()
  await cluster.clock.advance(20_000)
  say(`zk ls /brokers/ids: [${(await zk.getChildren('/brokers/ids')).sort().join(', ')}]`)
  await describe(admin, 'orders')
  // The producer's metadata still names the dead broker: it backs off, refreshes and re-routes.
  // runUntil lets virtual time pass only as far as that needs.
  const [again] = await cluster.clock.runUntil(
    producer.send({ topic: 'orders', messages: [{ key: 'bob', value: '{}' }] }),
  )
  say(
    `order of bob -> partition ${again?.partition}, offset ${again?.baseOffset} (acks=all, 1 replica left in the ISR)`,
  )
  const p = cluster.topic('orders').partitions[again?.partition ?? 0]
  say(`partition ${p?.id}: leader ${p?.leader}, high watermark ${p?.highWatermark}`)
  await zk.close()
}

const dir = await mkdtemp(join(tmpdir(), 'logkeeper-demo-'))
try {
  await partitionLogOnDisk(dir)
  await coordinatorUnderVirtualTime()
  await aClusterOfThreeBrokers()
} finally {
  await rm(dir, { recursive: true, force: true })
}

/**
 * The child process of the crash tests (kill-writer.ts runs it under tsx and SIGKILLs it). It
 * opens a disk-mode cluster on the directory it is given, continuing from what is there, and
 * writes until it is killed: a plain and an idempotent producer (acks=all), a coordinator
 * client (persistent and sequential creates, sets) and a consumer group that commits what it
 * polls. Every acknowledgement is printed as one JSON line ({@link Ack}) the moment it is
 * known, with a synchronous write to fd 1: a line printed is a promise made, and nothing
 * acknowledged can wait in a buffer when the kill comes.
 *
 * With `selfKill` N it kills itself with SIGKILL right after printing its Nth acknowledgement,
 * in the same turn of the event loop: the sharpest moment for a promise to be broken.
 *
 * Usage: node --import tsx test/crash/writer.ts <dataDir> <brokers> <seed> <run> <fsync|default> [selfKill]
 */
import { writeSync } from 'node:fs'
import { type Cluster, createCluster } from '../../src/cluster.js'
import { type ErrorCode, isLogkeeperError } from '../../src/common/errors.js'
import { createRandom, type Random } from '../../src/common/random.js'
import type { CoordinatorClient } from '../../src/coordination/types.js'
import type { Producer } from '../../src/producer/producer.js'
import { type Ack, CRASH_GROUP, CRASH_TOPIC, clusterConfig, PARTITIONS, ZK_ROOT } from './ledger.js'

const [dataDir, brokersArg, seedArg, runArg, mode, selfKillArg] = process.argv.slice(2)
const brokers = Number(brokersArg)
const run = Number(runArg)
const selfKill = Number(selfKillArg ?? 0)
if (!dataDir || !(brokers >= 1) || !Number.isSafeInteger(Number(seedArg)) || !(run >= 0)) {
  throw new Error('usage: writer.ts <dataDir> <brokers> <seed> <run> <fsync|default> [selfKill]')
}

let printed = 0
function say(line: Ack | { kind: 'ready' }): void {
  writeAll(Buffer.from(`${JSON.stringify(line)}\n`))
  if (line.kind !== 'ready' && ++printed === selfKill) process.kill(process.pid, 'SIGKILL')
}

/** Write all of `bytes` to stdout now; a full pipe (EAGAIN) is waited out, not buffered. */
function writeAll(bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(1, bytes, at)
    } catch (err) {
      if ((err as { code?: string }).code !== 'EAGAIN') throw err
    }
  }
}

const cluster = await createCluster({
  dataDir,
  brokers,
  seed: Number(seedArg),
  config: clusterConfig(brokers),
  ...(mode === 'fsync' ? { durability: { flushMessages: 1 } } : {}),
})
const random = createRandom(Number(seedArg))
await createTopicOnce(cluster)
const zk = cluster.coordinator.connect()
await ignore(zk.create(ZK_ROOT, ''), 'NODE_EXISTS')
await ignore(zk.create(`${ZK_ROOT}/seq`, ''), 'NODE_EXISTS')
await ignore(zk.create(`${ZK_ROOT}/state`, ''), 'NODE_EXISTS')
say({ kind: 'ready' })

const plain = cluster.producer({ clientId: `plain-${run}` })
const idempotent = cluster.producer({ clientId: `idem-${run}`, idempotent: true })
await Promise.all([
  produceLoop(plain, 'plain', random.fork('plain-a'), 'a'),
  produceLoop(plain, 'plain', random.fork('plain-b'), 'b'),
  produceLoop(idempotent, 'idem', random.fork('idem-a'), 'a'),
  produceLoop(idempotent, 'idem', random.fork('idem-b'), 'b'),
  coordinatorLoop(zk),
  consumeLoop(cluster),
])

async function createTopicOnce(c: Cluster): Promise<void> {
  const topics = [
    {
      topic: CRASH_TOPIC,
      numPartitions: PARTITIONS,
      replicationFactor: brokers,
      configs: { 'segment.bytes': 2048 },
    },
  ]
  await ignore(c.admin().createTopics({ topics }), 'TOPIC_ALREADY_EXISTS')
}

/** Send 1-3 values at a time to one partition, forever, printing each record acknowledged. */
async function produceLoop(p: Producer, name: string, r: Random, loop: string): Promise<never> {
  for (let n = 0; ; n++) {
    const partition = r.int(PARTITIONS)
    const values = Array.from({ length: 1 + r.int(3) }, (_, i) => `${name}-${run}-${loop}${n}.${i}`)
    const [meta] = await p.send({
      topic: CRASH_TOPIC,
      messages: values.map((value) => ({ value, partition })),
    })
    const base = Number(meta?.baseOffset)
    values.forEach((value, i) => {
      say({ kind: 'record', producer: name, partition, offset: base + i, value })
    })
  }
}

/** Create persistent and sequential znodes and set one, forever, printing each write acknowledged. */
async function coordinatorLoop(client: CoordinatorClient): Promise<never> {
  for (let n = 0; ; n++) {
    const data = `r${run}-${n}`
    const plainPath = `${ZK_ROOT}/n-${run}-${n}`
    await client.create(plainPath, data)
    say({ kind: 'znode', path: plainPath, data })
    const { path } = await client.create(`${ZK_ROOT}/seq/s-`, data, {
      mode: 'persistent-sequential',
    })
    say({ kind: 'znode', path, data })
    const stat = await client.setData(`${ZK_ROOT}/state`, data)
    say({ kind: 'set', path: `${ZK_ROOT}/state`, data, version: stat.version })
  }
}

/** Poll the topic in a group and commit every position reached, printing each commit acknowledged. */
async function consumeLoop(c: Cluster): Promise<never> {
  const consumer = c.consumer({
    groupId: CRASH_GROUP,
    groupInstanceId: 'crash-writer',
    autoCommit: false,
    autoOffsetReset: 'earliest',
    sessionTimeoutMs: 6000,
    maxWaitTimeMs: 50,
  })
  await consumer.subscribe({ topics: [CRASH_TOPIC], fromBeginning: true })
  for (;;) {
    const records = await consumer.poll({ timeoutMs: 100 })
    const next = new Map<number, number>()
    for (const r of records) next.set(r.partition, Number(r.offset) + 1)
    if (next.size === 0) continue
    const offsets = [...next].map(([partition, offset]) => ({
      topic: CRASH_TOPIC,
      partition,
      offset: String(offset),
    }))
    await consumer.commitOffsets(offsets)
    for (const [partition, offset] of next) say({ kind: 'commit', partition, offset })
  }
}

/** Await `p`, taking an error of code `code` (the thing exists already) as done. */
async function ignore(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  try {
    await p
  } catch (err) {
    if (!isLogkeeperError(err, code)) throw err
  }
}

/**
 * `npm run soak [-- --minutes 5]`: a long run of steady work on one in-memory cluster (3
 * brokers, real clock), sampled every 10 s, that shows memory flat once retention applies and
 * nothing left behind after `cluster.close()`:
 *
 * - a producer writes 200 B records with acks=all to a topic of 6 partitions (replication
 *   factor 3, 256 KiB segments, 1 MiB retained per partition, retention checked every 2 s);
 * - a group of 3 consumers reads everything (`eachBatch`); every 20 s one of them leaves and a
 *   new one joins (two rebalances), so partitions move all the time;
 * - 4 clients take turns on one lock; a second holder at any moment is a failure.
 *
 * Each sample prints heap plus Buffers after a full GC, rss, records produced and consumed, the group's lag
 * and the process's active handles. At the end it checks that the heap of the last third of the
 * run is no more than 25% above that of the first third, that no record was consumed that was
 * never produced, that the lock never had two holders, and that after `close()` no timer or
 * handle of the cluster is left: the process then exits by itself (exit status 1 on a failed
 * check). The figures go to docs/benchmarks.md.
 */
import { createCluster } from '../src/cluster.js'
import type { Consumer } from '../src/consumer/consumer.js'

const minutes = Number(argValue('minutes') ?? 5)
const SAMPLE_MS = 10_000
const CHURN_MS = 20_000
const TOPIC = 'soak'
const PARTITIONS = 6
const VALUE = Buffer.alloc(200, 'x')

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

/** The V8 heap plus the memory of Buffers (where the logs' bytes live), after a full GC. */
function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const m = process.memoryUsage()
  return (m.heapUsed + m.external) / 2 ** 20
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Sample {
  readonly second: number
  readonly heapMB: number
  readonly rssMB: number
  readonly produced: number
  readonly consumed: number
  readonly lag: number
  readonly handles: number
  readonly lockTurns: number
}

async function main(): Promise<void> {
  const handlesBefore = process.getActiveResourcesInfo().length
  const cluster = await createCluster({
    brokers: 3,
    seed: 3,
    config: {
      'group.initial.rebalance.delay.ms': 0,
      'log.retention.check.interval.ms': 2000,
    },
  })
  const admin = cluster.admin()
  await admin.createTopics({
    topics: [
      {
        topic: TOPIC,
        numPartitions: PARTITIONS,
        replicationFactor: 3,
        configs: { 'segment.bytes': 256 * 1024, 'retention.bytes': 1024 * 1024 },
      },
    ],
  })
  const failures: string[] = []
  let running = true
  let produced = 0
  let consumed = 0
  let lockTurns = 0

  const producer = cluster.producer({ acks: -1, lingerMs: 5 })
  const produceLoop = (async () => {
    while (running) {
      const messages = Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: VALUE }))
      await producer.send({ topic: TOPIC, messages })
      produced += messages.length
      await sleep(1)
    }
  })()

  const startConsumer = async (): Promise<Consumer> => {
    const c = cluster.consumer({ groupId: 'soak', autoOffsetReset: 'earliest' })
    await c.subscribe({ topics: [TOPIC] })
    await c.run({
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length
      },
    })
    return c
  }
  const consumers = [await startConsumer(), await startConsumer(), await startConsumer()]

  let holders = 0
  const lockLoop = async (n: number) => {
    const lock = cluster.lock('/soak/lock')
    while (running) {
      const held = await lock.acquire({ timeoutMs: 30_000 })
      if (++holders > 1) failures.push(`lock: two holders at once (client ${n})`)
      lockTurns++
      await sleep(5)
      holders--
      await held.release()
    }
    await lock.close()
  }
  const locks = Array.from({ length: 4 }, (_, i) => lockLoop(i))

  const samples: Sample[] = []
  const started = Date.now()
  const end = started + minutes * 60_000
  let nextChurn = started + CHURN_MS
  while (Date.now() < end) {
    await sleep(SAMPLE_MS)
    if (Date.now() >= nextChurn) {
      nextChurn += CHURN_MS
      const leaving = consumers.shift() as Consumer
      await leaving.disconnect()
      consumers.push(await startConsumer())
    }
    const offsets = await admin.fetchOffsets({ groupId: 'soak', topics: [TOPIC] })
    const lag = offsets.flatMap((t) => t.partitions).reduce((n, p) => n + Number(p.lag ?? 0), 0)
    const sample: Sample = {
      second: Math.round((Date.now() - started) / 1000),
      heapMB: Math.round(heapMB()),
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      produced,
      consumed,
      lag,
      handles: process.getActiveResourcesInfo().length,
      lockTurns,
    }
    samples.push(sample)
    console.log(JSON.stringify(sample))
  }

  running = false
  await produceLoop
  await Promise.all(locks)
  await Promise.all(consumers.map((c) => c.disconnect()))
  await producer.disconnect()
  await cluster.close()

  const third = Math.max(1, Math.floor(samples.length / 3))
  const avg = (xs: Sample[]) => xs.reduce((n, s) => n + s.heapMB, 0) / xs.length
  const early = avg(samples.slice(0, third))
  const late = avg(samples.slice(-third))
  if (late > early * 1.25) {
    failures.push(`heap grew: ${early.toFixed(0)} MB early, ${late.toFixed(0)} MB late`)
  }
  if (consumed < produced * 0.5) failures.push(`consumers fell behind: ${consumed} of ${produced}`)
  const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap')
  if (left.length > handlesBefore) failures.push(`left after close(): ${left.join(', ')}`)
  console.log(
    JSON.stringify({
      minutes,
      samples: samples.length,
      heapEarlyMB: Math.round(early),
      heapLateMB: Math.round(late),
      produced,
      consumed,
      lockTurns,
      rebalances: 2 * Math.floor((minutes * 60_000) / CHURN_MS),
      failures,
    }),
  )
  if (failures.length > 0) process.exitCode = 1
}

await main()

/**
 * Consuming from an in-process cluster (issue 5) through the public API: `createCluster({
 * brokers: 3, clock: 'real' })` with `group.initial.rebalance.delay.ms: 0`,
 * `admin().createTopics`, a producer to fill a topic beforehand, then `cluster.consumer({
 * groupId, autoOffsetReset: 'earliest' })`, `subscribe`, `run({ eachMessage | eachBatch })`.
 *
 * - **Consume throughput** (records/s, MB/s of record values): a topic of 4 partitions
 *   (replication factor 1, leaders spread over the 3 brokers) is filled before timing with
 *   200,000 records of 100 B (50,000 with `--quick`), value only, in sends of 100 records to
 *   one partition each (one RecordBatch per send). A fresh group of 1 or of 4 members (four
 *   consumers of one group in this process, one partition each) subscribes with the topic
 *   paused, runs, and waits until every member holds its partitions in one generation; then
 *   the topic is resumed and the clock runs from there until the handler has counted every
 *   record once (positions found, fetches, decoding, handler calls). `eachMessage` counts one
 *   record per call, `eachBatch` adds `batch.messages.length` (auto-resolve). The members use
 *   `heartbeatIntervalMs: 100` so that the group of 4 settles quickly before timing (heartbeats
 *   cost nothing measurable here); everything else is the consumer's defaults (1 MiB per
 *   partition per fetch, auto-commit every 5 s).
 * - **Baseline** (the log's own read, same run): `PartitionLog.read` over a `MemoryLogStore`
 *   holding the same number of records, encoded alike (100-record batches of 100 B values),
 *   read sequentially from offset 0 to the end with `maxBytes` 1 MiB (the consumer's
 *   `max.partition.fetch.bytes`) and the default copy, as the broker reads for consumers. It
 *   returns whole stored batches: no record is decoded, nothing crosses a broker or a client.
 *   One call = one full pass. Baseline and consumer rows alternate, best of each.
 * - **Second baseline** (same run, same log): the same reads, and every batch read decoded by
 *   `decodeRecordBatch` (CRC checked, every record an object with its key, value and headers),
 *   the least a consumer must do with the bytes. Each consumer row shows its ratio to it in
 *   `extra` (`x read+decode`); a row of its own shows it against the raw read.
 * - Target: a group of 1 consuming in memory ≥ 0.5× the baseline (both handlers; the group of 4
 *   is shown against the same baseline, without a target). The target stays on the raw read.
 * - **End-to-end latency**: one consumer running on a one-partition topic; single-record
 *   (100 B) acks=1 sends, one at a time, each after the previous record reached `eachMessage`:
 *   µs from the `send` call to the record's `eachMessage` call. p99 and p50.
 * - **Group settle**: 100 consumers of one group (default heartbeat 3 s, session 45 s) subscribe
 *   to a topic of 100 partitions and run; once every one of them has joined one generation
 *   (`group.join` events), one more joins: the time until all 101 have joined the next
 *   generation, in virtual ms under `clock: 'virtual'` (`clock.runUntil`) and in wall ms under
 *   `clock: 'real'` (the real-clock case is left out of `--quick` runs: it waits out heartbeats,
 *   about 6 s). How long the first 100 took to settle is in `extra`.
 */
import { type Cluster, createCluster } from '../../src/cluster.js'
import { VirtualClock } from '../../src/common/clock.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import { BATCH_HEADER_BYTES, splitBatches } from '../../src/log/batch-header.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import { prepareMessage } from '../../src/producer/message.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'
import {
  type BenchContext,
  type Measurement,
  measure,
  percentiles,
  type Row,
  ratioRow,
  round,
  type Suite,
} from '../harness.js'

const SUITE = 'consume'
const RECORD_BYTES = 100
/** Records per send (and per stored batch). */
const BATCH_RECORDS = 100
const PARTITIONS = 4
/** Sends kept in flight while filling. */
const WINDOW = 5
const CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'offsets.topic.replication.factor': 1,
}
const SEED = 5

type Handler = 'eachMessage' | 'eachBatch'

/** The `batchSize` that closes a batch right after its 100th record. */
function batchSizeFor(recordBytes: number): number {
  const one = prepareMessage({ value: Buffer.alloc(recordBytes) }, 'm', 0).sizeBytes
  return BATCH_HEADER_BYTES + BATCH_RECORDS * one
}

/** Fill `topic` with `records` values of `RECORD_BYTES`, 100 per send, partitions in turn. */
async function fill(cluster: Cluster, topic: string, records: number): Promise<void> {
  const producer = cluster.producer({
    acks: 1,
    lingerMs: 0,
    batchSize: batchSizeFor(RECORD_BYTES),
  })
  const value = Buffer.alloc(RECORD_BYTES, 0x61)
  const sends = records / BATCH_RECORDS
  let next = 0
  const lane = async () => {
    while (next < sends) {
      const partition = next++ % PARTITIONS
      const messages = Array.from({ length: BATCH_RECORDS }, () => ({ value, partition }))
      await producer.send({ topic, messages })
    }
  }
  try {
    await Promise.all(Array.from({ length: WINDOW }, lane))
  } finally {
    await producer.disconnect()
  }
}

/**
 * Resolves once every consumer has joined the same generation (`group.join`), that generation
 * later than `after`, and `check` holds for their assignments. Returns the generation.
 */
function generationOf(
  consumers: readonly Consumer[],
  after = 0,
  check: (assigned: number[]) => boolean = () => true,
): Promise<number> {
  return new Promise((resolve) => {
    const gen = new Map<Consumer, { generationId: number; partitions: number }>()
    const listeners: [Consumer, (e: Parameters<Parameters<Consumer['on']>[1]>[0]) => void][] = []
    const test = () => {
      if (gen.size < consumers.length) return
      const ids = new Set([...gen.values()].map((g) => g.generationId))
      if (ids.size !== 1) return
      const id = [...ids][0] as number
      if (id <= after || !check([...gen.values()].map((g) => g.partitions))) return
      for (const [c, l] of listeners) c.off('group.join', l)
      resolve(id)
    }
    for (const c of consumers) {
      const l = (e: {
        generationId: number
        memberAssignment: Readonly<Record<string, number[]>>
      }) => {
        const partitions = Object.values(e.memberAssignment).reduce((n, ps) => n + ps.length, 0)
        gen.set(c, { generationId: e.generationId, partitions })
        test()
      }
      listeners.push([c, l as never])
      c.on('group.join', l)
    }
  })
}

/** A deadline for real-clock waits, so a stuck group fails the run rather than hanging it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

let groups = 0

/** One group of `members` reads all `records` of `topic`: records/s from resume to the last. */
async function consumeCase(
  cluster: Cluster,
  topic: string,
  records: number,
  members: number,
  handler: Handler,
): Promise<Measurement> {
  const groupId = `bench-${handler}-${members}-${groups++}`
  const consumers = Array.from({ length: members }, () =>
    cluster.consumer({ groupId, autoOffsetReset: 'earliest', heartbeatIntervalMs: 100 }),
  )
  let count = 0
  let done!: () => void
  const all = new Promise<void>((resolve) => {
    done = resolve
  })
  const settled = generationOf(consumers, 0, (ps) => ps.every((n) => n === PARTITIONS / members))
  try {
    for (const c of consumers) {
      await c.subscribe({ topics: [topic] })
      c.pause([{ topic }])
      if (handler === 'eachMessage') {
        await c.run({
          eachMessage: async () => {
            if (++count === records) done()
          },
        })
      } else {
        await c.run({
          eachBatch: async ({ batch }) => {
            count += batch.messages.length
            if (count >= records) done()
          },
        })
      }
    }
    await within(settled, 30_000, `group of ${members} settling`)
    const start = process.hrtime.bigint()
    for (const c of consumers) c.resume([{ topic }])
    await within(all, 120_000, `group of ${members} reading ${records} records`)
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    if (count !== records) throw new Error(`${count} records handed over, ${records} expected`)
    return {
      opsPerSec: records / seconds,
      bytesPerSec: (records * RECORD_BYTES) / seconds,
      ops: records,
      seconds,
    }
  } finally {
    await Promise.all(consumers.map((c) => c.disconnect()))
  }
}

/** A memory `PartitionLog` holding `records` values encoded as the producer encodes them. */
async function filledLog(records: number): Promise<[PartitionLog, MemoryLogStore]> {
  const store = new MemoryLogStore()
  const topicPartition = { topic: 'baseline', partition: 0 }
  const log = await PartitionLog.open({
    topicPartition,
    store: await store.openPartition(topicPartition),
    clock: new VirtualClock(),
  })
  const value = Buffer.alloc(RECORD_BYTES, 0x61)
  for (let b = 0; b < records / BATCH_RECORDS; b++) {
    log.append(
      encodeRecordBatch({
        baseOffset: 0n,
        records: Array.from({ length: BATCH_RECORDS }, () => ({ value, timestamp: Date.now() })),
      }),
    )
  }
  return [log, store]
}

/** Decode every batch of a read (CRC checked, as the consumer does); returns the records. */
function decodeAll(bytes: Uint8Array): number {
  let n = 0
  for (const batch of splitBatches(bytes, true)) n += decodeRecordBatch(batch).records.length
  return n
}

/**
 * `PartitionLog.read` from 0 to the end, 1 MiB per read; one call = one pass. With `decode`,
 * every batch read is also decoded by `decodeRecordBatch` (the second baseline).
 */
async function readBaseline(
  log: PartitionLog,
  records: number,
  seconds: number,
  decode: boolean,
): Promise<Measurement> {
  const end = log.logEndOffset
  if (end !== records) throw new Error(`baseline log holds ${end} records, not ${records}`)
  let sink = 0
  // A full GC first (with --expose-gc, as `npm run bench` runs): filling the cluster and the
  // consumer cases before leave garbage that otherwise lands in this short loop.
  ;(globalThis as { gc?: () => void }).gc?.()
  const m = await measure(
    async () => {
      let offset = 0
      while (offset < end) {
        const r = await log.read(offset, { maxBytes: 1024 * 1024 })
        sink += decode ? decodeAll(r.bytes) : r.bytes.length
        offset = r.nextOffset
      }
    },
    {
      seconds,
      opsPerCall: records,
      bytesPerCall: records * RECORD_BYTES,
      warmupCalls: 2,
    },
  )
  if (sink < 0) console.log(sink)
  return m
}

function best(a: Measurement | undefined, b: Measurement): Measurement {
  return a === undefined || b.opsPerSec > a.opsPerSec ? b : a
}

async function throughputRows(ctx: BenchContext, cluster: Cluster): Promise<Row[]> {
  const records = ctx.quick ? 50_000 : 200_000
  const rounds = ctx.quick ? 1 : 2
  const topic = 'consume-source'
  await cluster.admin().createTopics({
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  })
  await fill(cluster, topic, records)
  const [log, store] = await filledLog(records)
  const cases: [number, Handler][] = [
    [1, 'eachMessage'],
    [1, 'eachBatch'],
    [4, 'eachMessage'],
    [4, 'eachBatch'],
  ]
  const results = new Map<string, Measurement>()
  let baseline: Measurement | undefined
  let decoded: Measurement | undefined
  try {
    // Warm the read path of brokers and consumer before the first measured case.
    await consumeCase(cluster, topic, records, 1, 'eachMessage')
    for (let r = 0; r < rounds; r++) {
      const seconds = ctx.quick ? 0.2 : 0.5
      baseline = best(baseline, await readBaseline(log, records, seconds, false))
      decoded = best(decoded, await readBaseline(log, records, seconds, true))
      for (const [members, handler] of r % 2 === 0 ? cases : [...cases].reverse()) {
        const key = `${members}/${handler}`
        const m = await consumeCase(cluster, topic, records, members, handler)
        results.set(key, best(results.get(key), m))
      }
    }
  } finally {
    await log.close()
    await store.close()
  }
  const base = baseline as Measurement
  const decode = decoded as Measurement
  const shape = `${records} x ${RECORD_BYTES} B`
  const rows = cases.map(([members, handler]) => {
    const m = results.get(`${members}/${handler}`) as Measurement
    const row = ratioRow(
      SUITE,
      `memory consume, group of ${members}, ${handler}, ${shape} over ${PARTITIONS} partitions`,
      m,
      base,
      members === 1 ? 0.5 : undefined,
    )
    row.extra = {
      ...row.extra,
      vs: 'log read',
      'x read+decode': round(m.opsPerSec / decode.opsPerSec),
      seconds: round(m.seconds),
    }
    return row
  })
  const decodeRow = ratioRow(
    SUITE,
    `second baseline: log read + decodeRecordBatch of every batch, ${shape}`,
    decode,
    base,
  )
  decodeRow.extra = { ...decodeRow.extra, vs: 'log read' }
  return [...rows, decodeRow]
}

/** µs from `send` (acks=1, one record) to the record's `eachMessage` call. */
async function latencyRow(ctx: BenchContext, cluster: Cluster): Promise<Row> {
  const topic = 'consume-latency'
  await cluster.admin().createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
  })
  const consumer = cluster.consumer({ groupId: 'bench-latency', autoOffsetReset: 'earliest' })
  const producer = cluster.producer({ acks: 1, lingerMs: 0 })
  const message = [{ value: Buffer.alloc(RECORD_BYTES, 0x61) }]
  let arrived: ((t: bigint) => void) | undefined
  const samples: number[] = []
  try {
    const joined = generationOf([consumer])
    await consumer.subscribe({ topics: [topic] })
    await consumer.run({
      eachMessage: async () => {
        arrived?.(process.hrtime.bigint())
      },
    })
    await within(joined, 30_000, 'the latency consumer joining')
    const once = async (): Promise<number> => {
      const got = new Promise<bigint>((resolve) => {
        arrived = resolve
      })
      const t0 = process.hrtime.bigint()
      await producer.send({ topic, messages: message })
      const t1 = await within(got, 10_000, 'a record reaching eachMessage')
      return Number(t1 - t0) / 1000
    }
    for (let i = 0; i < 200; i++) await once()
    const end = performance.now() + (ctx.quick ? 0.3 : 1) * 1000
    while (performance.now() < end && samples.length < 100_000) samples.push(await once())
  } finally {
    await producer.disconnect()
    await consumer.disconnect()
  }
  const [p50, p99] = percentiles(samples, [50, 99]) as [number, number]
  return {
    suite: SUITE,
    name: `memory end-to-end latency, acks 1, ${RECORD_BYTES} B x 1 (send to eachMessage)`,
    unit: 'µs p99',
    subject: round(p99),
    extra: { p50: round(p50), samples: samples.length },
  }
}

const SETTLE_MEMBERS = 100

/**
 * 100 members settle, then one more joins: ms (of the cluster's clock) until all 101 are in
 * the next generation. Returns [that, the first settle].
 */
async function settleCase(clock: 'virtual' | 'real'): Promise<[number, number]> {
  const cluster = await createCluster({ brokers: 3, clock, seed: SEED, config: CONFIG })
  const drive = <T>(p: Promise<T>, what: string): Promise<T> =>
    cluster.clock instanceof VirtualClock ? cluster.clock.runUntil(p) : within(p, 60_000, what)
  try {
    const topic = 'settle'
    await drive(
      cluster.admin().createTopics({
        topics: [{ topic, numPartitions: SETTLE_MEMBERS, replicationFactor: 1 }],
      }),
      'creating the topic',
    )
    const groupId = 'bench-settle'
    const make = () => cluster.consumer({ groupId, autoOffsetReset: 'earliest' })
    const start = async (c: Consumer) => {
      await c.subscribe({ topics: [topic] })
      await c.run({ eachMessage: async () => undefined })
    }
    const members = Array.from({ length: SETTLE_MEMBERS }, make)
    const t0 = cluster.clock.now()
    const first = generationOf(members)
    await Promise.all(members.map(start))
    const generation = await drive(first, `${SETTLE_MEMBERS} members settling`)
    const firstMs = cluster.clock.now() - t0
    const late = make()
    const everyone = [...members, late]
    const next = generationOf(everyone, generation)
    const t1 = cluster.clock.now()
    await start(late)
    await drive(next, `${SETTLE_MEMBERS + 1} members settling`)
    return [cluster.clock.now() - t1, firstMs]
  } finally {
    await drive(cluster.close(), 'closing the cluster')
  }
}

async function settleRows(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = []
  // The real-clock case waits out heartbeats (two intervals of 3 s): not in a quick run.
  for (const clock of ctx.quick ? (['virtual'] as const) : (['virtual', 'real'] as const)) {
    const [ms, firstMs] = await settleCase(clock)
    rows.push({
      suite: SUITE,
      name: `group of ${SETTLE_MEMBERS} settled, one more joins: all ${SETTLE_MEMBERS + 1} in the new generation (${clock} clock)`,
      unit: `${clock} ms`,
      subject: round(ms),
      extra: { [`first ${SETTLE_MEMBERS} settled, ms`]: round(firstMs) },
    })
  }
  return rows
}

/** The consume suite. */
export const consumeSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const rows: Row[] = []
    const cluster = await createCluster({ brokers: 3, clock: 'real', seed: SEED, config: CONFIG })
    try {
      rows.push(...(await throughputRows(ctx, cluster)))
      rows.push(await latencyRow(ctx, cluster))
    } finally {
      await cluster.close()
    }
    rows.push(...(await settleRows(ctx)))
    return rows
  },
}

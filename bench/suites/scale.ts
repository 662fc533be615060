/**
 * Scale (the reliability issue): how long the big shapes take and how much memory they keep,
 * in memory mode through the public API. No baseline: these are sizes, not speeds.
 *
 * - **10,000 partitions**: 10 topics of 1,000 partitions, replication factor 3, on 3 brokers
 *   (`admin().createTopics`, answered once every broker has heard); then one acks=all record
 *   to every partition (one producer, sends in flight together); then `describeTopics` of all.
 * - **1,000,000 znodes**: a coordinator alone (`createCoordinator()`), 1,000 parents of 1,000
 *   children each, 10 B of data, created by one session with 1,000 creates in flight.
 * - **100,000 watches**: 100,000 znodes, a one-shot data watch on each (`getData` with a
 *   watcher) from one session, then `setData` on each until all 100,000 have fired.
 * - **1,000 group members**: 1,000 consumers of one group on a topic of 1,000 partitions (3
 *   brokers, virtual clock driven by `runUntil`), until all of them hold one partition in one
 *   generation; then one leaves and the others settle again.
 *
 * Memory is the growth of the V8 heap after a full GC (`--expose-gc`, as `npm run bench`
 * runs), from before the shape was built to when it stands; rss growth is in `extra`. With
 * `--quick` every shape is a tenth as large.
 */
import { createCluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import { createCoordinator } from '../../src/coordination/index.js'
import type { CoordinatorClient } from '../../src/coordination/types.js'
import { type BenchContext, type Row, round, type Suite } from '../harness.js'

const SUITE = 'scale'
const SEED = 11
const progress = (what: string) => process.stderr.write(`  ${what}\n`)

/** Heap and rss now, after a full GC when the process allows one. */
function memory(): { heap: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, rss: m.rss }
}

const MB = 1024 * 1024

/** A row of seconds with the memory kept by what was built. */
function sizeRow(
  name: string,
  seconds: number,
  before: { heap: number; rss: number },
  items: number,
  extra: Record<string, number | string> = {},
): Row {
  const after = memory()
  const heap = after.heap - before.heap
  return {
    suite: SUITE,
    name,
    unit: 's',
    subject: round(seconds),
    extra: {
      'heap MB': round(heap / MB),
      'heap B each': round(heap / items),
      'rss MB': round((after.rss - before.rss) / MB),
      ...extra,
    },
  }
}

const now = () => performance.now() / 1000

/** Run `tasks` with at most `window` in flight. */
async function inFlight(count: number, window: number, task: (i: number) => Promise<unknown>) {
  let next = 0
  const lane = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane))
}

async function partitionsRows(scale: number): Promise<Row[]> {
  const topics = 10
  const perTopic = 1000 * scale
  const total = topics * perTopic
  const before = memory()
  const cluster = await createCluster({ brokers: 3, seed: SEED })
  try {
    const admin = cluster.admin()
    const names = Array.from({ length: topics }, (_, i) => `scale-${i}`)
    progress(`creating ${total} partitions`)
    let t = now()
    await admin.createTopics({
      topics: names.map((topic) => ({ topic, numPartitions: perTopic, replicationFactor: 3 })),
      timeout: 600_000,
    })
    const create = now() - t
    const rows = [
      sizeRow(
        `${total} partitions (10 topics, RF 3, 3 brokers): createTopics`,
        create,
        before,
        total,
        {
          'partitions/s': round(total / create),
        },
      ),
    ]
    progress(`one acks=all record to each of ${total} partitions`)
    const producer = cluster.producer({ acks: -1 })
    t = now()
    await inFlight(total, 200, (i) =>
      producer.send({
        topic: names[i % topics] as string,
        messages: [{ value: 'x', partition: Math.floor(i / topics) }],
      }),
    )
    const produce = now() - t
    await producer.disconnect()
    t = now()
    const described = await admin.describeTopics({ topics: names })
    const describe = now() - t
    const leaders = described.reduce(
      (n, d) => n + d.partitions.filter((p) => p.leader >= 0).length,
      0,
    )
    rows.push(
      sizeRow(
        `${total} partitions: one acks=all record to each, then describeTopics`,
        produce,
        before,
        total,
        {
          'sends/s': round(total / produce),
          'describeTopics s': round(describe),
          'partitions with a leader': leaders,
        },
      ),
    )
    return rows
  } finally {
    await cluster.close()
  }
}

async function znodeRows(scale: number): Promise<Row[]> {
  const parents = 1000 * scale
  const children = 1000
  const total = parents * children
  const data = Buffer.from('0123456789')
  const before = memory()
  const coordinator = await createCoordinator()
  const zk = coordinator.connect()
  try {
    progress(`creating ${total} znodes`)
    const t = now()
    await inFlight(parents, 1000, (p) => zk.create(`/p${p}`, data))
    await inFlight(total, 1000, (i) =>
      zk.create(`/p${Math.floor(i / children)}/c${i % children}`, data),
    )
    const seconds = now() - t
    const stats = coordinator.stats()
    return [
      sizeRow(
        `${total.toLocaleString('en-US')} znodes (${parents} parents x ${children}, 10 B)`,
        seconds,
        before,
        total,
        {
          'creates/s': round(total / seconds),
          znodes: stats.znodeCount,
        },
      ),
    ]
  } finally {
    await zk.close()
    await coordinator.close()
  }
}

async function watchRows(scale: number): Promise<Row[]> {
  const total = 100_000 * scale
  const coordinator = await createCoordinator()
  const zk: CoordinatorClient = coordinator.connect()
  try {
    await zk.create('/w', '')
    await inFlight(total, 1000, (i) => zk.create(`/w/n${i}`, 'v0'))
    const before = memory()
    progress(`setting ${total} watches`)
    let fired = 0
    let allFired!: () => void
    const done = new Promise<void>((resolve) => {
      allFired = resolve
    })
    const watcher = () => {
      if (++fired === total) allFired()
    }
    let t = now()
    await inFlight(total, 1000, (i) => zk.getData(`/w/n${i}`, { watch: watcher }))
    const register = now() - t
    const row = sizeRow(
      `${total.toLocaleString('en-US')} data watches (one session): set`,
      register,
      before,
      total,
      {
        'watches/s': round(total / register),
      },
    )
    progress(`firing ${total} watches`)
    t = now()
    await inFlight(total, 1000, (i) => zk.setData(`/w/n${i}`, 'v1'))
    await done
    const fire = now() - t
    return [
      row,
      {
        suite: SUITE,
        name: `${total.toLocaleString('en-US')} data watches: setData on each until all fired`,
        unit: 's',
        subject: round(fire),
        extra: { 'fired/s': round(total / fire), fired },
      },
    ]
  } finally {
    await zk.close()
    await coordinator.close()
  }
}

/**
 * Resolves once every consumer has joined one generation above `after`, each holding `per`
 * partitions (any number when `per` is undefined).
 */
function settled(consumers: readonly Consumer[], after: number, per?: number): Promise<number> {
  return new Promise((resolve) => {
    const at = new Map<Consumer, number>()
    const offs: (() => void)[] = []
    const check = () => {
      if (at.size < consumers.length) return
      const gens = new Set(at.values())
      const [gen] = gens
      if (gens.size !== 1 || gen === undefined || gen <= after) return
      for (const off of offs) off()
      resolve(gen)
    }
    for (const c of consumers) {
      const onJoin = (e: { generationId: number; memberAssignment: Record<string, number[]> }) => {
        const n = Object.values(e.memberAssignment).reduce((s, ps) => s + ps.length, 0)
        if (per === undefined || n === per) at.set(c, e.generationId)
        else at.delete(c)
        check()
      }
      c.on('group.join', onJoin as never)
      offs.push(() => c.off('group.join', onJoin as never))
    }
  })
}

async function groupRows(scale: number): Promise<Row[]> {
  const members = 1000 * scale
  const before = memory()
  const cluster = await createCluster({
    brokers: 3,
    clock: 'virtual',
    seed: SEED,
    config: { 'group.initial.rebalance.delay.ms': 3000, 'offsets.topic.replication.factor': 3 },
  })
  const clock = cluster.clock as VirtualClock
  try {
    const topic = 'members'
    await clock.runUntil(
      cluster
        .admin()
        .createTopics({ topics: [{ topic, numPartitions: members, replicationFactor: 1 }] }),
    )
    progress(`${members} consumers joining one group`)
    const consumers = Array.from({ length: members }, () =>
      cluster.consumer({ groupId: 'scale', autoOffsetReset: 'earliest' }),
    )
    const wall = now()
    const virtual = clock.now()
    const first = settled(consumers, 0, 1)
    await clock.runUntil(
      Promise.all(
        consumers.map(async (c) => {
          await c.subscribe({ topics: [topic] })
          await c.run({ eachMessage: async () => undefined })
        }),
      ),
    )
    const generation = await clock.runUntil(first)
    const rows = [
      sizeRow(
        `${members} consumers of one group settle (${members} partitions, virtual clock)`,
        now() - wall,
        before,
        members,
        {
          'virtual ms': clock.now() - virtual,
          generation,
        },
      ),
    ]
    progress('one member leaves; the others settle')
    const leaver = consumers.pop() as Consumer
    const t = now()
    const v = clock.now()
    // 999 members on 1,000 partitions: one of them holds two.
    const next = settled(consumers, generation)
    await clock.runUntil(leaver.disconnect())
    await clock.runUntil(next)
    rows.push({
      suite: SUITE,
      name: `${members} consumers: one leaves, the other ${members - 1} settle again (virtual clock)`,
      unit: 's',
      subject: round(now() - t),
      extra: { 'virtual ms': clock.now() - v },
    })
    return rows
  } finally {
    await clock.runUntil(cluster.close())
  }
}

/** The scale suite. */
export const scaleSuite: Suite = {
  name: SUITE,
  async run(ctx: BenchContext) {
    const scale = ctx.quick ? 0.1 : 1
    return [
      ...(await znodeRows(scale)),
      ...(await watchRows(scale)),
      ...(await partitionsRows(scale)),
      ...(await groupRows(scale)),
    ]
  },
}

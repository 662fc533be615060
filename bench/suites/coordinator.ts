/**
 * The coordinator against a real ZooKeeper 3.8 (Debian's package, default `forceSync=yes`, a
 * full JIT) measured in the same run, when one is installed: operation throughput one at a
 * time and 100 in flight, watch latency, lock-recipe cycles with two contenders, and memory
 * per znode, in memory mode and in disk mode (classic-level, fsync per group commit).
 *
 * Targets (issue 3): in memory ≥ 100× ZooKeeper's pipelined throughput for reads and writes,
 * ≥ 200× its lock cycles, watch latency p99 < 100 µs, ≤ 300 bytes per znode; in disk mode with
 * fsync, writes at least as fast as ZooKeeper's.
 */
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { createCoordinator } from '../../src/coordination/index.js'
import {
  type BenchContext,
  type Measurement,
  type Row,
  ratioRow,
  round,
  type Suite,
} from '../harness.js'
import { bytesPerZnode, lockCycles, opThroughput, watchLatency } from './coordination-workloads.js'
import { connect, phase, type Target, zookeeperTarget } from './targets.js'

const SUITE = 'coordinator'
const KINDS = ['create', 'setData', 'getData', 'exists'] as const

async function memoryTarget(): Promise<Target> {
  const coordinator = await createCoordinator()
  return { name: 'memory', coordinator, close: () => coordinator.close() }
}

async function diskTarget(ctx: BenchContext): Promise<Target> {
  const db = new ClassicLevel<string, Buffer>(join(ctx.tmpDir, 'coordinator'), {
    valueEncoding: 'buffer',
  })
  const coordinator = await createCoordinator({ db: db as never })
  return {
    name: 'disk',
    coordinator,
    close: async () => {
      await coordinator.close()
      await db.close()
    },
  }
}

async function throughputs(target: Target, ctx: BenchContext, inFlight: number[]) {
  const client = await phase(`${target.name}: connect`, connect(target))
  const root = `/bench-${target.name}-${Date.now()}`
  await client.create(root, '')
  const out = new Map<string, Measurement>()
  const progress = (what: string) => process.stderr.write(`  ${target.name}: ${what}\n`)
  for (const kind of KINDS) {
    for (const n of inFlight) {
      progress(`${kind}, ${n} in flight`)
      const work = opThroughput(client, root, kind, n, ctx.seconds)
      out.set(`${kind}/${n}`, await phase(`${target.name}: ${kind} x${n}`, work))
    }
  }
  const [a, b] = [client, await phase(`${target.name}: connect`, connect(target))]
  progress('watch latency')
  const latency = await phase(
    `${target.name}: watch latency`,
    watchLatency(a, b, root, ctx.quick ? 200 : 2000),
  )
  progress('lock cycles')
  const locks = await phase(`${target.name}: lock cycles`, lockCycles(a, b, root, ctx.seconds))
  await a.close()
  await b.close()
  return { out, latency, locks }
}

function latencyRow(
  name: string,
  subject: { p50: number; p99: number },
  zk?: { p50: number; p99: number },
): Row {
  return {
    suite: SUITE,
    name,
    unit: 'µs p99',
    subject: round(subject.p99),
    baseline: zk ? round(zk.p99) : undefined,
    ratio: zk ? round(zk.p99 / subject.p99) : undefined,
    target: '< 100 µs',
    met: subject.p99 < 100,
    extra: { p50: round(subject.p50), ...(zk ? { 'zookeeper p50': round(zk.p50) } : {}) },
  }
}

/** The coordinator suite. */
export const coordinatorSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const rows: Row[] = []
    const zk = await zookeeperTarget()
    try {
      const zkRun = zk ? await throughputs(zk.target, ctx, [1, 100]) : undefined
      const memory = await memoryTarget()
      const memRun = await throughputs(memory, ctx, [1, 100])
      const memClient = await connect(memory)
      const perZnode = await bytesPerZnode(memClient, '', ctx.quick ? 20_000 : 100_000)
      await memClient.close()
      await memory.close()
      const disk = await diskTarget(ctx)
      const diskRun = await throughputs(disk, ctx, [100])
      await disk.close()

      for (const kind of KINDS) {
        const zk1 = zkRun?.out.get(`${kind}/1`)
        const zk100 = zkRun?.out.get(`${kind}/100`)
        rows.push(ratioRow(SUITE, `memory ${kind}, 1 at a time`, memRun.out.get(`${kind}/1`)!, zk1))
        rows.push(
          ratioRow(
            SUITE,
            `memory ${kind}, 100 in flight`,
            memRun.out.get(`${kind}/100`)!,
            zk100,
            100,
          ),
        )
        const write = kind === 'create' || kind === 'setData'
        rows.push(
          ratioRow(
            SUITE,
            `disk ${kind}, 100 in flight`,
            diskRun.out.get(`${kind}/100`)!,
            zk100,
            write ? 1 : undefined,
          ),
        )
      }
      rows.push(latencyRow('memory watch latency', memRun.latency, zkRun?.latency))
      rows.push(latencyRow('disk watch latency', diskRun.latency, zkRun?.latency))
      rows.push(
        ratioRow(SUITE, 'memory lock cycles, 2 contenders', memRun.locks, zkRun?.locks, 200),
      )
      rows.push(ratioRow(SUITE, 'disk lock cycles, 2 contenders', diskRun.locks, zkRun?.locks))
      rows.push({
        suite: SUITE,
        name: 'memory per znode (100 B data)',
        unit: 'bytes',
        subject: round(perZnode),
        target: '<= 300 B',
        met: Number.isNaN(perZnode) ? undefined : perZnode <= 300,
        extra: { 'zookeeper (FACTS.md)': '~450 B of heap' },
      })
      if (!zk)
        rows.push({
          suite: SUITE,
          name: 'zookeeper not installed: no baseline',
          unit: '',
          subject: 0,
        })
    } finally {
      await zk?.target.close().catch(() => {})
      await zk?.server.stop()
    }
    return rows
  },
}

/**
 * The recipes on the in-process coordinator (memory mode), against baselines measured in the
 * same run:
 *
 * - **Lock cycles** (acquire, release) per second of the `Lock` recipe with 2 and 10
 *   contenders, each on its own session, against `async-mutex` (an in-process mutex: the cost
 *   floor of "wait your turn" in one process) and against the same `Lock` recipe over a real
 *   ZooKeeper 3.8 through the test adapter (when one is installed).
 * - **Election fail-over**: the time from ending the leader's session (`expireSession`) to
 *   another participant's `elected` event, median of N rounds, against the same recipe over
 *   ZooKeeper. On ZooKeeper `expireSession` is the test adapter's (Curator's KillSession: a
 *   second connection takes over the session and closes it), so its figure includes that
 *   connection's handshake.
 *
 * Targets: issue 3 asks for ≥ 200× ZooKeeper's lock cycles with two contenders (measured there
 * with a bare lock loop, `coordinator` suite); the same target is applied here to the `Lock`
 * recipe. The other rows have no target.
 */
import { Mutex } from 'async-mutex'
import { createCoordinator } from '../../src/coordination/index.js'
import { createLock, LeaderElection } from '../../src/coordination/recipes/index.js'
import {
  type BenchContext,
  type Measurement,
  percentiles,
  type Row,
  ratioRow,
  round,
  type Suite,
} from '../harness.js'
import { connect, phase, type Target, zookeeperTarget } from './targets.js'

const SUITE = 'recipes'
const CONTENDERS = [2, 10] as const
const PARTICIPANTS = 3

const progress = (what: string) => process.stderr.write(`  ${what}\n`)

/**
 * Cycles per second of `cycle` run by `contenders` loops at once for `seconds`. In-process
 * work may never yield to a timer, so each loop watches the clock itself.
 */
async function contended(
  contenders: number,
  seconds: number,
  cycle: (contender: number) => Promise<void>,
): Promise<Measurement> {
  let cycles = 0
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(Math.round(seconds * 1e9))
  const loop = async (contender: number) => {
    while (process.hrtime.bigint() < deadline) {
      await cycle(contender)
      cycles++
    }
  }
  await Promise.all(Array.from({ length: contenders }, (_, i) => loop(i)))
  const secs = Number(process.hrtime.bigint() - start) / 1e9
  return { opsPerSec: cycles / secs, ops: cycles, seconds: secs }
}

/** Lock recipe cycles, one session and one `Lock` per contender, after a short warm-up. */
async function lockCycles(
  target: Target,
  root: string,
  contenders: number,
  ctx: BenchContext,
): Promise<Measurement> {
  const clients = await Promise.all(Array.from({ length: contenders }, () => connect(target)))
  const locks = clients.map((client) => createLock(client, `${root}/lock-${contenders}`))
  const cycle = async (i: number) => {
    const held = await locks[i]!.acquire()
    await held.release()
  }
  try {
    await contended(contenders, Math.min(0.2, ctx.seconds / 2), cycle)
    return await contended(contenders, ctx.seconds, cycle)
  } finally {
    for (const lock of locks) await lock.close()
    await Promise.all(clients.map((c) => c.close()))
  }
}

/** async-mutex cycles (acquire, release) with `contenders` loops, after a short warm-up. */
async function mutexCycles(contenders: number, ctx: BenchContext): Promise<Measurement> {
  const mutex = new Mutex()
  const cycle = async () => {
    const release = await mutex.acquire()
    release()
  }
  await contended(contenders, Math.min(0.2, ctx.seconds / 2), cycle)
  return contended(contenders, ctx.seconds, cycle)
}

/** Resolves with the first `elected` among `elections`. */
function nextElected(elections: LeaderElection[]): Promise<LeaderElection> {
  return new Promise((resolve) => {
    for (const election of elections) election.once('elected', () => resolve(election))
  })
}

/**
 * One fail-over: `PARTICIPANTS` elections on their own sessions; once one leads, its session is
 * expired and the time (ms) until another one's `elected` is returned.
 */
async function failOverOnce(target: Target, path: string): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: PARTICIPANTS }, () => connect(target, 10_000)),
  )
  const elections = clients.map((c, i) => new LeaderElection(c, path, { id: `p-${i}` }))
  try {
    const first = nextElected(elections)
    for (const election of elections) await election.start()
    const leader = await first
    const leaderClient = clients[elections.indexOf(leader)]!
    const next = nextElected(elections.filter((e) => e !== leader))
    const start = process.hrtime.bigint()
    const expired = target.coordinator.expireSession(leaderClient.sessionId)
    await next
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    await expired
    return ms
  } finally {
    for (const election of elections) {
      election.removeAllListeners()
      await election.close()
    }
    await Promise.all(clients.map((c) => c.close().catch(() => {})))
  }
}

async function failOver(target: Target, root: string, rounds: number): Promise<number[]> {
  const samples: number[] = []
  // One unrecorded round first: the first runs the recipe's code cold.
  for (let i = -1; i < rounds; i++) {
    const ms = await phase(
      `${target.name}: fail-over round ${i}`,
      failOverOnce(target, `${root}/election-${i + 1}`),
      30_000,
    )
    if (i >= 0) samples.push(ms)
  }
  return samples
}

interface Run {
  locks: Map<number, Measurement>
  failOver: number[]
}

async function runTarget(target: Target, ctx: BenchContext, rounds: number): Promise<Run> {
  const admin = await phase(`${target.name}: connect`, connect(target))
  const root = `/bench-recipes-${target.name}-${Date.now()}`
  await admin.create(root, '')
  const locks = new Map<number, Measurement>()
  try {
    for (const n of CONTENDERS) {
      progress(`${target.name}: Lock recipe, ${n} contenders`)
      locks.set(n, await phase(`${target.name}: lock x${n}`, lockCycles(target, root, n, ctx)))
    }
    progress(`${target.name}: election fail-over, ${rounds} rounds`)
    return { locks, failOver: await failOver(target, root, rounds) }
  } finally {
    await admin.close()
  }
}

function failOverRow(subject: number[], zk: number[] | undefined): Row {
  const [p50 = NaN, max = NaN] = percentiles(subject, [50, 100])
  const [zk50, zkMax] = zk ? percentiles(zk, [50, 100]) : []
  return {
    suite: SUITE,
    name: `memory election fail-over, ${PARTICIPANTS} participants (median of ${subject.length})`,
    unit: 'ms p50',
    subject: round(p50),
    baseline: zk50 === undefined ? undefined : round(zk50),
    ratio: zk50 === undefined ? undefined : round(zk50 / p50),
    extra: {
      max: round(max),
      ...(zkMax === undefined ? {} : { 'zookeeper max': round(zkMax) }),
    },
  }
}

/** The recipes suite. */
export const recipesSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const rows: Row[] = []
    const rounds = ctx.quick ? 5 : 21
    const mutex = new Map<number, Measurement>()
    for (const n of CONTENDERS) {
      progress(`async-mutex, ${n} contenders`)
      mutex.set(n, await phase(`async-mutex x${n}`, mutexCycles(n, ctx)))
    }
    // In-process first, before a JVM exists: a ZooKeeper that has just served a run keeps a
    // core busy for a while (JIT, GC), which cost the in-process figures up to 5x on 2 cores.
    const coordinator = await createCoordinator()
    const memory: Target = { name: 'memory', coordinator, close: () => coordinator.close() }
    const memRun = await runTarget(memory, ctx, rounds)
    await memory.close()
    const zk = await zookeeperTarget()
    try {
      const zkRun = zk ? await runTarget(zk.target, ctx, rounds) : undefined

      for (const n of CONTENDERS) {
        const subject = memRun.locks.get(n)!
        const vsMutex = ratioRow(
          SUITE,
          `memory Lock cycles, ${n} contenders, vs async-mutex`,
          subject,
          mutex.get(n),
        )
        rows.push(vsMutex)
        rows.push(
          ratioRow(
            SUITE,
            `memory Lock cycles, ${n} contenders, vs ZooKeeper's Lock`,
            subject,
            zkRun?.locks.get(n),
            n === 2 ? 200 : undefined,
          ),
        )
      }
      rows.push(failOverRow(memRun.failOver, zkRun?.failOver))
      if (!zk)
        rows.push({
          suite: SUITE,
          name: 'zookeeper not installed: no ZooKeeper baseline',
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

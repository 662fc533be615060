/**
 * Crash tests of disk mode: a child process (writer.ts) writes to a data directory (records
 * from a plain and an idempotent producer with acks=all, znodes, a consumer group's commits)
 * and is killed with SIGKILL at a seeded random moment; the directory is then reopened in this
 * process and everything the writer acknowledged before the kill must be there (check.ts),
 * and the logs must read whole to their end. Then the writer runs again on the same directory,
 * continuing from what is there, and is killed again.
 *
 * Two directories take turns, one of a single broker and one of three. The moment of the kill
 * is of three kinds in turn (see {@link planOf}): while the cluster opens (recovery included),
 * at a random time after some acknowledgements, or with the writer killing itself in the very
 * turn it printed an acknowledgement. About half the runs fsync every batch
 * (`flushMessages: 1`), the others leave the bytes to the OS (the default): a process crash
 * must lose nothing in either mode.
 *
 * `CRASH_RUNS` (default 6) sets the number of kills, `CRASH_SEED` (default 1) the seed. The
 * figures of a long run are in docs/reliability.md.
 */
import { describe, expect, it } from 'vitest'
import { createCluster } from '../../src/cluster.js'
import { createRandom, type Random } from '../../src/common/random.js'
import { tmpDirs } from '../storage/tmp-dirs.js'
import { checkAll } from './check.js'
import { type KillPlan, killWriter } from './kill-writer.js'
import { clusterConfig, Ledger } from './ledger.js'

const RUNS = Number(process.env.CRASH_RUNS ?? 6)
const SEED = Number(process.env.CRASH_SEED ?? 1)
const newDir = tmpDirs('crash')

/** One directory the writer is killed on, again and again, and what it promised there. */
interface Target {
  readonly brokers: number
  readonly dataDir: string
  readonly ledger: Ledger
}

/** The kinds of moment, in turn, each given to both directories (so 6 runs see every kind). */
const KINDS = ['acks', 'opening', 'self', 'acks'] as const

/**
 * A seeded moment of `run`'s kind: during the open (up to 2.8 s after the spawn), some time
 * (up to 250 ms) after the 1st to 400th acknowledgement, or by the writer itself right after
 * its 1st to 400th.
 */
function planOf(run: number, random: Random): KillPlan {
  const kind = KINDS[Math.floor(run / 2) % KINDS.length]
  if (kind === 'opening') return { afterAcks: 0, afterMs: 300 + random.int(2500) }
  if (kind === 'self') return { afterAcks: 0, afterMs: 0, selfKill: 1 + random.int(400) }
  return { afterAcks: 1 + random.int(400), afterMs: random.int(250) }
}

/** Totals of a loop, for the log line and docs/reliability.md. */
interface Totals {
  /** Kills (one a run). */
  runs: number
  /** Runs that fsynced every batch. */
  fsyncRuns: number
  /** Kills before the writer had opened the cluster (during recovery or start-up). */
  killedOpening: number
  /** Runs in which the writer kills itself, in the turn it prints an acknowledgement. */
  selfKills: number
  /** Acknowledgements printed, all runs. */
  acks: number
  /** Acknowledged records found at their offsets, summed over the reopens. */
  recordsChecked: number
  /** Acknowledged znode creates and sets found, summed over the reopens. */
  znodesChecked: number
  /** Acknowledged commits covered by the committed offsets, summed over the reopens. */
  commitsChecked: number
}

async function reopenAndCheck(target: Target, totals: Totals): Promise<void> {
  const { dataDir, brokers, ledger } = target
  const cluster = await createCluster({ dataDir, brokers, config: clusterConfig(brokers) })
  try {
    const checked = await checkAll(cluster, ledger)
    totals.recordsChecked += checked.records
    totals.znodesChecked += checked.znodes
    totals.commitsChecked += checked.commits
  } finally {
    await cluster.close()
  }
}

/** One run: start the writer on `target`, kill it as planned, reopen and check. */
async function crashOnce(target: Target, run: number, random: Random, totals: Totals) {
  const plan = planOf(run, random)
  const fsync = random.chance(0.5)
  const args = { ...target, seed: SEED * 10_000 + run, run, fsync }
  const where = `run ${run} (${target.brokers} broker(s), ${fsync ? 'fsync' : 'default'}, ${JSON.stringify(plan)})`
  const done = await killWriter(args, plan, target.ledger).catch((err: Error) => {
    throw new Error(`${where}: ${err.message}`)
  })
  totals.runs++
  totals.fsyncRuns += fsync ? 1 : 0
  totals.killedOpening += done.ready ? 0 : 1
  totals.selfKills += plan.selfKill !== undefined ? 1 : 0
  totals.acks += done.acks
  await reopenAndCheck(target, totals).catch((err: Error) => {
    err.message = `${where}, after ${done.acks} acknowledgements: ${err.message}`
    throw err
  })
}

describe('SIGKILL of a process writing to a data directory', () => {
  it(
    `loses nothing acknowledged over ${RUNS} kills (seed ${SEED})`,
    async () => {
      const random = createRandom(SEED)
      const targets: Target[] = []
      for (const brokers of [1, 3]) {
        targets.push({ brokers, dataDir: await newDir(), ledger: new Ledger() })
      }
      const totals: Totals = {
        runs: 0,
        fsyncRuns: 0,
        killedOpening: 0,
        selfKills: 0,
        acks: 0,
        recordsChecked: 0,
        znodesChecked: 0,
        commitsChecked: 0,
      }
      const started = Date.now()
      for (let run = 0; run < RUNS; run++) {
        await crashOnce(targets[run % targets.length]!, run, random, totals)
      }
      console.log(`crash: ${JSON.stringify({ ...totals, seconds: (Date.now() - started) / 1000 })}`)
      expect(totals.runs).toBe(RUNS)
      expect(totals.acks).toBeGreaterThan(0)
      expect(totals.recordsChecked).toBeGreaterThan(0)
    },
    60_000 + RUNS * 20_000,
  )
})

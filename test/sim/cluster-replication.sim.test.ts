/**
 * Issue 4's guarantees under seeded replication fault schedules (see `cluster-sim.ts`).
 * Replay one seed: `SIM_SEED=<seed> npx vitest run test/sim/cluster-replication.sim.test.ts`
 * or `npm run sim -- --sim replication --seed <seed>`; run more: `SIM_SEEDS=1000 npx vitest
 * run test/sim/cluster-replication.sim.test.ts` (from `SIM_FROM`, default 1); `SIM_STRICT=1`
 * fails on the violations of known bugs too; `SIM_STEPS=<n>` sets the schedule's length
 * (default 100); `SIM_TRACE=1` prints each step as it runs.
 */
import { describe, expect, it } from 'vitest'
import { runSimulation, unexplained } from './cluster-sim.js'
import { envInt, failureReport, STRICT, seedsFromEnv, traceDigest } from './support/replay.js'

const STEPS = envInt('SIM_STEPS', 100)
const SEEDS = seedsFromEnv(50)

describe('replication simulation', () => {
  it.each(SEEDS)(
    'seed %i keeps every invariant',
    async (seed) => {
      const result = await runSimulation(seed, { steps: STEPS })
      if (unexplained(result, STRICT).length > 0) {
        expect.fail(failureReport(result, 'replication', STEPS))
      }
      expect(result.pendingTimersAfterClose).toBe(0)
    },
    60_000,
  )

  it('replays a seed byte for byte', async () => {
    const a = await runSimulation(7)
    const b = await runSimulation(7)
    expect(a.steps.length).toBeGreaterThan(60)
    expect(a.finalLogs.length).toBeGreaterThan(0)
    expect(traceDigest(b.steps, b.sends, b.finalLogs)).toBe(
      traceDigest(a.steps, a.sends, a.finalLogs),
    )
  }, 60_000)
})

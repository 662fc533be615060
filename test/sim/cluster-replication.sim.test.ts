/**
 * Issue 4's guarantees under seeded whole-cluster fault schedules (see `cluster-sim.ts`).
 * Replay one seed: `SIM_SEED=<seed> npx vitest run test/sim/cluster-replication.sim.test.ts`;
 * run more: `SIM_SEEDS=1000 npx vitest run test/sim` (seeds 1..n); `SIM_STRICT=1` fails on
 * the violations of known bugs too; `SIM_STEPS=<n>` sets the schedule's length (default 100);
 * `SIM_TRACE=1` prints each step as it runs.
 */
import { describe, expect, it } from 'vitest'
import { report, runSimulation, unexplained } from './cluster-sim.js'

const FILE = 'test/sim/cluster-replication.sim.test.ts'
const STRICT = process.env.SIM_STRICT === '1'
const STEPS = Number(process.env.SIM_STEPS ?? 100)
const SEEDS = process.env.SIM_SEED
  ? [Number(process.env.SIM_SEED)]
  : Array.from({ length: Number(process.env.SIM_SEEDS ?? 50) }, (_, i) => i + 1)

describe('whole-cluster simulation', () => {
  it.each(SEEDS)(
    'seed %i keeps every invariant',
    async (seed) => {
      const result = await runSimulation(seed, { steps: STEPS })
      if (unexplained(result, STRICT).length > 0) expect.fail(report(result, FILE))
      expect(result.pendingTimersAfterClose).toBe(0)
    },
    60_000,
  )

  it('replays a seed byte for byte', async () => {
    const a = await runSimulation(7)
    const b = await runSimulation(7)
    expect(a.steps.length).toBeGreaterThan(60)
    expect(b.steps.join('\n')).toBe(a.steps.join('\n'))
    expect(b.sends.join('\n')).toBe(a.sends.join('\n'))
    expect(b.finalLogs).toBe(a.finalLogs)
    expect(b.finalLogs.length).toBeGreaterThan(0)
  }, 60_000)
})

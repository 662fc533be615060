/**
 * A simulation's seeds as a vitest suite, split across several test files so that vitest runs
 * them in parallel: each file runs its own fixed range of seeds; `SIM_SEED` / `SIM_SEEDS`
 * (with `SIM_FROM`) replace the range in the simulation's first file and empty the others.
 * A failing seed fails with its report and replay commands.
 */
import { describe, expect, it } from 'vitest'
import { SIMS } from '../registry.js'
import { envInt, failureReport, SIM_FILES, type SimName, STRICT, seedsFromEnv } from './replay.js'

/** Where a test file's seeds come from. */
export interface SeedRange {
  /** Seeds in this file. */
  readonly count: number
  /** The first seed. */
  readonly from: number
  /** Whether this is the simulation's first file (the one `SIM_SEED` replays in). */
  readonly primary: boolean
}

/** The seeds a file runs (see the module comment). */
export function rangeSeeds(range: SeedRange): number[] {
  const replaying = process.env.SIM_SEED !== undefined || process.env.SIM_SEEDS !== undefined
  if (replaying) return range.primary ? seedsFromEnv(range.count, range.from) : []
  return Array.from({ length: range.count }, (_, i) => range.from + i)
}

/** A suite that runs `range`'s seeds of `sim`, each one a test. */
export function seedSuite(sim: SimName, range: SeedRange, timeoutMs = 120_000): void {
  const entry = SIMS[sim]
  const steps = envInt('SIM_STEPS', entry.defaultSteps)
  const seeds = rangeSeeds(range)
  describe(`${sim} simulation, seeds ${seeds[0] ?? '-'}..${seeds.at(-1) ?? '-'}`, () => {
    if (seeds.length === 0) {
      it.skip(`replays run in ${SIM_FILES[sim]}`, () => {})
      return
    }
    it.each(seeds)(
      'seed %i keeps every invariant',
      async (seed) => {
        const run = await entry.run(seed, steps)
        const stepsFlag = steps === entry.defaultSteps ? undefined : steps
        if (entry.failures(run, STRICT).length > 0) expect.fail(failureReport(run, sim, stepsFlag))
        expect(run.stats.checks ?? 0).toBeGreaterThan(0)
      },
      timeoutMs,
    )
  })
}

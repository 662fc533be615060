/**
 * Seeds, replay lines and failure reports, the same for every simulation: a failure prints
 * its seed, the broken invariants, the trace and the one-line commands that replay it (under
 * vitest and with `npm run sim`); `SIM_SEED`, `SIM_SEEDS`, `SIM_FROM` and `SIM_STEPS` choose
 * what a test file runs; a trace's digest shows that a seed replays byte for byte.
 */
import { createHash } from 'node:crypto'

/** The simulations `npm run sim -- --sim <name>` knows. */
export type SimName = 'whole' | 'replication' | 'groups'

/** The test file that replays each simulation's seeds. */
export const SIM_FILES: Readonly<Record<SimName, string>> = {
  whole: 'test/sim/whole-cluster.sim.test.ts',
  replication: 'test/sim/cluster-replication.sim.test.ts',
  groups: 'test/sim/consumer-groups.sim.test.ts',
}

/** What every simulation's run gives back. */
export interface SimRun {
  readonly seed: number
  /** The schedule as it ran, one compact line a step (and the recovery's lines). */
  readonly steps: readonly string[]
  /** Broken invariants, empty when the run is good. */
  readonly violations: readonly string[]
  /** Counts of what happened (`fault.<kind>`, `checks`, ...). */
  readonly stats: Readonly<Record<string, number>>
}

/** A violation a known bug explains. */
export interface KnownIssue {
  readonly match: RegExp
  readonly issue: string
}

/** The violations of `run` that no known issue explains (all of them with `strict`). */
export function unexplainedBy(
  run: SimRun,
  known: readonly KnownIssue[],
  strict: boolean,
): string[] {
  if (strict) return [...run.violations]
  return run.violations.filter((v) => !known.some((k) => k.match.test(v)))
}

/** The commands that replay `seed` of `sim` (with `steps` when not the default). */
export function replayLines(sim: SimName, seed: number, steps?: number): string[] {
  const env = steps === undefined ? '' : ` SIM_STEPS=${steps}`
  const flag = steps === undefined ? '' : ` --steps ${steps}`
  return [
    `SIM_SEED=${seed}${env} npx vitest run ${SIM_FILES[sim]}`,
    `npm run sim -- --sim ${sim} --seed ${seed}${flag}`,
  ]
}

/** A failure report: the seed, the broken invariants, the schedule and the replay commands. */
export function failureReport(run: SimRun, sim: SimName, steps?: number): string {
  return [
    `seed ${run.seed}: ${run.violations.length} invariant(s) broken`,
    ...run.violations.slice(0, 20).map((v) => `  ${v}`),
    `steps: ${run.steps.join(' | ')}`,
    `stats: ${JSON.stringify(run.stats)}`,
    ...replayLines(sim, run.seed, steps).map((l) => `replay: ${l}`),
  ].join('\n')
}

/** A SHA-256 of a run's trace lines (two runs of a seed must give the same). */
export function traceDigest(...traces: readonly (readonly string[] | string)[]): string {
  const hash = createHash('sha256')
  for (const t of traces) hash.update(typeof t === 'string' ? t : t.join('\n')).update('\0')
  return hash.digest('hex')
}

/** A positive integer from the environment, or `fallback`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0)
    throw new TypeError(`${name} must be an integer, got ${raw}`)
  return n
}

/**
 * The seeds a test file runs: `SIM_SEED` alone when set, else `SIM_SEEDS` seeds (default
 * `count`) from `SIM_FROM` (default `from`).
 */
export function seedsFromEnv(count: number, from = 1): number[] {
  if (process.env.SIM_SEED) return [envInt('SIM_SEED', 0)]
  const n = envInt('SIM_SEEDS', count)
  const first = envInt('SIM_FROM', from)
  return Array.from({ length: n }, (_, i) => first + i)
}

/** Whether `SIM_STRICT=1` asks to fail on the violations of known bugs too. */
export const STRICT = process.env.SIM_STRICT === '1'

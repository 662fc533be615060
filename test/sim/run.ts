/**
 * Run many simulation seeds outside vitest: `npm run sim -- --seeds 1000 [--from 1]
 * [--steps 60] [--sim whole|replication|groups] [--strict]`, or one seed with `--seed <n>`
 * (`SIM_TRACE=1` prints its steps). Prints a line per seed that fails and a progress line
 * every few seeds, then a summary: seeds and steps run, faults injected by kind, invariant
 * checks, and every failure with the commands that replay it. Exits 1 on a failure.
 */
import { parseArgs } from 'node:util'
import { SIMS } from './registry.js'
import { failureReport, replayLines, type SimName } from './support/replay.js'

interface Args {
  readonly sim: SimName
  readonly seeds: number[]
  readonly steps: number | undefined
  readonly strict: boolean
}

function parse(argv: readonly string[]): Args {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sim: { type: 'string', default: 'whole' },
      seeds: { type: 'string', default: '100' },
      from: { type: 'string', default: '1' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      strict: { type: 'boolean', default: false },
    },
  })
  const sim = values.sim as SimName
  if (!(sim in SIMS)) throw new TypeError(`--sim must be one of ${Object.keys(SIMS).join(', ')}`)
  const int = (name: string, raw: string): number => {
    const n = Number(raw)
    if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`--${name} must be an integer`)
    return n
  }
  const first = int('from', values.from)
  const seeds =
    values.seed !== undefined
      ? [int('seed', values.seed)]
      : Array.from({ length: int('seeds', values.seeds) }, (_, i) => first + i)
  const steps = values.steps === undefined ? undefined : int('steps', values.steps)
  return { sim, seeds, steps, strict: values.strict }
}

/** Add every count of `from` into `into`. */
function addStats(into: Map<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(from)) into.set(k, (into.get(k) ?? 0) + v)
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2))
  const entry = SIMS[args.sim]
  const steps = args.steps ?? entry.defaultSteps
  const totals = new Map<string, number>()
  const failed: string[] = []
  const started = Date.now()
  let done = 0
  let known = 0
  for (const seed of args.seeds) {
    const run = await entry.run(seed, steps)
    addStats(totals, run.stats)
    done++
    const failures = entry.failures(run, args.strict)
    if (failures.length < run.violations.length) {
      known++
      console.log(
        `seed ${seed}: known issue(s): ${run.violations.filter((v) => !failures.includes(v)).join(' ;; ')}`,
      )
    }
    if (failures.length > 0) {
      failed.push(...replayLines(args.sim, seed, args.steps))
      console.log(failureReport(run, args.sim, args.steps))
    }
    if (done % 10 === 0 || done === args.seeds.length) {
      const s = ((Date.now() - started) / 1000).toFixed(0)
      console.log(
        `[${args.sim}] ${done}/${args.seeds.length} seeds, ${failed.length / 2} failed, ${s} s`,
      )
    }
  }
  const faults = [...totals]
    .filter(([k]) => k.startsWith('fault.'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k.slice(6)} ${v}`)
  console.log(
    [
      `sim ${args.sim}: ${done} seeds (${args.seeds[0]}..${args.seeds.at(-1)}), ${done * steps} steps, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      `faults: ${faults.join(', ')}`,
      `invariant checks: ${totals.get('checks') ?? 0}`,
      `seeds with known issues only excused: ${known}`,
      `failures: ${failed.length / 2}`,
      ...failed.map((l) => `  ${l}`),
    ].join('\n'),
  )
  return failed.length > 0 ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(2)
  },
)

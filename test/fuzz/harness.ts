/**
 * The judge of the bad-input fuzz suites. {@link attempt} runs one public call with hostile
 * arguments and accepts only these outcomes: a result, a {@link LogkeeperError} whose code is
 * in the error table (never `UNKNOWN_SERVER_ERROR`, which would hide a crash on the broker
 * side), or the caller's own {@link HostileError} from a getter or Proxy it handed in. A
 * `TypeError`, a `RangeError`, any other throw, a hang, an unhandled rejection or a polluted
 * prototype fails the run. Every call is counted per entry point; with `FUZZ_RUNS` set the
 * counts are printed (and appended as JSON lines to `FUZZ_SUMMARY` when that names a file).
 *
 * Runs are seeded (`FUZZ_SEED`, default {@link SEED}); `FUZZ_RUNS` replaces every suite's
 * fixed number of runs.
 */
import { appendFileSync } from 'node:fs'
import fc from 'fast-check'
import { it } from 'vitest'
import type { VirtualClock } from '../../src/common/clock.js'
import { ERROR_CODES, isLogkeeperError, type LogkeeperError } from '../../src/common/errors.js'
import { HostileError } from './hostile.js'

/** The seed of every property (override with `FUZZ_SEED`). */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_261_124)

const RUNS = Number(process.env.FUZZ_RUNS ?? 0)

/** `FUZZ_RUNS` when set, else the suite's own count. */
export function runs(fixed: number): number {
  return RUNS > 0 ? RUNS : fixed
}

/** A test's time limit for `fixed` runs of `msPerRun` each (scaled to `FUZZ_RUNS`). */
export function timeLimit(fixed: number, msPerRun = 100): number {
  return 30_000 + runs(fixed) * msPerRun
}

/**
 * A vitest test that checks the property `make()` builds, `numRuns` times (or `FUZZ_RUNS`),
 * with a time limit to match.
 */
export function fuzzIt<T>(
  name: string,
  numRuns: number,
  make: () => fc.IAsyncPropertyWithHooks<T>,
  msPerRun = 100,
): void {
  it(name, () => fuzz(make(), numRuns), timeLimit(numRuns, msPerRun))
}

/** Whether a larger run was asked for (then the summary is printed). */
export const verbose = RUNS > 0

/**
 * Check a property with the fixed seed and `runs(numRuns)` runs. A failure is reported with
 * the property's own error and its seed and path, not fast-check's rendering of the
 * counterexample: a hostile argument (a throwing getter) made that rendering throw instead,
 * hiding the failure.
 */
export async function fuzz<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, {
    seed: SEED,
    numRuns: runs(numRuns),
    endOnFailure: true,
  })
  if (!details.failed) return
  const error = details.errorInstance
  const where = `seed ${details.seed}, path "${details.counterexamplePath}"`
  const message = error instanceof Error ? error.message : String(error)
  throw new Error(`property failed (${where}): ${message}`, { cause: error })
}

/** How one call ended. */
export type Outcome =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: LogkeeperError }
  | { readonly kind: 'caller'; readonly error: HostileError }

/** How long one call may take before it counts as a hang. */
export interface Guard {
  /** A virtual clock to run the call on (`runUntil`), if the call's objects use one. */
  readonly clock?: VirtualClock
  /** Virtual ms the call may need (default 10 minutes, past every default timeout). */
  readonly virtualMs?: number
  /** Real ms before the call is declared hung (generous: it detects hangs, not slowness). */
  readonly realMs?: number
}

const tally = new Map<string, Map<string, number>>()

function count(entry: string, label: string): void {
  const row = tally.get(entry) ?? new Map<string, number>()
  row.set(label, (row.get(label) ?? 0) + 1)
  tally.set(entry, row)
}

const unhandled: unknown[] = []
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason)
})

const PROTOTYPES: readonly object[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Promise.prototype,
  Map.prototype,
  Buffer.prototype,
  Uint8Array.prototype,
]
const protoKeys = PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(','))

/** Fail when a prototype gained or lost a key, or a fresh object reads a polluted field. */
export function checkPrototypes(where: string): void {
  PROTOTYPES.forEach((p, i) => {
    const keys = Reflect.ownKeys(p).map(String).sort().join(',')
    if (keys !== protoKeys[i]) throw new Error(`${where}: a prototype's keys changed: ${keys}`)
  })
  const probe = {} as Record<string, unknown>
  if (probe.polluted !== undefined || Object.getPrototypeOf(probe) !== Object.prototype) {
    throw new Error(`${where}: Object.prototype is polluted`)
  }
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown }

const HUNG = Symbol('hung')

async function settleWithin(promise: Promise<Settled>, guard: Guard): Promise<Settled | symbol> {
  let timer: NodeJS.Timeout | undefined
  const realLimit = new Promise<symbol>((resolve) => {
    timer = setTimeout(() => resolve(HUNG), guard.realMs ?? 20_000)
  })
  const virtual =
    guard.clock === undefined
      ? promise
      : guard.clock.runUntil(promise, guard.virtualMs ?? 600_000).catch(() => HUNG)
  try {
    return await Promise.race([virtual, realLimit])
  } finally {
    clearTimeout(timer)
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`
  return String(error)
}

function classify(entry: string, settled: Settled): Outcome {
  if (settled.ok) return { kind: 'ok', value: settled.value }
  const { error } = settled
  if (error instanceof HostileError) return { kind: 'caller', error }
  if (!isLogkeeperError(error) || !(error.code in ERROR_CODES)) {
    throw new Error(`${entry}: not a LogkeeperError: ${describeError(error)}`)
  }
  if (error.code === 'UNKNOWN_SERVER_ERROR') {
    throw new Error(`${entry}: UNKNOWN_SERVER_ERROR hides a crash: ${describeError(error)}`)
  }
  return { kind: 'error', error }
}

function labelOf(outcome: Outcome): string {
  if (outcome.kind === 'ok') return 'ok'
  if (outcome.kind === 'caller') return 'caller error'
  return outcome.error.code
}

/**
 * Run `call` (sync or async) under `guard` and judge its outcome (see the module comment).
 * Throws, failing the property, on any outcome that is not allowed.
 */
export async function attempt(
  entry: string,
  call: () => unknown,
  guard: Guard = {},
): Promise<Outcome> {
  const promise = (async () => call())().then(
    (value): Settled => ({ ok: true, value }),
    (error: unknown): Settled => ({ ok: false, error }),
  )
  const settled = await settleWithin(promise, guard)
  if (typeof settled === 'symbol') throw new Error(`${entry}: hung (no outcome within the guard)`)
  const outcome = classify(entry, settled)
  await new Promise((resolve) => setImmediate(resolve))
  if (unhandled.length > 0) {
    throw new Error(`${entry}: unhandled rejection: ${describeError(unhandled.splice(0)[0])}`)
  }
  checkPrototypes(entry)
  count(entry, labelOf(outcome))
  if (process.env.FUZZ_TRACE && outcome.kind === 'error') {
    process.stderr.write(`  -> ${outcome.error.code}: ${outcome.error.message.slice(0, 160)}\n`)
  }
  return outcome
}

/** Calls counted so far, per entry point and outcome. */
export function counts(): ReadonlyMap<string, ReadonlyMap<string, number>> {
  return tally
}

/** Print the counts (and append them to `FUZZ_SUMMARY`) when `FUZZ_RUNS` is set. */
export function report(suite: string): void {
  if (!verbose) return
  const lines = [...tally].map(([entry, row]) => {
    const total = [...row.values()].reduce((a, b) => a + b, 0)
    const parts = [...row].sort((a, b) => b[1] - a[1]).map(([label, n]) => `${label} ${n}`)
    return `  ${entry.padEnd(34)} ${String(total).padStart(6)}  ${parts.join(', ')}`
  })
  console.log(`bad input, ${suite} (seed ${SEED}, FUZZ_RUNS=${RUNS}):\n${lines.join('\n')}`)
  const file = process.env.FUZZ_SUMMARY
  if (file === undefined) return
  for (const [entry, row] of tally) {
    appendFileSync(file, `${JSON.stringify({ suite, entry, outcomes: Object.fromEntries(row) })}\n`)
  }
}

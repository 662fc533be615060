/**
 * The benchmark harness: every figure is a ratio against a baseline measured in the same run,
 * on the same machine, because machines here are shared and noisy. A suite reports rows; the
 * harness prints them as a table and writes them as JSON under bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One measured figure. */
export interface Measurement {
  /** Operations (records, requests, cycles) per second. */
  opsPerSec: number
  /** Bytes per second, where the operation moves bytes. */
  bytesPerSec?: number
  /** How many operations were timed. */
  ops: number
  /** Seconds timed. */
  seconds: number
}

/** One row of the results: a subject measured against its baseline. */
export interface Row {
  suite: string
  name: string
  unit: string
  subject: number
  baseline?: number
  /** subject / baseline (or baseline / subject where lower is better). */
  ratio?: number
  /** The target, as text (e.g. ">= 0.5x baseline"). */
  target?: string
  /** Whether the target is met; undefined where no target applies. */
  met?: boolean
  /** Extra figures (MB/s, p50, p99, …). */
  extra?: Record<string, number | string>
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Seconds to keep measuring (after warm-up). */
  seconds?: number
  /** Operations done by one call of `fn` (e.g. records in a batch). */
  opsPerCall?: number
  /** Bytes moved by one call of `fn`. */
  bytesPerCall?: number
  /** Calls made before timing starts. */
  warmupCalls?: number
  /** Stop after this many timed calls even if time is left (bounds memory of append loops). */
  maxCalls?: number
}

/** Settings every suite receives. */
export interface BenchContext {
  /** A shorter run (CI smoke): fewer seconds per measurement. */
  quick: boolean
  /** Seconds per measurement. */
  seconds: number
  /** A scratch directory for disk benchmarks, removed by the suite. */
  tmpDir: string
}

/** A benchmark suite. */
export interface Suite {
  name: string
  run(ctx: BenchContext): Promise<Row[]>
}

/**
 * Time `fn` (sync or async) repeatedly for about `seconds`, in rounds that grow until a round
 * lasts long enough to time well.
 */
export async function measure(
  fn: () => unknown,
  {
    seconds = 1,
    opsPerCall = 1,
    bytesPerCall,
    warmupCalls = 100,
    maxCalls = Number.POSITIVE_INFINITY,
  }: MeasureOptions = {},
): Promise<Measurement> {
  for (let i = 0; i < warmupCalls; i++) {
    const r = fn()
    if (r instanceof Promise) await r
  }
  let calls = 0
  let elapsedNs = 0n
  let round = 16
  const budgetNs = BigInt(Math.round(seconds * 1e9))
  while (elapsedNs < budgetNs && calls < maxCalls) {
    round = Math.max(1, Math.min(round, maxCalls - calls))
    const start = process.hrtime.bigint()
    for (let i = 0; i < round; i++) {
      const r = fn()
      if (r instanceof Promise) await r
    }
    elapsedNs += process.hrtime.bigint() - start
    calls += round
    if (round < 1 << 20) round *= 2
  }
  const secs = Number(elapsedNs) / 1e9
  const ops = calls * opsPerCall
  return {
    opsPerSec: ops / secs,
    bytesPerSec: bytesPerCall === undefined ? undefined : (calls * bytesPerCall) / secs,
    ops,
    seconds: secs,
  }
}

/** Percentiles of a list of samples (any unit). */
export function percentiles(samples: number[], ps: number[]): number[] {
  const sorted = Float64Array.from(samples).sort()
  return ps.map(
    (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN,
  )
}

/** Build a "higher is better" row from a subject and a baseline measurement. */
export function ratioRow(
  suite: string,
  name: string,
  subject: Measurement,
  baseline: Measurement | undefined,
  targetRatio?: number,
): Row {
  const ratio = baseline ? subject.opsPerSec / baseline.opsPerSec : undefined
  const extra: Record<string, number | string> = {}
  if (subject.bytesPerSec !== undefined) extra['MB/s'] = round(subject.bytesPerSec / 1e6)
  if (baseline?.bytesPerSec !== undefined)
    extra['baseline MB/s'] = round(baseline.bytesPerSec / 1e6)
  return {
    suite,
    name,
    unit: 'ops/s',
    subject: Math.round(subject.opsPerSec),
    baseline: baseline ? Math.round(baseline.opsPerSec) : undefined,
    ratio: ratio === undefined ? undefined : round(ratio),
    target: targetRatio === undefined ? undefined : `>= ${targetRatio}x baseline`,
    met: targetRatio === undefined || ratio === undefined ? undefined : ratio >= targetRatio,
    extra,
  }
}

/** Round to 3 significant decimals for display. */
export function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(3))
}

function fmt(n: number | undefined): string {
  if (n === undefined) return ''
  return n >= 1000 ? Math.round(n).toLocaleString('en-US') : String(n)
}

/** The rows as a Markdown table. */
export function toMarkdown(rows: Row[]): string {
  const head = '| suite | case | unit | logkeeper | baseline | ratio | target | met | extra |'
  const sep = '|---|---|---|---:|---:|---:|---|---|---|'
  const lines = rows.map((r) => {
    const extra = Object.entries(r.extra ?? {})
      .map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v) : v}`)
      .join(', ')
    const met = r.met === undefined ? '' : r.met ? 'yes' : 'NO'
    return `| ${r.suite} | ${r.name} | ${r.unit} | ${fmt(r.subject)} | ${fmt(r.baseline)} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${met} | ${extra} |`
  })
  return [head, sep, ...lines].join('\n')
}

/** Write the rows as JSON under bench/results/ (a dated file and latest.json). */
export function writeResults(rows: Row[], meta: Record<string, unknown>): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results')
  mkdirSync(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const body = JSON.stringify({ ...meta, rows }, null, 2)
  const file = join(dir, `${stamp}.json`)
  writeFileSync(file, body)
  writeFileSync(join(dir, 'latest.json'), body)
  return file
}

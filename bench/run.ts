/**
 * `npm run bench [-- --quick] [-- --suite log,coordinator]`: runs the benchmark suites, prints
 * one table, writes JSON under bench/results/. See docs/benchmarks.md for the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Row, type Suite, toMarkdown, writeResults } from './harness.js'
import { suites } from './suites/index.js'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick')
  const only = arg('suite')?.split(',')
  const selected: Suite[] = suites.filter((s) => !only || only.includes(s.name))
  const tmpDir = mkdtempSync(join(tmpdir(), 'logkeeper-bench-'))
  const rows: Row[] = []
  try {
    for (const suite of selected) {
      process.stderr.write(`running ${suite.name}…\n`)
      rows.push(...(await suite.run({ quick, seconds: quick ? 0.2 : 1, tmpDir })))
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true })
  }
  console.log(toMarkdown(rows))
  const file = writeResults(rows, {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    quick,
  })
  process.stderr.write(`\nwrote ${file}\n`)
}

await main()

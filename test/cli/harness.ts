/**
 * Running the built command line as a user does: `node <built cli.js> ...` as a child process
 * in a temporary directory. The CLI is built once per test file with tsup (the same options as
 * the package's `bin` build) into node_modules/.cache, so a fresh clone needs no prior
 * `npm run build`; the bundle resolves its dependencies from the project's node_modules.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsup'
import { afterAll, beforeAll } from 'vitest'
import { cliBuild } from '../../tsup.config.js'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')

/** What a run of the CLI printed and returned. */
export interface CliResult {
  /** The exit status. */
  readonly code: number | null
  /** Everything written to stdout. */
  readonly stdout: string
  /** Everything written to stderr. */
  readonly stderr: string
}

/** Options of {@link Cli.run}. */
export interface RunOptions {
  /** Text written to stdin, which is then closed (default: stdin closed at once). */
  readonly input?: string
  /** The working directory (default: the test file's temporary directory). */
  readonly cwd?: string
}

/** A built CLI and a temporary working directory for one test file. */
export interface Cli {
  /** The temporary working directory (removed after the file's tests). */
  readonly dir: () => string
  /** A fresh subdirectory path of the working directory (not created). */
  readonly newDir: (label?: string) => string
  /** Run `logkeeper <args>`. */
  readonly run: (args: readonly string[], options?: RunOptions) => Promise<CliResult>
  /** Start `logkeeper <args>` with stdin left open (for prompts and held directories). */
  readonly start: (args: readonly string[], options?: RunOptions) => ReturnType<typeof spawn>
  /** The path of the built `cli.js`. */
  readonly path: () => string
}

/** Build the CLI before this file's tests, and give a way to run it. */
export function useCli(label: string): Cli {
  let outDir = ''
  let work = ''
  let n = 0
  beforeAll(async () => {
    const cache = join(ROOT, 'node_modules', '.cache', 'logkeeper-cli-test')
    await mkdir(cache, { recursive: true })
    outDir = await mkdtemp(join(cache, `${label}-`))
    work = await mkdtemp(join(tmpdir(), `logkeeper-cli-${label}-`))
    await build({ ...cliBuild, outDir, sourcemap: false, silent: true, config: false })
  }, 60_000)
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true })
    await rm(work, { recursive: true, force: true })
  })
  const path = () => join(outDir, 'cli.js')
  const start = (args: readonly string[], options: RunOptions = {}) =>
    spawn(process.execPath, [path(), ...args], {
      cwd: options.cwd ?? work,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    })
  const run = (args: readonly string[], options: RunOptions = {}) =>
    new Promise<CliResult>((done, fail) => {
      const child = start(args, options)
      let stdout = ''
      let stderr = ''
      child.stdout?.setEncoding('utf8').on('data', (s: string) => {
        stdout += s
      })
      child.stderr?.setEncoding('utf8').on('data', (s: string) => {
        stderr += s
      })
      child.on('error', fail)
      child.on('close', (code) => done({ code, stdout, stderr }))
      child.stdin?.end(options.input ?? '')
    })
  return {
    dir: () => work,
    newDir: (name = 'd') => join(work, `${name}${n++}`),
    run,
    start,
    path,
  }
}

/** Output with the run-dependent parts (times, session ids) replaced by placeholders. */
export function normalise(text: string): string {
  return text
    .replace(/^([cm]time = )\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/gm, '$1<date>')
    .replace(/^ephemeralOwner = 0x[1-9a-f][0-9a-f]*$/gm, 'ephemeralOwner = <session>')
}

/** zkCli's preamble of a one-shot command, on stderr. */
export function oneShotPreamble(dir: string): string {
  return `Connecting to ${dir}\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n`
}

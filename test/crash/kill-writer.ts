/**
 * Running the crash writer (writer.ts) as a child process and killing it with SIGKILL at a
 * chosen moment. The child is `node --import tsx` itself, not the tsx command (which runs node
 * in a grandchild that a SIGKILL would leave running). Every line the child printed before it
 * died is read, including those written between the decision to kill and the kill.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Ledger } from './ledger.js'

const ROOT = join(import.meta.dirname, '..', '..')
const WRITER = join('test', 'crash', 'writer.ts')

/** When to kill the writer. */
export interface KillPlan {
  /** Kill once this many acknowledgements are printed (0: `afterMs` counts from the spawn). */
  readonly afterAcks: number
  /** Then wait this long before the kill. */
  readonly afterMs: number
  /** Instead, the writer kills itself right after printing this many acknowledgements. */
  readonly selfKill?: number
}

/** What one writer run did. */
export interface WriterRun {
  /** Acknowledgements the run printed. */
  readonly acks: number
  /** Whether it had opened the cluster and started writing (printed `ready`). */
  readonly ready: boolean
}

/** The arguments of one writer run. */
export interface WriterArgs {
  readonly dataDir: string
  readonly brokers: number
  readonly seed: number
  readonly run: number
  readonly fsync: boolean
}

/**
 * Start the writer on `args.dataDir`, let it be killed with SIGKILL as `plan` says, and take
 * every acknowledgement it printed into `ledger`. Fails if the writer exits any other way (its
 * stderr is in the error), or is still running after `timeoutMs`.
 */
export function killWriter(
  args: WriterArgs,
  plan: KillPlan,
  ledger: Ledger,
  timeoutMs = 30_000,
): Promise<WriterRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...writerArgs(args, plan)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let acks = 0
    let ready = false
    let stderr = ''
    let rest = ''
    const timers: NodeJS.Timeout[] = []
    const kill = () => child.kill('SIGKILL')
    const scheduleKill = () => timers.push(setTimeout(kill, plan.afterMs))
    if (plan.selfKill === undefined && plan.afterAcks === 0) scheduleKill()
    const overdue = setTimeout(() => {
      stderr += `\n[still running after ${timeoutMs} ms, ${acks} acknowledgements]`
      kill()
    }, timeoutMs)
    const takeLine = (line: string) => {
      if (line === '{"kind":"ready"}') ready = true
      else if (ledger.take(line) !== undefined && ++acks === plan.afterAcks) {
        if (plan.selfKill === undefined) scheduleKill()
      }
    }
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) takeLine(line)
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      for (const t of [...timers, overdue]) clearTimeout(t)
      if (rest !== '') takeLine(rest) // a torn last line is not JSON and is ignored
      if (signal === 'SIGKILL' && !stderr.includes('[still running')) resolve({ acks, ready })
      else reject(new Error(`the writer ended with code ${code}, signal ${signal}: ${stderr}`))
    })
  })
}

function writerArgs(args: WriterArgs, plan: KillPlan): string[] {
  const { dataDir, brokers, seed, run, fsync } = args
  const mode = fsync ? 'fsync' : 'default'
  return [dataDir, String(brokers), String(seed), String(run), mode, String(plan.selfKill ?? 0)]
}

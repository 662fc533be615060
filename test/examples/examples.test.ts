/**
 * Every example in examples/ runs as it is, as a user would run it (`npx tsx examples/x.ts`),
 * and ends well. Examples import from 'logkeeper', which tsconfig's `paths` maps to src/.
 */
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'))

/** Lines each example must print: proof that it did its job, not just that it exited. */
const EXPECTED: Record<string, RegExp[]> = {
  'demo.ts': [
    /appended offsets 10\.\.11/,
    /00000000000000000004\.log/,
    /reopened: log start 0, log end 12, 3 segments/,
    /offset 11 {2}customer-1 {2}\{"order":106\}/,
    /OFFSET_OUT_OF_RANGE \(Kafka error 1\)/,
    /NODE_EXISTS \(ZooKeeper -110\)/,
    /watch fired at \+6000 ms: NodeChildrenChanged \/workers/,
    /w2's session is expired/,
  ],
  'lock-and-election.ts': [
    /worker 0 holds the lock, fencing token \d+/,
    /worker 1 holds the lock, fencing token \d+/,
    /\[\+0 ms\] leaders now: node-1\n/,
    /\[\+6000 ms\] node-1 lost leadership\n\[\+6000 ms\] node-2 is the leader/,
    /\[\+10000 ms\] leaders now: node-2\n/,
  ],
  'master-worker.ts': [
    /\[\+0 ms\] master-1 is master\n/,
    /master-1 sees workers: worker-1@w1:9000, worker-2@w2:9000, worker-3@w3:9000, worker-4@w4:9000\n/,
    /worker-2 dies\n.*master-1 sees workers: worker-1@w1:9000, worker-3@w3:9000, worker-4@w4:9000\n/,
    /\[\+6000 ms\] master-1 is no longer master \(expired\)\n\[\+6000 ms\] master-2 is master\n/,
    /master-2 sees workers: worker-1@w1:9000, worker-3@w3:9000, worker-4@w4:9000\n/,
    /new master master-2 has workers: worker-1, worker-3, worker-4\n/,
  ],
}

describe('examples', () => {
  it('has an expectation for every example', () => {
    expect(examples.sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  for (const file of examples) {
    it(`runs ${file}`, async () => {
      const { stdout } = await run(tsx, [join('examples', file)], { cwd: root, timeout: 60_000 })
      for (const pattern of EXPECTED[file] ?? []) expect(stdout).toMatch(pattern)
      const tokens = [...stdout.matchAll(/fencing token (\d+)/g)].map((m) => Number(m[1]))
      expect(tokens).toEqual([...tokens].sort((a, b) => a - b))
    })
  }
})

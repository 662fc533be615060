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
    /Topic: orders\tPartition: 0\tLeader: (\d)\tReplicas: \1,\d\tIsr: \1,\d\n/,
    /order of alice -> partition (\d), offset 0\n[\s\S]*order of alice -> partition \1, offset \d\n/,
    /broker (\d) crashes[\s\S]*zk ls \/brokers\/ids: \[(?![^\]]*\1)[^\]]*\]\n/,
    /order of bob -> partition \d, offset \d \(acks=all/,
  ],
  'delivery-semantics.ts': [
    /at-most-once: crash \(failed on p2\), restart: true\n/,
    /at-most-once: charged p0, p1, p3, p4; lost: p2; twice: none\n/,
    /at-least-once: charged p0, p1, p2, p3, p4; lost: none; twice: none\n/,
    /at-least-once, failing after the charge: charged p0, p1, p2, p2, p3, p4; lost: none; twice: p2\n/,
  ],
  'disk-restart.ts': [
    /appended p-3 at offset 2\n/,
    /created \/payments\/config \(persistent\), czxid (0x[0-9a-f]+)\n[\s\S]*\/payments\/config is back: czxid \1, data '\{"currency":"EUR"\}'/,
    /log reopened: log start 0, log end 3\n {2}offset 0 p-1=\{"amount":10\}\n {2}offset 1 p-2=\{"amount":25\}\n {2}offset 2 p-3=\{"amount":40\}\nappended p-4 at offset 3\n/,
    /ephemeral of session (0x[0-9a-f]+)[\s\S]*\/payments\/workers\/w1 is still there, owner \1: w1\n/,
    /at \+3000 ms workers: w1\n/,
    /watch fired at \+\d+ ms: NodeChildrenChanged \/payments\/workers\nat \+9000 ms workers: \(none\)\n/,
  ],
  'event-log.ts': [
    /produced 12 orders to 4 partitions\n/,
    /the group shares the partitions: billing-a \[(\d), (\d)\], billing-b \[(?!.*\1)(?!.*\2)\d, \d\]\n/,
    /handled: billing-a \d+, billing-b \d+ of 12\n/,
    /describeGroups: Stable, protocol range, billing-\w \[\d, \d\], billing-\w \[\d, \d\]\n/,
    /billing-b stops \(generation (\d+)\)\n[\s\S]*billing-a owns \[0, 1, 2, 3\] in generation (?!\1 )\d+/,
    /handled: billing-a \d+, billing-b \d+ of 20, 20 distinct: none twice\n/,
    /orders-0: committed \d+, end \d+, lag \d+\n[\s\S]*orders-3: committed \d+, end \d+, lag \d+\n/,
    /the group is Empty with 0 members/,
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
  'shared-config.ts': [
    /app-1 starts with version 0: jdbc:postgresql:\/\/db1:5432\/orders as app, pool 10\n/,
    /operator console raised the pool to 20 \(version 1\)/,
    /admin's write expecting version 0 failed: BAD_VERSION; reading again\n.*admin wrote version 2 \(attempt 2, expected 1\)\n/,
    /app-3 sees a change from version 1 to version 2: jdbc:postgresql:\/\/db2:5432\/orders as app, pool 20\n/,
    /admin wrote version 3 \(attempt 1, expected 2\)\n/,
    /(\[\+\d+ ms\] app-\d sees a change from version 2 to version 3: .* as app_rw, pool 20\n){3}/,
    /(\[\+\d+ ms\] app-\d sees the settings deleted \(last was version 3\)\n){3}/,
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

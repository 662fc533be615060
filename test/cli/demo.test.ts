/**
 * `logkeeper demo`: the narrated tour runs through the built CLI, exits 0, tells each
 * chapter's key facts (replica placement, same key same partition, the group's owners before
 * and after the rebalance, the lock's hand-overs with growing fencing tokens, the master's
 * failover), and tells the same story for the same seed.
 */
import { describe, expect, it } from 'vitest'
import { useCli } from './harness.js'

const cli = useCli('demo')

/** The numbers in `line` (fencing tokens, partitions). */
const numbers = (line: string | undefined) => (line ?? '').match(/\d+/g)?.map(Number) ?? []

describe('demo', () => {
  it('walks through the five chapters and exits 0', async () => {
    const r = await cli.run(['demo'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = r.stdout
    const lines = out.split('\n')
    const intro = out.slice(0, out.indexOf('\n== 1.'))
    expect(intro.startsWith('logkeeper demo: a cluster of 3 brokers')).toBe(true)
    expect(intro).toContain('(seed 42).')
    for (const [n, title] of [
      [1, 'A topic on three brokers'],
      [2, 'Same key, same partition'],
      [3, 'A consumer group rebalances'],
      [4, 'A lock passed between two clients'],
      [5, 'A master-worker election fails over'],
    ] as const) {
      expect(lines).toContain(`== ${n}. ${title}`)
    }

    // 1. Three partitions, each on all three brokers, all in sync, leaders spread out.
    const placement = lines.filter((l) => /^ {3}partition \d: leader broker \d/.test(l))
    expect(placement).toHaveLength(3)
    const leaders = new Set<number>()
    for (const line of placement) {
      const [, leader, replicas, isr] = /leader broker (\d), replicas \[(.*)\], in sync \[(.*)\]/
        .exec(line)!
        .map(String)
      leaders.add(Number(leader))
      expect(replicas!.split(', ').sort()).toEqual(['0', '1', '2'])
      expect(isr!.split(', ').sort()).toEqual(['0', '1', '2'])
    }
    expect(leaders.size).toBe(3)
    expect(out).toMatch(/get \/brokers\/topics\/orders\n {3}\{.*"partitions":\{"0":\[/)
    expect(out).toContain('ls /brokers/ids -> [0, 1, 2]')

    // 2. Each key's records on one partition.
    const placed = new Map<string, Set<number>>()
    for (const line of lines) {
      const m = /^ {3}key (\w+) +-> partition (\d), offset \d+$/.exec(line)
      if (m) placed.set(m[1]!, (placed.get(m[1]!) ?? new Set()).add(Number(m[2])))
    }
    expect([...placed.keys()].sort()).toEqual(['alice', 'bob', 'carol', 'dave'])
    for (const partitions of placed.values()) expect(partitions.size).toBe(1)
    expect(out).toContain('Every customer stayed on one partition')

    // 3. One member owns all three partitions; after the rebalance they are shared.
    expect(out).toMatch(/generation (\d+): billing-1 owns \[0, 1, 2\]/)
    const [before] = numbers(/generation (\d+): billing-1 owns \[0, 1, 2\]/.exec(out)?.[0])
    const after = lines.filter((l) => /^ {3}generation \d+: billing-[12] owns/.test(l)).slice(1)
    expect(after).toHaveLength(2)
    const shared = after.flatMap((l) => numbers(/\[(.*)\]/.exec(l)?.[1]))
    expect(shared.sort()).toEqual([0, 1, 2])
    for (const line of after) expect(numbers(line)[0]).toBeGreaterThan(before!)
    expect(out).toContain('billing-1 read all 7 orders')

    // 4. The lock goes alice -> bob -> alice, each grant's fencing token larger.
    const tokens = lines
      .filter(
        (l) =>
          /holds? (the lock|\/locks\/invoices).*fencing token/.test(l) || /takes \/locks/.test(l),
      )
      .map((l) => Number(/fencing token (\d+)/.exec(l)?.[1]))
    expect(tokens).toHaveLength(3)
    expect(tokens[0]).toBeLessThan(tokens[1]!)
    expect(tokens[1]).toBeLessThan(tokens[2]!)
    expect(out).toMatch(
      /-lock-0000000000 {2}alice, holds the lock\n.*-lock-0000000001 {2}bob, watches/,
    )
    expect(out).toContain("bob's lock is held: false")

    // 5. The master hangs, another candidate takes over with the same workers.
    const won = /(m\d) wins \/app\/master/.exec(out)?.[1]
    const took = /(m\d) took over/.exec(out)?.[1]
    expect(won).toBeDefined()
    expect(took).toBeDefined()
    expect(took).not.toBe(won)
    expect(out).toContain(`${won} sees workers: w1, w2`)
    expect(out).toContain(`${took} sees workers: w1, w2`)
    expect(out).toContain(`${won} is master: false`)
  })

  it('tells the same story for the same seed', async () => {
    const [a, b] = await Promise.all([
      cli.run(['demo', '--seed', '7']),
      cli.run(['demo', '--seed', '7']),
    ])
    expect(a.code).toBe(0)
    expect(a.stdout).toContain('(seed 7)')
    expect(b.stdout).toBe(a.stdout)
  })

  it('refuses a seed that is not a number, with its usage', async () => {
    const r = await cli.run(['demo', '--seed', 'x'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^logkeeper: --seed must be a whole number, got x\n\nUsage: logkeeper demo/,
    )
  })

  it('has a --help with examples', async () => {
    const r = await cli.run(['demo', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: logkeeper demo [--seed <n>]')
    expect(r.stdout).toContain('Examples:\n  logkeeper demo\n')
  })
})

/** Groups: sharing partitions, rebalances on join / leave / death, commits across restarts and failover. */
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import type { LogkeeperError } from '../../src/common/errors.js'
import { CLOSE_TIMEOUT_MS, type Consumer } from '../../src/consumer/consumer.js'
import type { ConsumerOptions } from '../../src/consumer/options.js'
import type { TopicPartition } from '../../src/consumer/types.js'
import { collector, consumerOf, perTest, produce, topicWith, values } from './helpers.js'

const world = perTest()

async function start(): Promise<Cluster<VirtualClock>> {
  return world.cluster()
}

function member(c: Cluster<VirtualClock>, options: ConsumerOptions = {}): Consumer {
  const consumer = consumerOf(c, { groupId: 'g', sessionTimeoutMs: 10_000, ...options })
  return world.track(consumer)
}

function tps(list: readonly TopicPartition[]): string[] {
  return list.map((t) => `${t.topic}-${t.partition}`).sort()
}

/** Start `consumer` on `topic` from the beginning, collecting into `got`. */
async function running(consumer: Consumer, got: ReturnType<typeof collector>, topic = 't') {
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) =>
      got.push({ topic, partition, ...message }),
  })
}

/** Advance time until every consumer is stable with `sizes` partitions. */
async function settle(c: Cluster<VirtualClock>, members: Consumer[], total: number) {
  await c.clock.runUntil(
    (async () => {
      while (
        members.reduce((n, m) => n + m.assignment().length, 0) !== total ||
        members.some((m) => m.generationId < 0 || m.generationId !== members[0]?.generationId)
      ) {
        await c.clock.sleep(100)
      }
    })(),
  )
}

describe('a group', () => {
  it('shares partitions by range between two members, then rebalances to a third (revoking first)', async () => {
    const c = await start()
    await topicWith(c, 't', 6, 0)
    const a = member(c)
    const b = member(c)
    const got = collector()
    const revokedA: string[][] = []
    a.on('partitions.revoked', (e) => revokedA.push(tps(e.partitions)))
    await running(a, got)
    await settle(c, [a], 6)
    await running(b, got)
    await settle(c, [a, b], 6)
    expect(a.assignment()).toHaveLength(3)
    expect(b.assignment()).toHaveLength(3)
    expect(revokedA).toEqual([[0, 1, 2, 3, 4, 5].map((p) => `t-${p}`)])
    const third = member(c)
    await running(third, got)
    await settle(c, [a, b, third], 6)
    for (const m of [a, b, third]) expect(m.assignment()).toHaveLength(2)
    // range: contiguous blocks in member-id order
    const blocks = [a, b, third].map((m) => m.assignment().map((t) => t.partition))
    for (const blk of blocks) expect(blk[1]).toBe((blk[0] as number) + 1)
    await produce(c, 't', 60, 6)
    await c.clock.runUntil(got.until(60))
    expect(new Set(values(got.seen)).size).toBe(60)
  })

  it('assigns round-robin as the roundrobin assignor does', async () => {
    const c = await start()
    await topicWith(c, 't', 4, 0)
    const a = member(c, { partitionAssigners: ['roundrobin'] })
    const b = member(c, { partitionAssigners: ['roundrobin'] })
    const got = collector()
    await running(a, got)
    await running(b, got)
    await settle(c, [a, b], 4)
    const [first, second] = [a, b].sort((x, y) => (x.memberId < y.memberId ? -1 : 1))
    expect(first?.assignment().map((t) => t.partition)).toEqual([0, 2])
    expect(second?.assignment().map((t) => t.partition)).toEqual([1, 3])
  })

  it('hands the partitions of a stopped member (LeaveGroup) to the others at once', async () => {
    const c = await start()
    await topicWith(c, 't', 4, 0)
    const a = member(c)
    const b = member(c)
    const got = collector()
    await running(a, got)
    await running(b, got)
    await settle(c, [a, b], 4)
    const before = c.clock.now()
    await c.clock.runUntil(b.stop())
    await settle(c, [a], 4)
    expect(c.clock.now() - before).toBeLessThan(10_000)
    expect((await c.clock.runUntil(a.describeGroup())).members).toHaveLength(1)
  })

  it('hands the partitions of a dead member over after its session times out', async () => {
    const c = await start()
    await topicWith(c, 't', 4, 0)
    const a = member(c)
    const b = member(c)
    const got = collector()
    await running(a, got)
    await running(b, got)
    await settle(c, [a, b], 4)
    const lost: string[][] = []
    b.on('partitions.lost', (e) => lost.push(tps(e.partitions)))
    c.network.isolate(clientOf(b))
    await c.clock.advance(11_000)
    await settle(c, [a], 4)
    expect(a.assignment()).toHaveLength(4)
    c.network.heal()
    await c.clock.advance(5_000)
    expect(lost).toHaveLength(1)
    expect(lost[0]).toHaveLength(2)
  })

  it('keeps committed offsets across a restart of the consumer and a coordinator failover', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 10)
    const got = collector()
    const a = member(c, { autoCommitIntervalMs: 1000 })
    await running(a, got)
    await c.clock.runUntil(got.until(10))
    await c.clock.runUntil(a.disconnect())
    const group = await c.clock.runUntil(member(c).describeGroup())
    expect(group.members).toHaveLength(0)
    // kill the coordinator: the new leader of its __consumer_offsets partition has the offsets
    const coordinator = await c.clock.runUntil(coordinatorOf(c, 'g'))
    c.brokers[coordinator]?.kill()
    await c.clock.advance(20_000)
    await produce(c, 't', 4, 2, 'w')
    const again = collector()
    const b = member(c)
    await running(b, again)
    await c.clock.runUntil(again.until(4))
    await c.clock.advance(1000)
    expect(values(again.seen)).toEqual(['w0', 'w1', 'w2', 'w3'])
  })

  it('auto-commits what was handled once autoCommitIntervalMs has passed, not before', async () => {
    const c = await start()
    await topicWith(c, 't', 1, 5)
    const got = collector()
    const a = member(c, { autoCommitIntervalMs: 2_000 })
    const commits: string[][] = []
    a.on('commit.offsets', (e) => commits.push(e.topics.map((t) => `${t.partition}:${t.offset}`)))
    await running(a, got)
    await c.clock.runUntil(got.until(5))
    const handledAt = c.clock.now()
    while (c.clock.now() - handledAt < 1_500) await c.clock.advance(100)
    expect(commits).toEqual([])
    while (commits.length === 0 && c.clock.now() - handledAt < 10_000) await c.clock.advance(100)
    expect(commits).toEqual([['0:5']])
    // Nothing new handled: later intervals commit nothing again; a new record is committed.
    await c.clock.advance(5_000)
    expect(commits).toEqual([['0:5']])
    await produce(c, 't', 1, 1, 'w')
    await c.clock.runUntil(got.until(6))
    while (commits.length === 1 && c.clock.now() - handledAt < 30_000) await c.clock.advance(100)
    expect(commits).toEqual([['0:5'], ['0:6']])
  })

  it('disconnect gives the last commit and LeaveGroup 30 s at most (Java: close timeout) when the coordinator is out of reach', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 6)
    const got = collector()
    const a = member(c)
    await running(a, got)
    await c.clock.runUntil(got.until(6))
    let disconnected = false
    a.on('disconnect', () => {
      disconnected = true
    })
    c.network.isolate(clientOf(a))
    const started = c.clock.now()
    await c.clock.runUntil(a.disconnect())
    expect(disconnected).toBe(true)
    // Retrying the commit alone took two minutes.
    expect(c.clock.now() - started).toBeLessThanOrEqual(CLOSE_TIMEOUT_MS)
  })

  it('rejects a commit from a member whose generation has ended', async () => {
    const c = await start()
    await topicWith(c, 't', 2, 0)
    const a = member(c)
    const b = member(c)
    const got = collector()
    await running(a, got)
    await settle(c, [a], 2)
    c.network.isolate(clientOf(a))
    await running(b, got)
    await c.clock.advance(11_000)
    await settle(c, [b], 2)
    c.network.heal()
    const commit = a.commitOffsets([{ topic: 't', partition: 0, offset: '5' }])
    const err = await c.clock.runUntil(commit.catch((e: LogkeeperError) => e))
    expect(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']).toContain((err as LogkeeperError).code)
  })
})

function clientOf(consumer: Consumer): string {
  return (consumer as unknown as { options: { clientId?: string } }).options.clientId ?? ''
}

async function coordinatorOf(c: Cluster<VirtualClock>, groupId: string): Promise<number> {
  const r = await c.transport.send('test', 0, 'FindCoordinator', { key: groupId, keyType: 0 })
  return r.nodeId
}

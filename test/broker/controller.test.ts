/**
 * The controller under a virtual clock: election and failover through `/controller` and
 * `/controller_epoch`, leader failover within the ISR on a broker kill, offline partitions
 * (whole ISR down) with and without unclean leader election, and recovery on restart.
 */
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import { clusterPerTest, createTopic, produce, readJson, settle } from '../cluster/helpers.js'

const start = clusterPerTest({ 'zookeeper.session.timeout.ms': 6000 })

/** Advance past the broker session timeout and let the controller react. */
async function pastSessionTimeout(c: Cluster<VirtualClock>) {
  await c.clock.advance(6000 + 1000)
  await settle()
}

describe('controller election', () => {
  it('the first broker becomes controller at epoch 1, as the znodes say', async () => {
    const { c, zk } = await start(3)
    expect(c.controller()).toBe(0)
    expect(c.brokers.map((b) => b.isController)).toEqual([true, false, false])
    expect(await readJson(zk, '/controller')).toEqual({
      version: 1,
      brokerid: 0,
      timestamp: String(c.clock.now()),
    })
    expect((await zk.getData('/controller_epoch')).data?.toString()).toBe('1')
    expect((await zk.exists('/controller'))?.ephemeralOwner).toBe(c.brokers[0]!.sessionId)
    for (const b of c.brokers) expect(b.cache.controllerId).toBe(0)
  })

  it('fails over when the controller is killed: only after the session timeout, epoch bumped', async () => {
    const { c, zk } = await start(3)
    c.brokers[0]!.kill()
    expect(c.brokers[0]!.alive).toBe(false)
    expect(c.controller()).toBe(-1)
    await c.clock.advance(3000)
    expect((await zk.getChildren('/brokers/ids')).sort()).toEqual(['0', '1', '2'])
    expect(await readJson(zk, '/controller')).toMatchObject({ brokerid: 0 })
    await pastSessionTimeout(c)
    expect((await zk.getChildren('/brokers/ids')).sort()).toEqual(['1', '2'])
    const now = c.controller()
    expect([1, 2]).toContain(now)
    expect(await readJson(zk, '/controller')).toMatchObject({ brokerid: now })
    expect((await zk.getData('/controller_epoch')).data?.toString()).toBe('2')
    for (const b of c.brokers.slice(1)) {
      expect(b.cache.controllerId).toBe(now)
      expect(b.cache.liveBrokers.map((x) => x.nodeId)).toEqual([1, 2])
    }
  })

  it('a restarted broker comes back as a follower of the new controller', async () => {
    const { c, zk } = await start(2)
    c.brokers[0]!.kill()
    await pastSessionTimeout(c)
    expect(c.controller()).toBe(1)
    await c.brokers[0]!.restart()
    await settle()
    expect(c.controller()).toBe(1)
    expect((await zk.getChildren('/brokers/ids')).sort()).toEqual(['0', '1'])
    expect(c.brokers[0]!.cache.controllerId).toBe(1)
    expect(c.brokers[0]!.cache.liveBrokers.map((b) => b.nodeId)).toEqual([0, 1])
  })

  it('a broker refuses a controller request of an older epoch', async () => {
    const { c } = await start(2)
    c.brokers[0]!.kill()
    await pastSessionTimeout(c)
    const r = await c.transport.send('test', 1, 'UpdateMetadata', {
      controllerId: 0,
      controllerEpoch: 1,
      liveBrokers: [],
      partitionStates: [],
      deletedTopics: [],
    })
    expect(r.error).toBe('STALE_CONTROLLER_EPOCH')
    expect(c.brokers[1]!.cache.liveBrokers).toHaveLength(1)
  })
})

describe('leader failover', () => {
  it('moves leadership within the ISR when the leader is killed, bumping the leader epoch', async () => {
    const { c, zk } = await start(3)
    expect((await createTopic(c, 't', 1, 3)).error).toBeUndefined()
    const before = c.topic('t').partitions[0]!
    const victim = before.leader
    expect(await readJson(zk, '/brokers/topics/t/partitions/0/state')).toEqual({
      controller_epoch: 1,
      leader: victim,
      version: 1,
      leader_epoch: 0,
      isr: before.replicas,
    })
    c.brokers[victim]!.kill()
    await pastSessionTimeout(c)
    const after = c.topic('t').partitions[0]!
    const expected = before.replicas.find((id) => id !== victim)
    expect(after.leader).toBe(expected)
    expect(after.isr).not.toContain(victim)
    const state = (await readJson(zk, '/brokers/topics/t/partitions/0/state')) as Record<
      string,
      unknown
    >
    expect(state.leader).toBe(expected)
    expect(state.leader_epoch).toBe(1)
    expect(state.isr).toEqual(before.replicas.filter((id) => id !== victim))
  })

  it('keeps acknowledged data through a leader failover', async () => {
    const { c } = await start(3)
    await createTopic(c, 'd', 1, 3)
    const r = await produce(c, 'd', 0, ['a', 'b', 'c'])
    expect(r.error).toBeUndefined()
    const leader = c.topic('d').partitions[0]!.leader
    c.brokers[leader]!.kill()
    await pastSessionTimeout(c)
    const p = c.topic('d').partitions[0]!
    expect(p.leader).not.toBe(leader)
    expect(p.logEndOffset).toBe(3)
    expect(p.highWatermark).toBe(3)
  })

  it('takes a partition offline when its whole ISR is down, and back when the last ISR member returns', async () => {
    const { c, zk } = await start(2)
    await createTopic(c, 'o', 1, 2)
    const replicas = c.topic('o').partitions[0]!.replicas
    const [first, last] = [replicas[0]!, replicas[1]!]
    c.brokers[first]!.kill()
    await pastSessionTimeout(c)
    expect(c.topic('o').partitions[0]!.leader).toBe(last)
    c.brokers[last]!.kill()
    await c.brokers[first]!.restart()
    await pastSessionTimeout(c)
    expect(c.controller()).toBe(first)
    const offline = (await readJson(zk, '/brokers/topics/o/partitions/0/state')) as Record<
      string,
      unknown
    >
    expect(offline.leader).toBe(-1)
    expect(offline.isr).toEqual([last])
    expect(c.topic('o').partitions[0]!.leader).toBe(-1)
    const md = await c.transport.send('test', first, 'Metadata', {
      topics: ['o'],
      allowAutoTopicCreation: false,
    })
    expect(md.topics[0]!.partitions[0]!.error).toBe('LEADER_NOT_AVAILABLE')
    await c.brokers[last]!.restart()
    await settle()
    const back = c.topic('o').partitions[0]!
    expect(back.leader).toBe(last)
    const state = (await readJson(zk, '/brokers/topics/o/partitions/0/state')) as Record<
      string,
      unknown
    >
    expect(state.leader).toBe(last)
    expect(state.leader_epoch).toBe((offline.leader_epoch as number) + 1)
  })

  it('with unclean.leader.election.enable an out-of-sync replica leads', async () => {
    const { c, zk } = await start(2)
    await createTopic(c, 'u', 1, 2, { 'unclean.leader.election.enable': 'true' })
    const [first, last] = c.topic('u').partitions[0]!.replicas as [number, number]
    c.brokers[first]!.kill()
    await pastSessionTimeout(c)
    c.brokers[last]!.kill()
    await c.brokers[first]!.restart()
    await pastSessionTimeout(c)
    const state = (await readJson(zk, '/brokers/topics/u/partitions/0/state')) as Record<
      string,
      unknown
    >
    expect(state.leader).toBe(first)
    expect(state.isr).toEqual([first])
    expect(c.topic('u').partitions[0]!.leader).toBe(first)
  })

  it('a returning follower rejoins the ISR through the leader, the notification and the controller', async () => {
    const { c, zk } = await start(3)
    await createTopic(c, 'i', 1, 2)
    const [leader, follower] = c.topic('i').partitions[0]!.replicas as [number, number]
    c.brokers[follower]!.kill()
    await pastSessionTimeout(c)
    expect(c.topic('i').partitions[0]!.isr).toEqual([leader])
    await produce(c, 'i', 0, ['while away'])
    await c.brokers[follower]!.restart()
    for (let i = 0; i < 30; i++) await c.clock.advance(100)
    const state = (await readJson(zk, '/brokers/topics/i/partitions/0/state')) as { isr: number[] }
    expect([...state.isr].sort()).toEqual([leader, follower].sort())
    expect(await zk.getChildren('/isr_change_notification')).toEqual([])
    for (const b of c.brokers) {
      expect([...(b.cache.partition('i', 0)?.isr ?? [])].sort()).toEqual([leader, follower].sort())
    }
  })
})

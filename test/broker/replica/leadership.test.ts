import { afterEach, describe, expect, it } from 'vitest'
import { settle, TestCluster } from './harness.js'

let cluster: TestCluster

afterEach(async () => {
  await cluster?.shutdownAll()
})

const TP = { topic: 'orders', partition: 0 }

describe('leader changes', () => {
  it('truncates the old leader’s uncommitted records when it follows the new leader', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    expect((await cluster.produce(0, ['a'])).error).toBeUndefined()
    // Broker 0 is cut off and takes two records nobody else gets (acks=1: never committed).
    cluster.transport.isolate(0)
    // Fetches held before the cut are answered at maxWait; later ones fail.
    await cluster.clock.advance(500)
    await cluster.produceDirect(0, ['x', 'y'], 1)
    expect(cluster.manager(0).replica(TP)).toMatchObject({ logEndOffset: 3, highWatermark: 1 })
    // The controller elects 1 with the ISR it can see; broker 0 does not hear of it yet.
    await cluster.elect(1, [1, 2], [1, 2])
    expect((await cluster.produce(1, ['b'])).error).toBeUndefined()
    expect(await cluster.records(1)).toEqual(['0:a', '1:b'])
    // Broker 0 comes back and learns it follows 1 (epoch 1).
    cluster.transport.heal()
    await cluster.sendState(cluster.state(), [0])
    await settle()
    expect(await cluster.records(0)).toEqual(['0:a', '1:b'])
    expect(cluster.manager(0).replica(TP)).toMatchObject({ isLeader: false, leader: 1 })
    expect(cluster.manager(0).replica(TP)?.highWatermark).toBeGreaterThanOrEqual(1)
    await settle()
    expect(cluster.state().isr).toEqual([1, 2, 0])
  })

  it('an unclean leader (outside the ISR) wins and the others truncate to its log', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.kill(2)
    await cluster.produce(0, ['a', 'b'], { acks: 1 })
    await settle()
    expect(await cluster.records(1)).toEqual(['0:a', '1:b'])
    await cluster.kill(0)
    await cluster.kill(1)
    await cluster.restart(2)
    expect(await cluster.records(2)).toEqual([])
    // The controller's choice (unclean.leader.election.enable): the replica manager obeys.
    await cluster.elect(2, [2])
    expect((await cluster.produce(2, ['c'])).error).toBeUndefined()
    await cluster.restart(1)
    await settle()
    expect(await cluster.records(1)).toEqual(['0:c'])
    expect(cluster.manager(1).replica(TP)).toMatchObject({ leader: 2, logEndOffset: 1 })
  })

  it('answers waiting acks=-1 produces with NOT_LEADER_OR_FOLLOWER when leadership is lost', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    cluster.transport.isolate(2)
    const pending = cluster.produce(0, ['a'], { acks: -1 })
    await settle()
    await cluster.elect(1, [0, 1])
    expect((await pending).error).toBe('NOT_LEADER_OR_FOLLOWER')
  })

  it('fences older leader epochs and refuses stale controllers', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.elect(1)
    const old = { ...cluster.state(), leaderEpoch: 0, isNew: false }
    const fenced = await cluster.manager(0).becomeLeaderOrFollower({
      controllerId: 100,
      controllerEpoch: 1,
      partitions: [old],
      liveLeaders: [],
    })
    expect(fenced.error).toBeUndefined()
    expect(fenced.partitions[0]?.error).toBe('FENCED_LEADER_EPOCH')
    expect(cluster.manager(0).replica(TP)).toMatchObject({ leaderEpoch: 1, leader: 1 })
    cluster.controllerEpoch = 2
    await cluster.sendState(cluster.state())
    const stale = await cluster.manager(0).becomeLeaderOrFollower({
      controllerId: 100,
      controllerEpoch: 1,
      partitions: [{ ...cluster.state(), leaderEpoch: 9, isNew: false }],
      liveLeaders: [],
    })
    expect(stale.error).toBe('STALE_CONTROLLER_EPOCH')
    expect(cluster.manager(0).replica(TP)?.leaderEpoch).toBe(1)
    const stop = await cluster.manager(0).stopReplicas({
      controllerId: 100,
      controllerEpoch: 1,
      partitions: [{ ...TP, deletePartition: true }],
    })
    expect(stop.error).toBe('STALE_CONTROLLER_EPOCH')
    expect(cluster.manager(0).replica(TP)).toBeDefined()
  })

  it('answers a LeaderAndIsr for a partition not assigned here with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1])
    const res = await cluster.manager(2).becomeLeaderOrFollower({
      controllerId: 100,
      controllerEpoch: 1,
      partitions: [{ ...cluster.state(), isNew: true }],
      liveLeaders: [],
    })
    expect(res.partitions[0]?.error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(cluster.manager(2).replicas()).toEqual([])
  })

  it('stopReplicas with deletePartition closes and deletes the log', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a'])
    for (const id of [0, 1, 2]) {
      const res = await cluster.manager(id).stopReplicas({
        controllerId: 100,
        controllerEpoch: 1,
        partitions: [{ ...TP, deletePartition: true }],
      })
      expect(res.partitions[0]?.error).toBeUndefined()
      expect(cluster.manager(id).replica(TP)).toBeUndefined()
      expect(await cluster.disks[id]?.logs.listPartitions()).toEqual([])
    }
    expect((await cluster.produce(0, ['b'])).error).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it('stopReplicas without delete stops leading and keeps the log', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a'])
    await cluster.manager(0).stopReplicas({
      controllerId: 100,
      controllerEpoch: 1,
      partitions: [{ ...TP, deletePartition: false }],
    })
    expect(cluster.manager(0).replica(TP)).toMatchObject({ isLeader: false, logEndOffset: 1 })
    expect((await cluster.produce(0, ['b'])).error).toBe('NOT_LEADER_OR_FOLLOWER')
  })

  it('a follower behind the leader’s log start restarts its log there (OFFSET_OUT_OF_RANGE)', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.kill(2)
    await cluster.produce(0, ['a'], { acks: 1 })
    await cluster.produce(0, ['b'], { acks: 1 })
    await cluster.clock.advance(16_000) // 2 leaves the ISR; the HW reaches the end
    await cluster.produce(0, ['c'], { acks: -1 })
    const leaderLog = await cluster.openedLog(0)
    await leaderLog.deleteRecordsBefore(2)
    await cluster.restart(2)
    await settle()
    expect(cluster.manager(2).replica(TP)).toMatchObject({ logStartOffset: 2, logEndOffset: 3 })
    expect(await cluster.records(2)).toEqual(['2:c'])
    await settle()
    expect(cluster.state().isr).toEqual([0, 1, 2])
  })
})

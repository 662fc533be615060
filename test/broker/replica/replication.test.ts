import { afterEach, describe, expect, it } from 'vitest'
import { settle, TestCluster } from './harness.js'

let cluster: TestCluster

afterEach(async () => {
  await cluster?.shutdownAll()
})

describe('replication', () => {
  it('copies batches to the followers and raises the high watermark', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    const res = await cluster.produce(0, ['a', 'b'], { acks: 1 })
    expect(res.error).toBeUndefined()
    expect(res.baseOffset).toBe(0)
    await settle()
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })).toMatchObject({
      isLeader: true,
      highWatermark: 2,
      logEndOffset: 2,
      isr: [0, 1, 2],
    })
    for (const id of [1, 2]) {
      expect(cluster.manager(id).replica({ topic: 'orders', partition: 0 })).toMatchObject({
        isLeader: false,
        leader: 0,
        logEndOffset: 2,
      })
      expect(await cluster.records(id)).toEqual(['0:a', '1:b'])
    }
    // Followers learn the high watermark on their next fetch (held until maxWait).
    await cluster.clock.advance(500)
    expect(cluster.manager(1).replica({ topic: 'orders', partition: 0 })?.highWatermark).toBe(2)
  })

  it('answers acks=-1 once the ISR has the batch, without the clock moving', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    const start = cluster.clock.now()
    const res = await cluster.produce(0, ['x'], { acks: -1 })
    expect(res.error).toBeUndefined()
    expect(cluster.clock.now()).toBe(start)
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })?.highWatermark).toBe(1)
    const again = await cluster.produce(0, ['y', 'z'], { acks: -1 })
    expect(again.baseOffset).toBe(1)
    expect(cluster.clock.now()).toBe(start)
    expect(await cluster.records(1)).toEqual(['0:x', '1:y', '2:z'])
  })

  it('answers acks=1 after the append and acks=0 at once, before the ISR has it', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    cluster.transport.isolate(1)
    cluster.transport.isolate(2)
    const one = await cluster.produce(0, ['a'], { acks: 1 })
    expect(one).toMatchObject({ baseOffset: 0 })
    expect(one.error).toBeUndefined()
    const zero = await cluster.produce(0, ['b'], { acks: 0 })
    expect(zero.error).toBeUndefined()
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })).toMatchObject({
      logEndOffset: 2,
      highWatermark: 0,
    })
  })

  it('refuses bad acks with INVALID_REQUIRED_ACKS and appends nothing', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    const res = await cluster.produce(0, ['a'], { acks: 2 as never })
    expect(res.error).toBe('INVALID_REQUIRED_ACKS')
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })?.logEndOffset).toBe(0)
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION and NOT_LEADER_OR_FOLLOWER', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    expect((await cluster.produce(0, ['a'], { partition: 7 })).error).toBe(
      'UNKNOWN_TOPIC_OR_PARTITION',
    )
    expect((await cluster.produce(1, ['a'])).error).toBe('NOT_LEADER_OR_FOLLOWER')
  })

  it('times acks=-1 out with REQUEST_TIMED_OUT on the clock', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    cluster.transport.isolate(2)
    let answer: Awaited<ReturnType<TestCluster['produce']>> | undefined
    void cluster.produce(0, ['a'], { acks: -1, timeoutMs: 1000 }).then((r) => {
      answer = r
    })
    await settle()
    expect(answer).toBeUndefined()
    await cluster.clock.advance(999)
    expect(answer).toBeUndefined()
    await cluster.clock.advance(1)
    expect(answer?.error).toBe('REQUEST_TIMED_OUT')
    expect(answer?.baseOffset).toBe(0)
  })

  it('refuses acks=-1 below min.insync.replicas with NOT_ENOUGH_REPLICAS before appending', async () => {
    cluster = new TestCluster({ topicConfig: { 'min.insync.replicas': 2 } })
    await cluster.createTopic([0, 1, 2])
    cluster.transport.isolate(1)
    cluster.transport.isolate(2)
    // An idle follower is in sync (its end is the leader's end): give the leader a record.
    await cluster.produce(0, ['first'], { acks: 1 })
    await cluster.clock.advance(15_000) // lag 10 s: both followers leave the ISR
    expect(cluster.state().isr).toEqual([0])
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })?.isr).toEqual([0])
    const res = await cluster.produce(0, ['a'], { acks: -1 })
    expect(res.error).toBe('NOT_ENOUGH_REPLICAS')
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })?.logEndOffset).toBe(1)
    expect((await cluster.produce(0, ['b'], { acks: 1 })).error).toBeUndefined()
  })

  it('answers NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrinks below min.insync while waiting', async () => {
    cluster = new TestCluster({ topicConfig: { 'min.insync.replicas': 3 } })
    await cluster.createTopic([0, 1, 2])
    cluster.transport.isolate(2)
    let answer: Awaited<ReturnType<TestCluster['produce']>> | undefined
    void cluster.produce(0, ['a'], { acks: -1, timeoutMs: 60_000 }).then((r) => {
      answer = r
    })
    await cluster.clock.advance(5_000)
    expect(answer).toBeUndefined()
    await cluster.clock.advance(10_000)
    expect(cluster.state().isr).toEqual([0, 1])
    expect(answer?.error).toBe('NOT_ENOUGH_REPLICAS_AFTER_APPEND')
  })

  it('shrinks the ISR when a follower is cut off, and expands it after it heals', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    cluster.transport.cut(0, 2)
    await cluster.produce(0, ['a'], { acks: 1 })
    await cluster.clock.advance(5_000)
    expect(cluster.state().isr).toEqual([0, 1, 2])
    await cluster.clock.advance(11_000)
    expect(cluster.state().isr).toEqual([0, 1])
    const info = cluster.manager(0).replica({ topic: 'orders', partition: 0 })
    expect(info).toMatchObject({ isr: [0, 1], highWatermark: 1 })
    // Writes go on with the smaller ISR.
    expect((await cluster.produce(0, ['b'], { acks: -1 })).error).toBeUndefined()
    cluster.transport.heal()
    await cluster.clock.advance(1_000) // the follower's backoff
    await settle()
    expect(cluster.state().isr).toEqual([0, 1, 2])
    expect(await cluster.records(2)).toEqual(['0:a', '1:b'])
  })

  it('keeps the old ISR when the conditional ISR write is refused', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    cluster.transport.cut(0, 2)
    // The controller changed the state behind the leader's back.
    const s = cluster.state()
    cluster.states.set('orders/0', { ...s, zkVersion: s.zkVersion + 5 })
    await cluster.clock.advance(16_000)
    expect(cluster.manager(0).replica({ topic: 'orders', partition: 0 })?.isr).toEqual([0, 1, 2])
  })
})

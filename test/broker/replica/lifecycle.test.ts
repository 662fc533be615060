import { afterEach, describe, expect, it } from 'vitest'
import type { ProducePartitionResponse } from '../../../src/broker/api.js'
import { encodeRecordBatch } from '../../../src/log/record-batch.js'
import { settle, TestCluster } from './harness.js'

let cluster: TestCluster

afterEach(async () => {
  await cluster?.shutdownAll()
})

const TP = { topic: 'orders', partition: 0 }

function idempotent(value: string, sequence: number) {
  return encodeRecordBatch({
    records: [{ key: null, value, timestamp: 1000 }],
    producerId: 7,
    producerEpoch: 0,
    baseSequence: sequence,
  })
}

describe('produce errors and idempotence', () => {
  it('answers an idempotent duplicate with the original offset and appends nothing', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    expect(await cluster.produce(0, [], { records: idempotent('a', 0) })).toMatchObject({
      baseOffset: 0,
    })
    expect(await cluster.produce(0, [], { records: idempotent('b', 1) })).toMatchObject({
      baseOffset: 1,
    })
    const dup = await cluster.produce(0, [], { records: idempotent('a', 0) })
    expect(dup.error).toBeUndefined()
    expect(dup.baseOffset).toBe(0)
    expect(cluster.manager(0).replica(TP)?.logEndOffset).toBe(2)
    const gap = await cluster.produce(0, [], { records: idempotent('z', 5) })
    expect(gap.error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER')
    expect(cluster.manager(0).replica(TP)?.logEndOffset).toBe(2)
  })

  it('answers CORRUPT_MESSAGE for a bad CRC and appends nothing', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    const bytes = encodeRecordBatch({ records: [{ key: null, value: 'abc', timestamp: 1 }] })
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff
    expect((await cluster.produce(0, [], { records: bytes })).error).toBe('CORRUPT_MESSAGE')
    expect(cluster.manager(0).replica(TP)?.logEndOffset).toBe(0)
  })
})

describe('checkpoints', () => {
  it('writes HW, log start and leader epochs on the clock and on a clean shutdown', async () => {
    cluster = new TestCluster({ checkpoints: true })
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a', 'b'])
    await cluster.clock.advance(500) // followers learn the HW
    await cluster.clock.advance(5000)
    const saved = await cluster.disks[1]?.checkpoints.read(TP)
    expect(saved).toEqual({
      highWatermark: 2,
      logStartOffset: 0,
      leaderEpochs: [{ epoch: 0, startOffset: 0 }],
    })
    await cluster.produce(0, ['c'])
    await cluster.clock.advance(500)
    expect(cluster.manager(1).replica(TP)?.highWatermark).toBe(3)
    // A crash writes nothing more: the reopened follower starts from the periodic checkpoint.
    await cluster.kill(1, true)
    cluster.transport.isolate(1)
    await cluster.restart(1)
    expect(cluster.manager(1).replica(TP)).toMatchObject({ highWatermark: 2, logEndOffset: 3 })
    // A clean shutdown writes the latest.
    cluster.transport.heal()
    await cluster.clock.advance(2000)
    expect(cluster.manager(1).replica(TP)?.highWatermark).toBe(3)
    await cluster.kill(1, false)
    expect((await cluster.disks[1]?.checkpoints.read(TP))?.highWatermark).toBe(3)
  })

  it('a clean shutdown describes each log; the reopen trusts it, forgets it, and goes on', async () => {
    cluster = new TestCluster({ checkpoints: true })
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, [], { records: idempotent('a', 0) })
    await cluster.produce(0, [], { records: idempotent('b', 1) })
    await cluster.clock.advance(500)
    for (const id of [1, 0]) await cluster.kill(id, false)
    const saved = await cluster.disks[0]?.checkpoints.read(TP)
    expect(saved?.cleanShutdown).toMatchObject({
      logEndOffset: 2,
      producers: [{ producerId: 7, epoch: 0 }],
    })
    expect(saved?.leaderEpochs).toEqual([{ epoch: 0, startOffset: 0 }])
    for (const id of [0, 1]) await cluster.restart(id)
    await settle()
    // Once reopened, the description is gone: it described the log only until it changed.
    expect((await cluster.disks[0]?.checkpoints.read(TP))?.cleanShutdown).toBeUndefined()
    expect(cluster.manager(0).replica(TP)).toMatchObject({ logEndOffset: 2 })
    await cluster.elect(0, [0, 1, 2])
    // The leader kept its producers: a retry is a duplicate, a gap is refused.
    const dup = await cluster.produce(0, [], { records: idempotent('b', 1) })
    expect(dup).toMatchObject({ baseOffset: 1 })
    expect(dup.error).toBeUndefined()
    const gap = await cluster.produce(0, [], { records: idempotent('z', 5) })
    expect(gap.error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER')
    expect(await cluster.produce(0, [], { records: idempotent('c', 2) })).toMatchObject({
      baseOffset: 2,
    })
    await cluster.clock.advance(500)
    // A crash after that reopen recovers the log as it is now.
    await cluster.kill(1, true)
    await cluster.restart(1)
    await settle()
    expect(await cluster.records(1)).toEqual(['0:a', '1:b', '2:c'])
  })

  it('without checkpoints a reopened follower rebuilds its epochs from the log', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a'])
    await cluster.elect(0)
    await cluster.produce(0, ['b'])
    await cluster.kill(2)
    await cluster.restart(2)
    await settle()
    expect(cluster.manager(2).replica(TP)).toMatchObject({ logEndOffset: 2 })
    expect(await cluster.records(2)).toEqual(['0:a', '1:b'])
  })
})

describe('maintenance and config', () => {
  it('enforces retention on every hosted log on the clock', async () => {
    cluster = new TestCluster({
      config: { 'log.retention.check.interval.ms': 60_000 },
      topicConfig: { 'segment.bytes': 100, 'retention.ms': 1000 },
    })
    await cluster.createTopic([0, 1, 2])
    for (const v of ['a', 'b', 'c']) await cluster.produce(0, [v])
    await cluster.clock.advance(500)
    await cluster.clock.advance(60_000)
    for (const id of [0, 1, 2]) {
      expect(cluster.manager(id).replica(TP)?.logStartOffset).toBe(2)
    }
  })

  it('topicConfigChanged applies min.insync.replicas', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1])
    cluster.topicConfig = { 'min.insync.replicas': 3 }
    cluster.manager(0).topicConfigChanged('orders')
    expect((await cluster.produce(0, ['a'])).error).toBe('NOT_ENOUGH_REPLICAS')
  })
})

describe('shutdown', () => {
  it('answers what waits and leaves no timer behind', async () => {
    cluster = new TestCluster({ checkpoints: true })
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a'])
    cluster.transport.isolate(2)
    await cluster.clock.advance(500)
    let produced: ProducePartitionResponse | Error | undefined
    void cluster.produce(0, ['b']).then(
      (r) => {
        produced = r
      },
      (e: Error) => {
        produced = e
      },
    )
    const held = cluster.consume(0, 1, { maxWaitMs: 60_000 }).catch((e: Error) => e)
    await settle()
    expect(cluster.clock.pendingTimers).toBeGreaterThan(0)
    await cluster.shutdownAll()
    await settle()
    expect(produced).toBeDefined()
    expect(await held).toBeDefined()
    expect(cluster.clock.pendingTimers).toBe(0)
    expect(() => cluster.disks[0] && cluster.manager(0)).toThrow()
  })

  it('calls after shutdown are CLOSED', async () => {
    cluster = new TestCluster({ brokers: 1 })
    const m = cluster.manager(0)
    await m.shutdown()
    expect(() => m.produce({ acks: 1, timeoutMs: 1, topics: [] })).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    )
    await m.shutdown()
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import type { FetchPartitionResponse } from '../../../src/broker/api.js'
import { encodeRecordBatch } from '../../../src/log/record-batch.js'
import { settle, TestCluster } from './harness.js'

let cluster: TestCluster

afterEach(async () => {
  await cluster?.shutdownAll()
})

function listOffsets(replicaId: number, timestamp: number) {
  return cluster.transport
    .send('client', 0, 'ListOffsets', {
      replicaId,
      isolationLevel: 0,
      topics: [
        { topic: 'orders', partitions: [{ partition: 0, timestamp, currentLeaderEpoch: -1 }] },
      ],
    })
    .then((r) => r.topics[0]?.partitions[0])
}

describe('fetch', () => {
  it('holds a consumer fetch until the high watermark moves, without the clock moving', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    const start = cluster.clock.now()
    let got: FetchPartitionResponse | undefined
    void cluster.consume(0, 0, { maxWaitMs: 10_000 }).then((r) => {
      got = r
    })
    await settle()
    expect(got).toBeUndefined()
    await cluster.produce(0, ['a'])
    await settle()
    expect(got?.records.length).toBeGreaterThan(0)
    expect(got?.highWatermark).toBe(1)
    expect(cluster.clock.now()).toBe(start)
  })

  it('answers a held fetch with nothing when maxWaitMs passes, or when its signal aborts', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    let got: FetchPartitionResponse | undefined
    void cluster.consume(0, 0, { maxWaitMs: 1000 }).then((r) => {
      got = r
    })
    await cluster.clock.advance(999)
    expect(got).toBeUndefined()
    await cluster.clock.advance(1)
    expect(got).toMatchObject({ highWatermark: 0 })
    expect(got?.records.length).toBe(0)
    const abort = new AbortController()
    const held = cluster.consume(0, 0, { maxWaitMs: 60_000, signal: abort.signal })
    await settle()
    abort.abort()
    expect((await held).records.length).toBe(0)
  })

  it('never shows consumers records past the high watermark', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a'])
    await cluster.kill(1)
    await cluster.kill(2)
    await cluster.produce(0, ['b', 'c'], { acks: 1 })
    const res = await cluster.consume(0, 0)
    expect(res.highWatermark).toBe(1)
    const read = await cluster.consume(0, 1)
    expect(read.records.length).toBe(0)
    expect(await listOffsets(-1, -1)).toMatchObject({ offset: 1, leaderEpoch: 0 })
    expect(await listOffsets(-1, -2)).toMatchObject({ offset: 0 })
    expect(await listOffsets(-1, 0)).toMatchObject({ offset: 0, timestamp: 1000 })
    expect(await listOffsets(-1, 1001)).toMatchObject({ offset: -1 })
    // A follower's ListOffsets sees the log end.
    expect(await listOffsets(1, -1)).toMatchObject({ offset: 3 })
  })

  it('checks the leader epoch: FENCED_LEADER_EPOCH below, UNKNOWN_LEADER_EPOCH above', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.elect(0)
    expect((await cluster.consume(0, 0, { currentLeaderEpoch: 1 })).error).toBeUndefined()
    expect((await cluster.consume(0, 0, { currentLeaderEpoch: 0 })).error).toBe(
      'FENCED_LEADER_EPOCH',
    )
    expect((await cluster.consume(0, 0, { currentLeaderEpoch: 2 })).error).toBe(
      'UNKNOWN_LEADER_EPOCH',
    )
    expect((await cluster.consume(1, 0)).error).toBe('NOT_LEADER_OR_FOLLOWER')
  })

  it('answers OFFSET_OUT_OF_RANGE past the log end', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a'])
    expect((await cluster.consume(0, 5)).error).toBe('OFFSET_OUT_OF_RANGE')
    expect((await cluster.consume(0, 1)).error).toBeUndefined()
  })

  it('returns at least one whole batch even past the size limits', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    const big = encodeRecordBatch({
      records: [{ key: null, value: Buffer.alloc(5000, 1), timestamp: 1000 }],
    })
    const size = big.length
    await cluster.produce(0, [], { records: big })
    await cluster.produce(0, ['small'])
    const res = await cluster.transport.send('client', 0, 'Fetch', {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 100,
      isolationLevel: 0,
      topics: [
        {
          topic: 'orders',
          partitions: [
            {
              partition: 0,
              fetchOffset: 0,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 10,
            },
          ],
        },
      ],
    })
    expect(res.topics[0]?.partitions[0]?.records.length).toBe(size)
  })

  it('tells a follower whose last epoch ends earlier on the leader where it diverges', async () => {
    cluster = new TestCluster()
    await cluster.createTopic([0, 1, 2])
    await cluster.produce(0, ['a', 'b'])
    await cluster.elect(0) // epoch 1 starts at offset 2
    const res = await cluster.transport.send(1, 0, 'Fetch', {
      replicaId: 1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [
        {
          topic: 'orders',
          partitions: [
            {
              partition: 0,
              fetchOffset: 5,
              currentLeaderEpoch: 1,
              lastFetchedEpoch: 0,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
    })
    const p = res.topics[0]?.partitions[0]
    expect(p?.error).toBeUndefined()
    expect(p?.divergingEpoch).toEqual({ epoch: 0, endOffset: 2 })
    expect(p?.records.length).toBe(0)
  })
})

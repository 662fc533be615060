/**
 * A burst of sends to a topic the producer does not know yet shares one metadata lookup.
 * Each waiting send used to start its own Metadata + DescribeConfigs round (with retries), so
 * 20,000 per-record sends to a just-opened directory's topic (console-producer sends one
 * record per line) made 20,000 lookups and took 22 s instead of 6.
 */
import { describe, expect, it } from 'vitest'
import { createCluster } from '../../src/cluster.js'

describe('producer metadata lookups', () => {
  it('one lookup serves every send of a burst to an unknown topic', async () => {
    await using cluster = await createCluster({ clock: 'virtual', seed: 1 })
    await cluster.admin().createTopics({ topics: [{ topic: 'burst', numPartitions: 2 }] })
    const asked: string[] = []
    const send = cluster.transport.send.bind(cluster.transport)
    cluster.transport.send = ((from, to, api, request) => {
      if (from === 'burst-producer') asked.push(api)
      return send(from, to, api, request)
    }) as typeof cluster.transport.send
    const producer = cluster.producer({ clientId: 'burst-producer' })
    const sends = Array.from({ length: 50 }, (_, i) =>
      producer.send({ topic: 'burst', messages: [{ value: `v${i}` }] }),
    )
    await cluster.clock.runUntil(Promise.all(sends))
    expect(asked.filter((api) => api === 'Metadata')).toHaveLength(1)
    expect(asked.filter((api) => api === 'DescribeConfigs')).toHaveLength(1)
    expect(
      cluster
        .topic('burst')
        .partitions.map((p) => p.highWatermark)
        .reduce((a, b) => a + b),
    ).toBe(50)
  })
})

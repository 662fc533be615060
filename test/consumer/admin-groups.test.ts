/** The group admin functions: list, describe, offsets with lag, reset (refused while active), delete. */
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterClient } from '../../src/client/cluster-client.js'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import {
  deleteGroups,
  describeGroups,
  fetchOffsets,
  listGroups,
  resetOffsets,
} from '../../src/consumer/admin-groups.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import { collector, consumerOf, groupCluster, topicWith } from './helpers.js'

let cluster: Cluster<VirtualClock> | undefined

afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

function adminClient(c: Cluster<VirtualClock>): ClusterClient {
  return new ClusterClient({
    clientId: 'group-admin',
    transport: c.transport,
    clock: c.clock,
    bootstrap: c.brokers.map((b) => b.id),
  })
}

async function consumed(c: Cluster<VirtualClock>, count: number): Promise<Consumer> {
  const consumer = consumerOf(c, {
    groupId: 'g',
    autoOffsetReset: 'earliest',
    autoCommitIntervalMs: 1000,
  })
  const got = collector()
  await consumer.subscribe({ topics: ['t'] })
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ topic, partition, message }) =>
      got.push({ topic, partition, ...message }),
  })
  await c.clock.runUntil(got.until(count))
  await c.clock.advance(100)
  return consumer
}

describe('group admin', () => {
  it('lists and describes a group with its members and decoded assignments', async () => {
    cluster = await groupCluster()
    const c = cluster
    await topicWith(c, 't', 2, 4)
    const consumer = await consumed(c, 4)
    const client = adminClient(c)
    expect(await c.clock.runUntil(listGroups(client))).toEqual([
      { groupId: 'g', protocolType: 'consumer', state: 'Stable' },
    ])
    const [g] = await c.clock.runUntil(describeGroups(client, c.clock, ['g']))
    expect(g?.state).toBe('Stable')
    expect(g?.protocol).toBe('range')
    expect(g?.members).toHaveLength(1)
    expect(g?.members[0]?.topics).toEqual(['t'])
    expect(g?.members[0]?.assignment).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ])
    await c.clock.runUntil(consumer.disconnect())
  })

  it('fetches offsets with lag, resets them only when the group is empty, deletes it', async () => {
    cluster = await groupCluster()
    const c = cluster
    await topicWith(c, 't', 2, 4)
    const consumer = await consumed(c, 4)
    const client = adminClient(c)
    const refused = await c.clock
      .runUntil(resetOffsets(client, c.clock, { groupId: 'g', topic: 't', earliest: true }))
      .catch((e: { code: string }) => e)
    expect((refused as { code: string }).code).toBe('NON_EMPTY_GROUP')
    await c.clock.runUntil(consumer.disconnect())
    const offsets = await c.clock.runUntil(
      fetchOffsets(client, c.clock, { groupId: 'g', topics: ['t'] }),
    )
    expect(offsets[0]?.partitions.map((p) => [p.offset, p.lag])).toEqual([
      ['2', '0'],
      ['2', '0'],
    ])
    await c.clock.runUntil(
      resetOffsets(client, c.clock, { groupId: 'g', topic: 't', earliest: true }),
    )
    let after = await c.clock.runUntil(fetchOffsets(client, c.clock, { groupId: 'g' }))
    expect(after[0]?.partitions.map((p) => p.lag)).toEqual(['2', '2'])
    await c.clock.runUntil(resetOffsets(client, c.clock, { groupId: 'g', topic: 't', shiftBy: 1 }))
    after = await c.clock.runUntil(fetchOffsets(client, c.clock, { groupId: 'g' }))
    expect(after[0]?.partitions.map((p) => p.offset)).toEqual(['1', '1'])
    await c.clock.runUntil(
      resetOffsets(client, c.clock, { groupId: 'g', topic: 't', offset: '99' }),
    )
    after = await c.clock.runUntil(fetchOffsets(client, c.clock, { groupId: 'g' }))
    expect(after[0]?.partitions.map((p) => p.offset)).toEqual(['2', '2'])
    await expect(resetOffsets(client, c.clock, { groupId: 'g', topic: 't' })).rejects.toMatchObject(
      {
        code: 'INVALID_ARGUMENT',
      },
    )
    expect(await c.clock.runUntil(deleteGroups(client, c.clock, ['g', 'nope']))).toEqual([
      { groupId: 'g' },
      { groupId: 'nope', error: 'GROUP_ID_NOT_FOUND' },
    ])
    expect(await c.clock.runUntil(listGroups(client))).toEqual([])
  })
})

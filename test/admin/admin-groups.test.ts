/** The admin client's group methods, through `cluster.admin()` (the functions are tested in test/consumer). */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import { collector, consumerOf, groupCluster, topicWith } from '../consumer/helpers.js'

let cluster: Cluster<VirtualClock> | undefined

afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

describe('admin: consumer groups', () => {
  it('lists, describes, shows lag, refuses to reset an active group, resets and deletes an empty one', async () => {
    cluster = await groupCluster()
    const c = cluster
    await topicWith(c, 't', 1, 4)
    const consumer = consumerOf(c, { groupId: 'g01', autoOffsetReset: 'earliest' })
    const got = collector()
    await consumer.subscribe({ topics: ['t'] })
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async ({ topic, partition, message }) =>
        got.push({ topic, partition, ...message }),
    })
    await c.clock.runUntil(got.until(4))
    await c.clock.advance(100)
    const admin = c.admin()
    expect(await c.clock.runUntil(admin.listGroups())).toEqual([
      { groupId: 'g01', protocolType: 'consumer', state: 'Stable' },
    ])
    const [g] = await c.clock.runUntil(admin.describeGroups(['g01']))
    expect(g?.state).toBe('Stable')
    expect(g?.members).toHaveLength(1)
    const [offsets] = await c.clock.runUntil(admin.fetchOffsets({ groupId: 'g01', topics: ['t'] }))
    expect(offsets?.partitions[0]).toMatchObject({ partition: 0, offset: '4', lag: '0' })
    await expect(
      c.clock.runUntil(admin.resetOffsets({ groupId: 'g01', topic: 't', earliest: true })),
    ).rejects.toMatchObject({
      code: 'NON_EMPTY_GROUP',
    })
    await c.clock.runUntil(consumer.disconnect())
    const reset = await c.clock.runUntil(
      admin.resetOffsets({ groupId: 'g01', topic: 't', earliest: true }),
    )
    expect(reset).toEqual([{ topic: 't', partition: 0, offset: '0' }])
    const [after] = await c.clock.runUntil(admin.fetchOffsets({ groupId: 'g01', topics: ['t'] }))
    expect(after?.partitions[0]).toMatchObject({ offset: '0', lag: '4' })
    expect(await c.clock.runUntil(admin.deleteGroups(['g01', 'nope']))).toEqual([
      { groupId: 'g01' },
      { groupId: 'nope', error: 'GROUP_ID_NOT_FOUND' },
    ])
  })
})

describe('admin: consumer groups of a reopened directory', () => {
  it('describes a group while its coordinator is still loading it (the answer’s NOT_COORDINATOR is retried)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-admin-groups-'))
    try {
      const a = await createCluster({ dataDir, config: { 'group.initial.rebalance.delay.ms': 0 } })
      await a.admin().createTopics({ topics: [{ topic: 't', numPartitions: 1 }] })
      const consumer = a.consumer({ groupId: 'g01', autoOffsetReset: 'earliest' })
      await consumer.subscribe({ topics: ['t'] })
      const joined = new Promise((resolve) => consumer.on('group.join', resolve))
      await consumer.run({ eachMessage: async () => undefined })
      await joined
      await consumer.disconnect()
      await a.close()
      const b = await createCluster({ dataDir })
      try {
        const [g] = await b.admin().describeGroups(['g01'])
        expect(g).toMatchObject({ groupId: 'g01', state: 'Empty', protocolType: 'consumer' })
      } finally {
        await b.close()
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

/** The admin client's group methods, through `cluster.admin()` (the functions are tested in test/consumer). */
import { afterEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
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

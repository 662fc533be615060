/** How far console-consumer is behind: unknown while its group has not placed it. */
import { afterEach, describe, expect, it } from 'vitest'
import { watchBehind } from '../../../src/cli/console/behind.js'
import type { Cluster } from '../../../src/cluster.js'
import type { VirtualClock } from '../../../src/common/clock.js'
import type { Consumer } from '../../../src/consumer/consumer.js'
import { consumerOf, groupCluster, topicWith } from '../../consumer/helpers.js'

let cluster: Cluster<VirtualClock> | undefined
let consumer: Consumer | undefined

afterEach(async () => {
  if (consumer !== undefined) await cluster?.clock.runUntil(consumer.disconnect())
  await cluster?.close()
  cluster = undefined
  consumer = undefined
})

describe('watchBehind', () => {
  it('is unknown between JoinGroup and the assignment, then counts what is left to read', async () => {
    cluster = await groupCluster()
    await topicWith(cluster, 't', 2, 6)
    const c = consumerOf(cluster, { groupId: 'g', autoOffsetReset: 'earliest' })
    consumer = c
    const behind = watchBehind(cluster, c, 't')
    const atJoin: (number | undefined)[] = []
    // At 'group.join' the member has a generation but owns nothing yet: a count of 0 there
    // made console-consumer stop, printing nothing, when its input had already ended.
    c.on('group.join', () => atJoin.push(behind.count()))
    expect(behind.count()).toBeUndefined()
    await c.subscribe({ topics: ['t'] })
    const first = await cluster.clock.runUntil(c.poll({ timeoutMs: 1000, maxRecords: 2 }))
    expect(atJoin).toEqual([undefined])
    expect(c.generationId).toBeGreaterThan(0)
    expect(behind.count()).toBe(6 - first.length)
    behind.dispose()
  })

  it('knows at once for a consumer without a group, once positions are known', async () => {
    cluster = await groupCluster()
    await topicWith(cluster, 't', 1, 3)
    const c = consumerOf(cluster, { autoOffsetReset: 'earliest' })
    consumer = c
    const behind = watchBehind(cluster, c, 't')
    c.assign([{ topic: 't', partition: 0 }])
    expect(behind.count()).toBeUndefined()
    c.seek({ topic: 't', partition: 0, offset: '1' })
    expect(behind.count()).toBe(2)
    behind.dispose()
  })
})

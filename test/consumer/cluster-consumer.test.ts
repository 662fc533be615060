/** `cluster.consumer()`: named on the network, disconnected by `cluster.close()`. */
import { describe, expect, it } from 'vitest'
import { collector, groupCluster, topicWith } from './helpers.js'

describe('cluster.consumer()', () => {
  it('consumes, and cluster.close() disconnects it leaving no timer', async () => {
    const c = await groupCluster()
    await topicWith(c, 't', 2, 6)
    const consumer = c.consumer({ groupId: 'g', autoOffsetReset: 'earliest' })
    const got = collector()
    await consumer.subscribe({ topics: ['t'] })
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) =>
        got.push({ topic, partition, ...message }),
    })
    await c.clock.runUntil(got.until(6))
    const group = await c.clock.runUntil(consumer.describeGroup())
    expect(group.members[0]?.clientId).toMatch(/^consumer-\d+$/)
    const disconnected = new Promise<void>((resolve) => consumer.once('disconnect', resolve))
    await c.close()
    await disconnected
    expect(c.clock.pendingTimers).toBe(0)
    expect(() => c.consumer()).toThrow(expect.objectContaining({ code: 'CLOSED' }))
  })
})

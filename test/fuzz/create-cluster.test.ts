/**
 * Bad input to `createCluster`: broker counts, clocks, seeds, broker configs (with `__proto__`
 * keys and values past every range) and durability options. A refused call starts nothing;
 * one that succeeds gives a cluster that answers and closes.
 */
import fc from 'fast-check'
import { afterAll, describe } from 'vitest'
import { createCluster } from '../../src/cluster.js'
import { configMap } from './arbitraries.js'
import { attempt, fuzzIt, report } from './harness.js'
import { argument, mostly } from './hostile.js'

afterAll(() => report('createCluster'))

const brokerConfig = fc.oneof(
  configMap,
  fc.record({
    'num.partitions': mostly(fc.integer({ min: 1, max: 4 })),
    'offsets.topic.num.partitions': mostly(fc.integer({ min: 1, max: 4 })),
    'default.replication.factor': mostly(fc.integer({ min: 1, max: 2 })),
  }),
)

describe('createCluster, bad input', () => {
  fuzzIt(
    'options',
    40,
    () => {
      const options = argument({
        brokers: mostly(fc.integer({ min: 1, max: 2 })),
        clock: mostly(fc.constant('virtual')),
        seed: mostly(fc.integer()),
        config: mostly(brokerConfig),
        durability: mostly(fc.constant({})),
      })
      return fc.asyncProperty(options, async (o) => {
        // A real clock is possible here (a hostile `clock` is refused or 'real'): the guard is real time.
        const made = await attempt('createCluster', () => createCluster(o as never), {
          realMs: 60_000,
        })
        if (made.kind !== 'ok') return
        const cluster = made.value as Awaited<ReturnType<typeof createCluster>>
        await attempt('cluster.admin().listTopics', () => cluster.admin().listTopics(), {
          realMs: 60_000,
        })
        await attempt('cluster.close', () => cluster.close(), { realMs: 60_000 })
        const closed = await attempt('cluster.admin after close', () => cluster.admin())
        if (closed.kind !== 'error' || closed.error.code !== 'CLOSED')
          throw new Error('admin after close')
      })
    },
    500,
  )
})

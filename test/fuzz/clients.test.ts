/**
 * Bad input to consumers (options, subscribe, assign, seek, pause, resume, commitOffsets,
 * poll, run), to the cluster's recipes (lock, election: constructors and calls), to
 * `cluster.topic`, and calls on each of them after it was closed. A refused call leaves the
 * cluster as it was: no topic, no committed offset, no znode.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { Consumer } from '../../src/consumer/consumer.js'
import type { LeaderElection } from '../../src/coordination/recipes/leader-election.js'
import type { Lock } from '../../src/coordination/recipes/lock.js'
import {
  FIXTURE_TOPIC,
  groupId,
  listOf,
  offsetLike,
  partitionIndex,
  topicName,
} from './arbitraries.js'
import { fuzzIt, report } from './harness.js'
import { argument, hostileString, hostileValue, mostly } from './hostile.js'
import { FuzzCluster } from './state.js'

let fz: FuzzCluster

beforeAll(async () => {
  fz = await FuzzCluster.start()
  const admin = fz.cluster.admin()
  await fz.cluster.clock.runUntil(
    admin.createTopics({ topics: [{ topic: FIXTURE_TOPIC, numPartitions: 2 }] }),
  )
  await fz.cluster.clock.runUntil(
    fz.cluster
      .producer()
      .send({ topic: FIXTURE_TOPIC, messages: [{ value: 'a' }, { value: 'b' }] }),
  )
})

afterAll(async () => {
  report('clients')
  await fz.close()
})

const tp = argument({ topic: topicName, partition: partitionIndex })
const tpo = argument({ topic: topicName, partition: partitionIndex, offset: offsetLike })
const tps = argument({
  topic: topicName,
  partitions: mostly(fc.array(partitionIndex, { maxLength: 3 })),
})
const recipePath = fc.oneof(
  fc.constantFrom('/fz-locks/a', '/fz-locks/__proto__', '/constructor', '/fz-locks/prototype'),
  hostileString,
)

describe('consumers and recipes, bad input', () => {
  fuzzIt(
    'consumer calls',
    40,
    () => {
      const options = argument({
        groupId: fc.oneof(fc.constant(undefined), groupId),
        sessionTimeoutMs: mostly(fc.integer({ min: 6000, max: 60_000 })),
        heartbeatIntervalMs: mostly(fc.integer({ min: 100, max: 3000 })),
        autoOffsetReset: mostly(fc.constantFrom('earliest', 'latest', 'none')),
        maxBytes: mostly(fc.integer({ min: 1, max: 1 << 20 })),
        partitionAssigners: mostly(fc.constant(['range'])),
        retry: argument({ retries: mostly(fc.integer({ min: 0, max: 3 })) }),
      })
      const subscribe = argument({
        topics: mostly(listOf(fc.oneof(topicName, fc.constant(/fz-.*/)))),
        fromBeginning: mostly(fc.boolean()),
      })
      return fc.asyncProperty(
        options,
        subscribe,
        mostly(listOf(tp)),
        tpo,
        mostly(listOf(tps)),
        mostly(listOf(tpo)),
        argument({
          timeoutMs: mostly(fc.integer({ min: 0, max: 100 })),
          maxRecords: mostly(fc.integer({ min: 1, max: 5 })),
        }),
        async (o, sub, assigned, seek, paused, offsets, pollOptions) => {
          const made = await fz.check('cluster.consumer', () => fz.cluster.consumer(o as never), o)
          if (made.kind !== 'ok') return
          const c = made.value as Consumer
          const useGroup = c.groupId !== undefined
          if (useGroup) await fz.check('consumer.subscribe', () => c.subscribe(sub as never), sub)
          else await fz.check('consumer.assign', () => c.assign(assigned as never), assigned)
          await fz.check('consumer.seek', () => c.seek(seek as never), seek)
          await fz.check('consumer.pause', () => c.pause(paused as never), paused)
          await fz.check('consumer.resume', () => c.resume(paused as never), paused)
          await fz.check('consumer.commitOffsets', () => c.commitOffsets(offsets as never), offsets)
          const effects = { effects: true } // the group join a poll or run starts stays
          // A poll asked to wait for 2^31 ms waits that long, rightly: keep the waits short.
          if (!waitsLong(pollOptions)) {
            await fz.check(
              'consumer.poll',
              () => c.poll(pollOptions as never),
              pollOptions,
              effects,
            )
          }
          const run = hostileRun(pollOptions)
          await fz.check('consumer.run', () => c.run(run as never), run, effects)
          await fz.check('consumer.disconnect', () => c.disconnect())
          const after = await fz.check('consumer.seek after disconnect', () =>
            c.seek(seek as never),
          )
          expect(after.kind === 'error' && after.error.code).toBe('CLOSED')
          await fz.check('consumer.commitOffsets after disconnect', () =>
            c.commitOffsets(offsets as never),
          )
        },
      )
    },
    500,
  )

  fuzzIt('cluster.lock and cluster.election', 40, () => {
    const clock = fc.constant(undefined).map(() => fz.cluster.clock)
    const lockOptions = argument({
      data: mostly(fc.string()),
      retries: mostly(fc.integer({ min: 0, max: 3 })),
      clock,
    })
    const electionOptions = argument({
      id: mostly(fc.string({ minLength: 1 })),
      data: mostly(fc.string()),
      clock,
    })
    const acquire = argument({ timeoutMs: mostly(fc.constant(0)) })
    return fc.asyncProperty(
      recipePath,
      lockOptions,
      acquire,
      electionOptions,
      async (p, lo, ao, eo) => {
        const lock = await fz.check('cluster.lock', () => fz.cluster.lock(p, lo as never), {
          p,
          lo,
        })
        if (lock.kind === 'ok') {
          const l = lock.value as Lock
          const held = await fz.check('lock.acquire', () => l.acquire(ao as never), ao)
          if (held.kind === 'ok') await (held.value as { release(): Promise<void> }).release()
          await fz.check('lock.close', () => l.close())
          await fz.check('lock.acquire after close', () => l.acquire({ timeoutMs: 0 }))
        }
        const election = await fz.check(
          'cluster.election',
          () => fz.cluster.election(p, eo as never),
          { p, eo },
        )
        if (election.kind === 'ok') {
          const e = election.value as LeaderElection
          await fz.check('election.start', () => e.start())
          await fz.check('election.close', () => e.close())
          await fz.check('election.start after close', () => e.start())
        }
      },
    )
  })

  fuzzIt('cluster.topic', 60, () =>
    fc.asyncProperty(fc.oneof(topicName, hostileValue), async (name) => {
      await fz.check('cluster.topic', () => fz.cluster.topic(name as string), name)
    }),
  )
})

/** Run options: a handler or a hostile stand-in for one. */
function hostileRun(seed: unknown): unknown {
  return typeof seed === 'object' && seed !== null ? { eachMessage: async () => undefined } : seed
}

/** Whether poll options ask for a wait longer than the guard's ten virtual minutes. */
function waitsLong(options: unknown): boolean {
  try {
    const t = (options as { timeoutMs?: unknown } | null)?.timeoutMs
    return typeof t === 'number' && t > 60_000
  } catch {
    return false
  }
}

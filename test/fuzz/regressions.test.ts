/**
 * The bugs the bad-input fuzz suites found, one case each, so that they stay fixed whatever
 * the seed: each call failed with a TypeError, crashed the process, or changed state before
 * its fix; now each fails with a coded error and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Admin } from '../../src/admin/admin.js'
import { createCluster } from '../../src/cluster.js'
import { FIXTURE_TOPIC } from './arbitraries.js'
import { FuzzCluster } from './state.js'

let fz: FuzzCluster
let admin: Admin

beforeAll(async () => {
  fz = await FuzzCluster.start()
  admin = fz.cluster.admin()
  await admin.createTopics({ topics: [{ topic: FIXTURE_TOPIC, numPartitions: 2 }] })
})

afterAll(() => fz.close())

/** [what, the call, the code it must fail with] */
type Case = [string, () => unknown, string]

const cases: Case[] = [
  [
    'createTopics: replicaAssignment not an array (TypeError: map is not a function)',
    () => admin.createTopics({ topics: [{ topic: 'fz-r1', replicaAssignment: 0n as never }] }),
    'INVALID_ARGUMENT',
  ],
  [
    'createTopics: 2^31 - 1 partitions (the process ran out of heap)',
    () => admin.createTopics({ topics: [{ topic: 'fz-r2', numPartitions: 2 ** 31 - 1 }] }),
    'INVALID_PARTITIONS',
  ],
  [
    'createPartitions: to 2^31 - 1 partitions (the same)',
    () =>
      admin.createPartitions({ topicPartitions: [{ topic: FIXTURE_TOPIC, count: 2 ** 31 - 1 }] }),
    'INVALID_PARTITIONS',
  ],
  [
    'createPartitions: a sparse array (TypeError on the broker)',
    () => admin.createPartitions({ topicPartitions: new Array(3) }),
    'INVALID_ARGUMENT',
  ],
  [
    'alterConfigs: a sparse array (TypeError on the broker)',
    () => admin.alterConfigs({ resources: new Array(3) }),
    'INVALID_ARGUMENT',
  ],
  [
    'alterConfigs: a name without a prototype (TypeError: cannot convert to primitive)',
    () =>
      admin.alterConfigs({
        resources: [{ type: 'topic', name: Object.create(null), configs: {} }],
      }),
    'INVALID_ARGUMENT',
  ],
  [
    'fetchOffsets: topics not an array (TypeError: find is not a function)',
    () => admin.fetchOffsets({ groupId: 'g', topics: '1e999' as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'fetchOffsets: null options (TypeError)',
    () => admin.fetchOffsets(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'resetOffsets: a topic that is not a string (sent to the brokers)',
    () => admin.resetOffsets({ groupId: 'g', topic: 42 as never, earliest: true }),
    'INVALID_TOPIC_EXCEPTION',
  ],
  [
    'cluster.admin: null options (TypeError)',
    () => fz.cluster.admin(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.admin: retries NaN (retried a retriable error forever)',
    () => fz.cluster.admin({ retries: Number.NaN }),
    'INVALID_ARGUMENT',
  ],
  [
    'producer.send: a sparse messages array (TypeError: reading sizeBytes)',
    () => fz.cluster.producer().send({ topic: FIXTURE_TOPIC, messages: new Array(3) }),
    'INVALID_ARGUMENT',
  ],
  [
    'producer.sendBatch: a sparse topicMessages array (TypeError: reading topic)',
    () => fz.cluster.producer().sendBatch({ topicMessages: new Array(2) }),
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.producer: null options (TypeError)',
    () => fz.cluster.producer(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.consumer: null options (TypeError)',
    () => fz.cluster.consumer(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.producer: a clientId that is not a string (used as a network name)',
    () => fz.cluster.producer({ clientId: {} as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'zk.multi: a sparse ops array (TypeError: reading op)',
    () => fz.cluster.coordinator.connect().multi(new Array(3)),
    'INVALID_ARGUMENT',
  ],
  [
    'coordinator.connect: null options (TypeError)',
    () => fz.cluster.coordinator.connect(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'consumer.pause: partitions not an array (TypeError: not iterable)',
    () => fz.cluster.consumer().pause([{ topic: FIXTURE_TOPIC, partitions: {} as never }]),
    'INVALID_ARGUMENT',
  ],
  [
    'consumer.poll: null options (TypeError)',
    () => fz.cluster.consumer().poll(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'consumer.seek: null (TypeError)',
    () => fz.cluster.consumer().seek(null as never),
    'INVALID_ARGUMENT',
  ],
  [
    'consumer.seek: a partition that is not an index (kept as a position)',
    () => fz.cluster.consumer().seek({ topic: FIXTURE_TOPIC, partition: Number.NaN, offset: 0 }),
    'INVALID_ARGUMENT',
  ],
  [
    'consumer.subscribe: topics not an array (TypeError: not iterable)',
    () => fz.cluster.consumer({ groupId: 'g' }).subscribe({ topics: true as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.lock: a clock that is not a Clock (TypeError in acquire)',
    () => fz.cluster.lock('/fz-r/lock', { clock: true as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'election.start after close: CLOSED, as every recipe says (was INVALID_ARGUMENT)',
    async () => {
      const election = fz.cluster.election('/fz-r/election', { id: 'a' })
      await election.close()
      return election.start()
    },
    'CLOSED',
  ],
  [
    'cluster.topic: a bigint (TypeError: cannot serialize a BigInt)',
    () => fz.cluster.topic(-1n as never),
    'INVALID_ARGUMENT',
  ],
  [
    'createTopics: a timeout that is a Symbol (TypeError)',
    () => admin.createTopics({ topics: [{ topic: 'fz-r3' }], timeout: Symbol('t') as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'deleteTopics: a timeout that is an array (TypeError in the timer)',
    () => admin.deleteTopics({ topics: ['fz-none'], timeout: ['a'] as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'createPartitions: assignments not an array (UNKNOWN_SERVER_ERROR from a TypeError)',
    () =>
      admin.createPartitions({
        topicPartitions: [{ topic: FIXTURE_TOPIC, count: 4, assignments: 'NaN' as never }],
      }),
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.election: data that is a bigint (TypeError: cannot serialize a BigInt)',
    () => fz.cluster.election('/fz-r/e2', { id: 'a', data: (2n ** 64n) as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'lock.acquire: a timeoutMs that is a Symbol (TypeError building the message; seed 77)',
    () => fz.cluster.lock('/fz-r/lock2').acquire({ timeoutMs: Symbol('t') as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'network.slow and network.drop: a Symbol (TypeError building the message)',
    () => {
      try {
        fz.cluster.network.drop({ probability: Symbol('p') as never })
      } catch {
        return fz.cluster.network.slow(0, Symbol('ms') as never)
      }
      throw new Error('drop accepted a Symbol')
    },
    'INVALID_ARGUMENT',
  ],
  [
    'cluster.consumer: partitionAssigners with a hole (a JoinGroup whose protocols had a hole, a TypeError in the coordinator; seed 4242)',
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    () => fz.cluster.consumer({ groupId: 'g', partitionAssigners: [, 'range'] as never }),
    'INVALID_ARGUMENT',
  ],
  [
    'createCluster: durability null (TypeError: cannot destructure; seed 77)',
    () => createCluster({ brokers: 1, clock: 'virtual', durability: null as never }),
    'INVALID_ARGUMENT',
  ],
]

describe('bad-input regressions', () => {
  it.each(cases)('%s', async (_what, call, code) => {
    const outcome = await fz.check('regression', call)
    expect(outcome.kind === 'error' ? outcome.error.code : outcome.kind).toBe(code)
  })
})

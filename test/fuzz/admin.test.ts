/**
 * Bad input to the admin client: hostile topic names, partition counts, replica assignments,
 * configs (with `__proto__` keys), resources, group ids, offset resets and client options.
 * Each call either succeeds (and the result is checked) or fails with a coded error leaving
 * the cluster as it was (see harness.ts and state.ts).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { Admin } from '../../src/admin/admin.js'
import {
  configMap,
  configName,
  FIXTURE_TOPIC,
  groupId,
  listOf,
  offsetLike,
  partitionIndex,
  topicName,
} from './arbitraries.js'
import { fuzzIt, report } from './harness.js'
import { argument, hostileNumber, hostileValue, mostly } from './hostile.js'
import { FuzzCluster } from './state.js'

let fz: FuzzCluster
let admin: Admin

beforeAll(async () => {
  fz = await FuzzCluster.start()
  admin = fz.cluster.admin()
  await admin.createTopics({ topics: [{ topic: FIXTURE_TOPIC, numPartitions: 2 }] })
})

afterAll(async () => {
  report('admin')
  await fz.close()
})

const KEEP = [FIXTURE_TOPIC, '__consumer_offsets']

/** How many items `o[key]` holds when it is an array (else 1). */
function itemsOf(o: unknown, key: string): number {
  try {
    const list = (o as Record<string, unknown> | null)?.[key]
    return Array.isArray(list) ? list.length : 1
  } catch {
    return 1 // a hostile getter: the call fails on it too
  }
}

const count = fc.oneof(fc.integer({ min: 1, max: 4 }), hostileNumber)
const resourceType = mostly(fc.constantFrom('topic', 'broker'))

const newTopic = argument({
  topic: topicName,
  numPartitions: count,
  replicationFactor: fc.oneof(fc.constant(1), hostileNumber),
  configs: mostly(configMap),
  replicaAssignment: mostly(
    fc.array(argument({ partition: partitionIndex, replicas: mostly(fc.constant([0])) }), {
      maxLength: 2,
    }),
  ),
})

describe('admin, bad input', () => {
  fuzzIt('createTopics', 60, () => {
    const options = argument({
      topics: mostly(listOf(newTopic)),
      validateOnly: mostly(fc.boolean()),
      timeout: mostly(fc.constant(5000)),
    })
    return fc.asyncProperty(options, async (o) => {
      const call = () => admin.createTopics(o as never)
      const out = await fz.check('admin.createTopics', call, o, { items: itemsOf(o, 'topics') })
      if (out.kind !== 'ok') return
      const { topics, validateOnly } = o as { topics: { topic: string }[]; validateOnly: unknown }
      const listed = await admin.listTopics()
      for (const t of topics) expect(listed.includes(t.topic)).toBe(validateOnly !== true)
    })
  })

  fuzzIt('createPartitions', 60, () => {
    const partitions = argument({
      topic: topicName,
      count: count,
      assignments: mostly(fc.constant([[0]])),
    })
    const options = argument({
      topicPartitions: mostly(listOf(partitions)),
      validateOnly: mostly(fc.boolean()),
      timeout: mostly(fc.constant(5000)),
    })
    return fc.asyncProperty(options, async (o) => {
      const call = () => admin.createPartitions(o as never)
      await fz.check('admin.createPartitions', call, o, { items: itemsOf(o, 'topicPartitions') })
    })
  })

  fuzzIt('alterConfigs and describeConfigs', 60, () => {
    const resource = argument({ type: resourceType, name: topicName, configs: mostly(configMap) })
    const alter = argument({
      resources: mostly(listOf(resource)),
      validateOnly: mostly(fc.boolean()),
    })
    const described = argument({
      type: resourceType,
      name: topicName,
      configNames: mostly(fc.array(configName)),
    })
    const describeArg = argument({ resources: mostly(listOf(described)) })
    return fc.asyncProperty(alter, describeArg, async (a, d) => {
      const call = () => admin.alterConfigs(a as never)
      await fz.check('admin.alterConfigs', call, a, { items: itemsOf(a, 'resources') })
      await fz.check('admin.describeConfigs', () => admin.describeConfigs(d as never), d)
    })
  })

  fuzzIt('describeTopics and deleteTopics', 60, () => {
    const names = mostly(listOf(topicName))
    // Deleting __consumer_offsets is allowed (as Kafka's brokers allow it) but ends the suite.
    const spare = mostly(listOf(topicName.filter((t) => !KEEP.includes(t))))
    return fc.asyncProperty(
      argument({ topics: names }),
      hostileValue,
      argument({ topics: spare, timeout: mostly(fc.constant(5000)) }),
      async (o, whole, doomed) => {
        await fz.check('admin.describeTopics', () => admin.describeTopics(o as never), o)
        await fz.check('admin.describeTopics', () => admin.describeTopics(whole as never), whole)
        const call = () => admin.deleteTopics(doomed as never)
        await fz.check('admin.deleteTopics', call, doomed, { items: itemsOf(doomed, 'topics') })
      },
    )
  })

  fuzzIt(
    'group methods',
    30,
    () => {
      const reset = argument({
        groupId,
        topic: topicName,
        earliest: mostly(fc.boolean()),
        latest: mostly(fc.boolean()),
        offset: mostly(offsetLike),
        timestamp: mostly(fc.integer()),
        shiftBy: mostly(fc.integer({ min: -5, max: 5 })),
        partitions: mostly(fc.array(partitionIndex, { maxLength: 3 })),
        validateOnly: mostly(fc.boolean()),
      })
      const ids = mostly(listOf(groupId))
      return fc.asyncProperty(reset, ids, argument({ groupId, topics: ids }), async (r, g, f) => {
        await fz.check('admin.resetOffsets', () => admin.resetOffsets(r as never), r)
        await fz.check('admin.describeGroups', () => admin.describeGroups(g as never), g)
        await fz.check('admin.fetchOffsets', () => admin.fetchOffsets(f as never), f)
        await fz.check('admin.deleteGroups', () => admin.deleteGroups(g as never), g)
      })
    },
    300,
  )

  fuzzIt('cluster.admin options', 30, () => {
    const options = argument({
      clientId: mostly(fc.constant('fz-admin')),
      retries: mostly(fc.integer({ min: 0, max: 3 })),
      retryBackoffMs: mostly(fc.integer({ min: 0, max: 100 })),
      requestTimeoutMs: mostly(fc.integer({ min: 1, max: 5000 })),
    })
    return fc.asyncProperty(options, async (o) => {
      const made = await fz.check('cluster.admin', () => fz.cluster.admin(o as never), o)
      if (made.kind !== 'ok') return
      const other = made.value as Admin
      await fz.check('admin.listTopics', () => other.listTopics())
      await fz.check('admin.describeCluster', () => other.describeCluster())
      await fz.check('admin.listGroups', () => other.listGroups())
      await other.disconnect()
    })
  })
})

/**
 * Replica placement against Kafka's own vectors: AdminZkClientTest.testReplicaAssignment
 * (10 partitions × 3 replicas on brokers 0..4 with startIndex and shift 0) and
 * AddPartitionsTest.testReplicaPlacementAllServers / testReplicaPlacementPartialServers.
 */
import { describe, expect, it } from 'vitest'
import {
  assignAddedPartitions,
  assignReplicasToBrokers,
} from '../../src/broker/admin/replica-placement.js'
import { createRandom } from '../../src/common/random.js'

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return [(err as { code: string }).code, (err as Error).message]
  }
  return undefined
}

describe('assignReplicasToBrokers (Kafka AdminUtils, rack-unaware)', () => {
  it('matches AdminZkClientTest.testReplicaAssignment', () => {
    expect(assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 3, { fixedStartIndex: 0 })).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ])
  })

  it('refuses factors of 0 and above the broker count with Kafka messages', () => {
    expect(
      codeOf(() => assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 0, { fixedStartIndex: 0 })),
    ).toEqual(['INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.'])
    expect(codeOf(() => assignReplicasToBrokers([0, 1], 1, 3, { fixedStartIndex: 0 }))).toEqual([
      'INVALID_REPLICATION_FACTOR',
      'Replication factor: 3 larger than available brokers: 2.',
    ])
    expect(codeOf(() => assignReplicasToBrokers([0, 1], 0, 1, { fixedStartIndex: 0 }))?.[0]).toBe(
      'INVALID_PARTITIONS',
    )
  })

  it('draws start and shift from the seeded random: same seed, same placement; spread evenly', () => {
    const a = assignReplicasToBrokers([0, 1, 2], 6, 2, { random: createRandom(7) })
    const b = assignReplicasToBrokers([0, 1, 2], 6, 2, { random: createRandom(7) })
    expect(a).toEqual(b)
    const leaders = a.map((r) => r[0])
    for (const id of [0, 1, 2]) expect(leaders.filter((l) => l === id)).toHaveLength(2)
    for (const r of a) expect(new Set(r).size).toBe(2)
  })
})

describe('assignAddedPartitions (Kafka AdminZkClient.addPartitions)', () => {
  it('matches AddPartitionsTest.testReplicaPlacementAllServers', () => {
    const added = assignAddedPartitions([0, 1, 2, 3], [2, 3, 0, 1], 1, 6)
    const expected: [number, number[]][] = [
      [3, [3, 2, 0, 1]],
      [0, [0, 3, 1, 2]],
      [1, [1, 0, 2, 3]],
      [2, [2, 3, 0, 1]],
      [3, [3, 0, 1, 2]],
      [0, [0, 1, 2, 3]],
    ]
    added.forEach((replicas, i) => {
      expect(replicas[0]).toBe(expected[i]![0])
      expect(new Set(replicas)).toEqual(new Set(expected[i]![1]))
    })
  })

  it('matches AddPartitionsTest.testReplicaPlacementPartialServers', () => {
    const added = assignAddedPartitions([0, 1, 2, 3], [1, 2], 1, 2)
    expect(added[0]![0]).toBe(2)
    expect(new Set(added[0])).toEqual(new Set([0, 2]))
    expect(added[1]![0]).toBe(3)
    expect(new Set(added[1])).toEqual(new Set([1, 3]))
  })
})

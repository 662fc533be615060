/**
 * Where the replicas of new partitions go: Kafka's rack-unaware
 * `AdminUtils.assignReplicasToBrokers`. The first replica of partition p goes to broker
 * `(p + startIndex) mod n`; the followers follow at a shift that grows by one each time the
 * first replicas wrap around the brokers, so replicas spread evenly and a broker's followers
 * do not all sit on the same neighbours. `startIndex` and the shift are random (the cluster's
 * seeded Random) unless fixed; partitions added to a topic start from its partition 0.
 */
import { fromCode } from '../../common/errors.js'
import type { Random } from '../../common/random.js'
import type { BrokerId } from '../api.js'

/** Options of {@link assignReplicasToBrokers}. */
export interface PlacementOptions {
  /** The first broker index and initial shift; -1 (default) draws both from `random`. */
  readonly fixedStartIndex?: number
  /** The index of the first partition placed (partitions added to a topic). Default 0. */
  readonly startPartitionId?: number
  /** Draws the start index and shift when not fixed. */
  readonly random?: Random
}

function replicaIndex(first: number, shift: number, j: number, n: number): number {
  return (first + 1 + ((shift + j) % (n - 1))) % n
}

/**
 * Place `partitions` partitions of `replicationFactor` replicas on `brokers` (sorted ids).
 * Returns the replicas of each partition, from `startPartitionId` on, preferred leader first.
 * Throws `INVALID_PARTITIONS` / `INVALID_REPLICATION_FACTOR` with Kafka's messages.
 */
export function assignReplicasToBrokers(
  brokers: readonly BrokerId[],
  partitions: number,
  replicationFactor: number,
  options: PlacementOptions = {},
): BrokerId[][] {
  if (partitions <= 0) {
    throw fromCode('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.')
  }
  if (replicationFactor <= 0) {
    throw fromCode('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.')
  }
  if (replicationFactor > brokers.length) {
    throw fromCode(
      'INVALID_REPLICATION_FACTOR',
      `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`,
    )
  }
  const n = brokers.length
  const fixed = options.fixedStartIndex ?? -1
  const draw = () => {
    if (options.random === undefined)
      throw new TypeError('a random is needed without a fixed start')
    return options.random.int(n)
  }
  const startIndex = fixed >= 0 ? fixed : draw()
  let shift = fixed >= 0 ? fixed : draw()
  let p = Math.max(0, options.startPartitionId ?? 0)
  const out: BrokerId[][] = []
  for (let i = 0; i < partitions; i++, p++) {
    if (p > 0 && p % n === 0) shift++
    const first = (p + startIndex) % n
    const replicas = [brokers[first]!]
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[replicaIndex(first, shift, j, n)]!)
    }
    out.push(replicas)
  }
  return out
}

/**
 * Place `added` new partitions of a topic whose partition 0 has `partition0` replicas, as
 * Kafka's `AdminZkClient.addPartitions`: the start index is that of the first broker whose id
 * is at least partition 0's preferred leader, and placement continues from partition `existing`.
 */
export function assignAddedPartitions(
  brokers: readonly BrokerId[],
  partition0: readonly BrokerId[],
  existing: number,
  added: number,
): BrokerId[][] {
  const first = partition0[0] ?? 0
  const startIndex = Math.max(
    0,
    brokers.findIndex((id) => id >= first),
  )
  return assignReplicasToBrokers(brokers, added, partition0.length, {
    fixedStartIndex: startIndex,
    startPartitionId: existing,
  })
}

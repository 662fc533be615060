/**
 * `cluster.topic(name)`: a synchronous view of a topic, from the brokers' metadata caches
 * (the controller's first) and the leaders' replica managers (the offsets).
 */
import type { BrokerId } from '../broker/api.js'
import type { Broker } from '../broker/broker.js'
import type { CachedPartition } from '../broker/metadata-cache.js'
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'

/** One partition as the cluster sees it now. */
export interface Partition {
  /** The partition index. */
  readonly id: number
  /** The leader's broker id, or -1 while offline. */
  readonly leader: BrokerId
  /** The replicas, preferred leader first. */
  readonly replicas: readonly BrokerId[]
  /** The in-sync replicas. */
  readonly isr: readonly BrokerId[]
  /** The leader's log start offset (-1 while offline). */
  readonly logStartOffset: number
  /** The leader's high watermark: offsets below it are committed (-1 while offline). */
  readonly highWatermark: number
  /** The leader's log end offset (-1 while offline). */
  readonly logEndOffset: number
}

/** A topic as the cluster sees it now. */
export interface Topic {
  /** The topic name. */
  readonly name: string
  /** Its partitions by index. */
  readonly partitions: readonly Partition[]
}

/**
 * The partition's state in the highest leader epoch any of `brokers` knows (the first of them
 * on a tie): a broker cut off from the controller, or a controller that has lost its seat
 * without knowing it yet, may still hold an older epoch with an older leader.
 */
function newest(
  brokers: readonly Broker[],
  topic: string,
  known: CachedPartition,
): CachedPartition {
  let best = known
  for (const b of brokers) {
    const p = b.cache.partition(topic, known.partition)
    if (p !== undefined && p.leaderEpoch > best.leaderEpoch) best = p
  }
  return best
}

/** The view of `name` over `brokers` (`UNKNOWN_TOPIC_OR_PARTITION` when no live broker knows it). */
export function topicView(brokers: readonly Broker[], name: string): Topic {
  if (typeof name !== 'string') {
    throw new InvalidArgumentError(`a topic name must be a string, got ${describe(name)}`)
  }
  const live = brokers.filter((b) => b.alive)
  const ordered = [...live.filter((b) => b.isController), ...live.filter((b) => !b.isController)]
  const source = ordered.find((b) => b.cache.hasTopic(name))
  const partitions = source?.cache.partitions(name)
  if (partitions === undefined) {
    throw fromCode('UNKNOWN_TOPIC_OR_PARTITION', `topic ${JSON.stringify(name)} does not exist`)
  }
  return {
    name,
    partitions: partitions.map((known) => {
      const p = newest(ordered, name, known)
      const leader = live.find((b) => b.id === p.leader)
      const info = leader?.replicaHost?.replica({ topic: name, partition: p.partition })
      return {
        id: p.partition,
        leader: leader === undefined ? -1 : p.leader,
        replicas: p.replicas,
        isr: info?.isr ?? p.isr,
        logStartOffset: info?.logStartOffset ?? -1,
        highWatermark: info?.highWatermark ?? -1,
        logEndOffset: info?.logEndOffset ?? -1,
      }
    }),
  }
}

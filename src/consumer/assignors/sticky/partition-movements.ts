/**
 * The partitions moved during one general sticky assignment (Kafka's `PartitionMovements`):
 * which member each moved partition came from and went to, per topic and member pair. It lets
 * a move undo an earlier one (a partition going back where it came from is no move at all) and
 * tells whether the result is sticky: no topic moved partitions both ways between two members.
 */

import { JavaHashSet, topicPartitionHash, tpKey } from '../java-hash.js'
import type { TopicPartition } from '../types.js'

interface Pair {
  readonly src: string
  readonly dst: string
}

const pairKey = (src: string, dst: string): string => JSON.stringify([src, dst])

/** Moves of partitions between members within one assignment. */
export class PartitionMovements {
  private readonly byPartition = new Map<string, Pair>()
  private readonly byTopic = new Map<string, Map<string, JavaHashSet<TopicPartition>>>()

  /** Record that `partition` moves from `from` to `to` (a move back cancels the first). */
  move(partition: TopicPartition, from: string, to: string): void {
    const earlier = this.byPartition.get(tpKey(partition))
    if (earlier === undefined) {
      this.record(partition, { src: from, dst: to })
      return
    }
    this.forget(partition)
    if (earlier.src !== to) this.record(partition, { src: earlier.src, dst: to })
  }

  /**
   * The partition to move when `partition` should go from `from` to `to`: if a partition of
   * the same topic already moved the other way (from `to` to where `partition` started), move
   * that one back instead: the first of those in Java's `HashSet` order.
   */
  partitionToMove(partition: TopicPartition, from: string, to: string): TopicPartition {
    const topicMoves = this.byTopic.get(partition.topic)
    if (topicMoves === undefined) return partition
    const origin = this.byPartition.get(tpKey(partition))?.src ?? from
    return topicMoves.get(pairKey(to, origin))?.first() ?? partition
  }

  /** Whether no topic has partitions moved both ways between the same two members. */
  isSticky(): boolean {
    for (const pairs of this.byTopic.values()) {
      for (const key of pairs.keys()) {
        const [src, dst] = JSON.parse(key) as [string, string]
        if (src !== dst && pairs.has(pairKey(dst, src))) return false
      }
    }
    return true
  }

  private record(partition: TopicPartition, pair: Pair): void {
    this.byPartition.set(tpKey(partition), pair)
    let pairs = this.byTopic.get(partition.topic)
    if (pairs === undefined) {
      pairs = new Map()
      this.byTopic.set(partition.topic, pairs)
    }
    const key = pairKey(pair.src, pair.dst)
    let set = pairs.get(key)
    if (set === undefined) {
      set = new JavaHashSet<TopicPartition>(tpKey, topicPartitionHash)
      pairs.set(key, set)
    }
    set.add(partition)
  }

  private forget(partition: TopicPartition): void {
    const pair = this.byPartition.get(tpKey(partition))!
    this.byPartition.delete(tpKey(partition))
    const pairs = this.byTopic.get(partition.topic)!
    const key = pairKey(pair.src, pair.dst)
    const set = pairs.get(key)!
    set.delete(partition)
    if (set.size === 0) pairs.delete(key)
    if (pairs.size === 0) this.byTopic.delete(partition.topic)
  }
}

/**
 * How far `console-consumer` is behind what its partitions hold now, so that the end of its
 * input stops it only once it has caught up. Unknown (undefined) while a group member is
 * between a rebalance's start and its new assignment: there the consumer owns nothing yet,
 * which must not read as "nothing left to print".
 */
import type { Cluster } from '../../cluster.js'
import type { Consumer } from '../../consumer/consumer.js'
import { findTopic } from './topic.js'

/** The records still to read of what the partitions hold now, and the end of watching. */
export interface Behind {
  /** Records the consumer has still to read (undefined while it does not know yet). */
  readonly count: () => number | undefined
  /** Stop listening to the consumer. */
  readonly dispose: () => void
}

/**
 * Watch `consumer` reading `topic` of `cluster`. A member of a group counts as placed from its
 * `partitions.assigned` event (sent after SyncGroup, also with no partitions) to the next
 * `rebalancing`; a consumer without a group from the start. The count is unknown while any
 * assigned partition has no position yet, and 0 once the topic is gone.
 */
export function watchBehind(cluster: Cluster, consumer: Consumer, topic: string): Behind {
  let placed = consumer.groupId === undefined
  const onAssigned = () => {
    placed = true
  }
  const onRebalancing = () => {
    placed = false
  }
  consumer.on('partitions.assigned', onAssigned).on('rebalancing', onRebalancing)
  const count = () => {
    if (!placed) return undefined
    const partitions = findTopic(cluster, topic)?.partitions ?? []
    let behind = 0
    for (const { partition } of consumer.assignment()) {
      const position = consumer.position(topic, partition)
      if (position === undefined) return undefined
      behind += Math.max(0, (partitions[partition]?.highWatermark ?? 0) - Number(position))
    }
    return behind
  }
  const dispose = () => {
    consumer.off('partitions.assigned', onAssigned).off('rebalancing', onRebalancing)
  }
  return { count, dispose }
}

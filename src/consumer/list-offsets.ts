/**
 * Offsets by time from the partitions' leaders (ListOffsets): the log start
 * ({@link EARLIEST_OFFSET}), the high watermark ({@link LATEST_OFFSET}) or the first offset at
 * or after a timestamp. Requests are grouped by leader; a leader change refreshes the metadata
 * and asks again.
 */
import { CONSUMER_REPLICA_ID, EARLIEST_OFFSET, LATEST_OFFSET } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { withRetries } from '../client/retry.js'
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import { tpKey } from './subscription-state.js'
import type { TopicPartition } from './types.js'

export { EARLIEST_OFFSET, LATEST_OFFSET }

/** One partition and the timestamp asked for. */
export interface OffsetQuery extends TopicPartition {
  /** {@link EARLIEST_OFFSET}, {@link LATEST_OFFSET} or ms since the epoch. */
  readonly timestamp: number
}

/**
 * The offsets of `queries` by `tpKey`; a timestamp after every record gives the high watermark
 * (as Kafka's tools do when resetting to a time).
 */
export async function listOffsets(
  client: ClusterClient,
  clock: Clock,
  queries: readonly OffsetQuery[],
  isolationLevel: 0 | 1 = 0,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  let left = [...queries]
  await withRetries(
    async (n) => {
      const topics = [...new Set(left.map((q) => q.topic))]
      const meta = await client.metadata(topics, { force: n > 0 })
      const byLeader = new Map<number, OffsetQuery[]>()
      for (const q of left) {
        const leader = meta.leaderOf(q.topic, q.partition)
        if (leader < 0)
          throw fromCode('LEADER_NOT_AVAILABLE', `${q.topic}-${q.partition} has no leader`)
        const list = byLeader.get(leader) ?? []
        list.push(q)
        byLeader.set(leader, list)
      }
      const failed: OffsetQuery[] = []
      let error: unknown
      await Promise.all(
        [...byLeader].map(async ([leader, qs]) => {
          try {
            await askLeader(client, leader, qs, isolationLevel, out, failed)
          } catch (err) {
            error = err
            failed.push(...qs)
          }
        }),
      )
      left = failed
      if (failed.length > 0) throw error ?? fromCode('NOT_LEADER_OR_FOLLOWER', 'leaders moved')
    },
    { clock, retries: 10, backoffMs: 100, ...(signal ? { signal } : {}) },
  )
  return out
}

async function askLeader(
  client: ClusterClient,
  leader: number,
  qs: readonly OffsetQuery[],
  isolationLevel: 0 | 1,
  out: Map<string, number>,
  failed: OffsetQuery[],
): Promise<void> {
  const byTopic = new Map<string, OffsetQuery[]>()
  for (const q of qs) byTopic.set(q.topic, [...(byTopic.get(q.topic) ?? []), q])
  const response = await client.send(leader, 'ListOffsets', {
    replicaId: CONSUMER_REPLICA_ID,
    isolationLevel,
    topics: [...byTopic].map(([topic, list]) => ({
      topic,
      partitions: list.map((q) => ({
        partition: q.partition,
        timestamp: q.timestamp,
        currentLeaderEpoch: -1,
      })),
    })),
  })
  for (const t of response.topics) {
    for (const p of t.partitions) {
      const q = byTopic.get(t.topic)?.find((x) => x.partition === p.partition)
      if (q === undefined) continue
      if (p.error !== undefined) {
        const err = fromCode(p.error, p.errorMessage ?? `${t.topic}-${p.partition}: ${p.error}`)
        if (!err.retriable) throw err
        failed.push(q)
        continue
      }
      out.set(tpKey(t.topic, p.partition), p.offset)
    }
  }
  // A timestamp after every record: -1 from the broker means "the end".
  const ends = qs.filter((q) => q.timestamp >= 0 && out.get(tpKey(q.topic, q.partition)) === -1)
  if (ends.length > 0) {
    const latest = ends.map((q) => ({ ...q, timestamp: LATEST_OFFSET }))
    await askLeader(client, leader, latest, isolationLevel, out, failed)
  }
}

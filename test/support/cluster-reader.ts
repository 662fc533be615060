/**
 * Reading a cluster's partitions back in tests: what a consumer can read (through Fetch to the
 * leader, up to the high watermark) and what each replica holds (its own log, to its end).
 */
import { CONSUMER_REPLICA_ID } from '../../src/broker/api.js'
import type { Broker } from '../../src/broker/broker.js'
import type { Cluster } from '../../src/cluster.js'
import { readBatchHeader, splitBatches } from '../../src/log/batch-header.js'
import { decodeRecordBatch } from '../../src/log/record-batch.js'

/** One record as read back. */
export interface ReadRecord {
  readonly offset: number
  readonly key: string | null
  readonly value: string | null
}

function decodeAll(bytes: Uint8Array, from: number, out: ReadRecord[]): number {
  let next = from
  for (const bytesOfBatch of splitBatches(bytes)) {
    const batch = decodeRecordBatch(bytesOfBatch)
    for (const r of batch.records) {
      const o = Number(r.offset)
      if (o < from) continue
      out.push({ offset: o, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null })
      next = o + 1
    }
  }
  return next
}

/** One batch as read back: where it sits and who wrote it (idempotence). */
export interface ReadBatch {
  readonly baseOffset: number
  readonly lastOffset: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
}

/** Every record a consumer can read from a partition now (from its leader, below the high watermark). */
export async function readCommitted(
  cluster: Cluster,
  topic: string,
  partition: number,
): Promise<ReadRecord[]> {
  const out: ReadRecord[] = []
  await fetchCommitted(cluster, topic, partition, (bytes, from) => decodeAll(bytes, from, out))
  return out
}

/** The batches a consumer can read from a partition now (their headers), in log order. */
export async function readCommittedBatches(
  cluster: Cluster,
  topic: string,
  partition: number,
): Promise<ReadBatch[]> {
  const out: ReadBatch[] = []
  await fetchCommitted(cluster, topic, partition, (bytes, from) => {
    let next = from
    for (const b of splitBatches(bytes)) {
      const h = readBatchHeader(b)
      const baseOffset = Number(h.baseOffset)
      const lastOffset = baseOffset + h.lastOffsetDelta
      if (lastOffset < from) continue
      out.push({
        baseOffset,
        lastOffset,
        producerId: Number(h.producerId),
        producerEpoch: h.producerEpoch,
        baseSequence: h.baseSequence,
      })
      next = lastOffset + 1
    }
    return next
  })
  return out
}

/**
 * Fetch a partition from its leader up to the high watermark; `take` consumes each answer's
 * bytes (records from `from` on) and returns the next offset to fetch.
 */
async function fetchCommitted(
  cluster: Cluster,
  topic: string,
  partition: number,
  take: (bytes: Uint8Array, from: number) => number,
): Promise<void> {
  const leader = cluster.topic(topic).partitions[partition]?.leader ?? -1
  if (leader < 0) throw new Error(`${topic}-${partition} has no leader`)
  let offset = 0
  let first = true
  for (;;) {
    const response = await cluster.transport.send('reader', leader, 'Fetch', {
      replicaId: CONSUMER_REPLICA_ID,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [
        {
          topic,
          partitions: [
            {
              partition,
              fetchOffset: offset,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
    })
    const p = response.topics[0]?.partitions[0]
    if (p?.error) throw new Error(`fetch ${topic}-${partition} at ${offset}: ${p.error}`)
    if (first) {
      offset = p?.logStartOffset ?? 0
      first = false
      if (offset > 0) continue
    }
    if (!p || p.records.length === 0) return
    const next = take(p.records, offset)
    if (next === offset) return
    offset = next
  }
}

/** Every record in one broker's own copy of a partition, to its log end (undefined if not hosted). */
export async function readReplica(
  broker: Broker,
  topic: string,
  partition: number,
  below = Number.POSITIVE_INFINITY,
): Promise<ReadRecord[] | undefined> {
  const host = broker.replicaHost
  const info = host?.replica({ topic, partition })
  if (!host || !info) return undefined
  const out: ReadRecord[] = []
  let offset = info.logStartOffset
  const end = Math.min(info.logEndOffset, below)
  while (offset < end) {
    const read = await host.readLocal({ topic, partition }, offset, { maxBytes: 1 << 20 })
    if (!read || read.bytes.length === 0) break
    offset = decodeAll(read.bytes, offset, out)
  }
  return out.filter((r) => r.offset < end)
}

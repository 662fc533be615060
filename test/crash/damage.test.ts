/**
 * A data directory damaged after the writer (writer.ts) was killed, as a power loss or a bad
 * disk could leave it, then reopened as a cluster:
 *
 * - a torn last batch in a partition's active segment (the file cut mid-batch) is cut off on
 *   open, with everything before it kept, and the log continues at the torn batch's offset;
 * - garbage after the last batch of an active segment is cut off, nothing else changes;
 * - a flipped byte in a closed (rolled) segment is not repaired on open (closed segments are
 *   trusted until read) and is never served: the Fetch a consumer sends answers
 *   `CORRUPT_MESSAGE` for that batch, reading a replica throws it, and a consumer group gets the
 *   records before the batch, then `poll()` throws `CORRUPT_MESSAGE` naming the partition and
 *   offset (as Java's consumer does) until it seeks past the batch, and then reads on.
 *
 * Regression (the flipped byte): the broker rebuilt the partition's leader epochs on open by
 * reading the log from the last checkpointed epoch's start, CRC-checked, and the corrupt batch
 * failed the open: the whole partition stayed offline (log end -1, no error anyone could see)
 * where only the batch is bad. The epoch scan now skips the rest of a corrupt closed segment.
 */
import { appendFile, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONSUMER_REPLICA_ID } from '../../src/broker/api.js'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { LogkeeperError } from '../../src/common/errors.js'
import type { ConsumerRecord } from '../../src/consumer/types.js'
import { tmpDirs } from '../storage/tmp-dirs.js'
import { readCommitted, readReplica } from '../support/cluster-reader.js'
import { checkRecords, waitCaughtUp } from './check.js'
import { killWriter } from './kill-writer.js'
import { CRASH_TOPIC, clusterConfig, Ledger, PARTITIONS } from './ledger.js'
import { recordsOnDisk, type SegmentOnDisk, segmentsOnDisk } from './segments.js'

const newDir = tmpDirs('damage')

/** A one-broker directory the writer was killed on after `acks` acknowledgements. */
async function killedDir(acks: number) {
  const dataDir = await newDir()
  const ledger = new Ledger()
  const args = { dataDir, brokers: 1, seed: 5, run: 0, fsync: false }
  await killWriter(args, { afterAcks: acks, afterMs: 0 }, ledger)
  const partitionDir = (p: number) => join(dataDir, 'brokers', '0', `${CRASH_TOPIC}-${p}`)
  return { dataDir, ledger, partitionDir }
}

async function reopen(dataDir: string): Promise<Cluster> {
  const cluster = await createCluster({ dataDir, config: clusterConfig(1) })
  await waitCaughtUp(cluster, CRASH_TOPIC)
  return cluster
}

/** The partition that scores best on disk (its index, its segments). */
async function best(
  partitionDir: (p: number) => string,
  score: (segments: SegmentOnDisk[]) => number,
) {
  let found = { partition: 0, segments: [] as SegmentOnDisk[] }
  for (let p = 0; p < PARTITIONS; p++) {
    const segments = await segmentsOnDisk(partitionDir(p))
    if (score(segments) > score(found.segments)) found = { partition: p, segments }
  }
  return found
}

const segmentCount = (s: SegmentOnDisk[]) => s.length
const activeBatches = (s: SegmentOnDisk[]) => s.at(-1)?.batches.length ?? 0

describe('a damaged data directory, reopened after a kill', () => {
  it('cuts a torn last batch and garbage after the last batch, keeping everything before', async () => {
    const { dataDir, ledger, partitionDir } = await killedDir(150)
    const { partition: torn, segments } = await best(partitionDir, activeBatches)
    const active = segments.at(-1)!
    expect(active.batches.length, 'batches in the active segment').toBeGreaterThanOrEqual(2)
    const last = active.batches.at(-1)!
    const tornBefore = await recordsOnDisk(partitionDir(torn))
    await truncate(active.file, last.position + Math.floor(last.sizeBytes / 2))
    const garbled = (torn + 1) % PARTITIONS
    const garbledActive = (await segmentsOnDisk(partitionDir(garbled))).at(-1)!
    const garbledBefore = await recordsOnDisk(partitionDir(garbled))
    await appendFile(garbledActive.file, Buffer.alloc(37, 0xab))

    const cluster = await reopen(dataDir)
    try {
      const p = cluster.topic(CRASH_TOPIC).partitions
      expect(p[torn]!.logEndOffset).toBe(last.baseOffset)
      expect((await stat(active.file)).size).toBe(last.position)
      const kept = tornBefore.filter((r) => Number.parseInt(r, 10) < last.baseOffset)
      expect(await recordsOnDisk(partitionDir(torn))).toEqual(kept)
      expect(p[garbled]!.logEndOffset).toBe(garbledBefore.length)
      expect((await stat(garbledActive.file)).size).toBe(garbledActive.sizeBytes)
      expect(await recordsOnDisk(partitionDir(garbled))).toEqual(garbledBefore)
      ledger.forgetFrom(torn, last.baseOffset) // the damage took these, as a power loss would
      expect(await checkRecords(cluster, ledger)).toBeGreaterThan(0)
      const [sent] = await cluster.producer().send({
        topic: CRASH_TOPIC,
        messages: [{ value: 'after', partition: torn }],
      })
      expect(sent!.baseOffset).toBe(String(last.baseOffset))
    } finally {
      await cluster.close()
    }
  })

  it('detects a flipped byte in a closed segment when read and never serves it', async () => {
    const { dataDir, partitionDir } = await killedDir(900)
    const { partition, segments } = await best(partitionDir, segmentCount)
    expect(segments.length, 'segments rolled').toBeGreaterThanOrEqual(3)
    const closed = segments[1]!
    const batch = closed.batches[0]!
    const bytes = await readFile(closed.file)
    bytes[batch.position + batch.sizeBytes - 3]! ^= 0x10
    await writeFile(closed.file, bytes)
    // The last segment may be empty (rolled just before the kill).
    const before = segments.flatMap((s) => s.batches).at(-1)!.lastOffset + 1

    const cluster = await reopen(dataDir)
    try {
      expect(cluster.topic(CRASH_TOPIC).partitions[partition]!.logEndOffset).toBe(before)
      expect((await stat(closed.file)).size).toBe(closed.sizeBytes)
      expect(await fetchError(cluster, partition, batch.baseOffset)).toBe('CORRUPT_MESSAGE')
      expect(await fetchError(cluster, partition, 0)).toBeUndefined()
      // A later segment reads (the last one may have rolled empty just before the kill).
      const later = segments.slice(2).find((s) => s.batches.length > 0)
      if (later !== undefined) {
        expect(await fetchError(cluster, partition, later.baseOffset)).toBeUndefined()
      }
      await expect(readReplica(cluster.brokers[0]!, CRASH_TOPIC, partition)).rejects.toMatchObject({
        code: 'CORRUPT_MESSAGE',
      })
      await expect(readCommitted(cluster, CRASH_TOPIC, partition)).rejects.toThrow(
        /CORRUPT_MESSAGE/,
      )
      const consumed = await consumeUntilFailure(cluster, partition, batch.lastOffset + 1)
      expect(consumed.offsets).toEqual([...Array(batch.baseOffset).keys()])
      expect(consumed.error).toMatchObject({ code: 'CORRUPT_MESSAGE' })
      expect(consumed.error?.message).toContain(
        `${CRASH_TOPIC}-${partition}: the record at offset ${batch.baseOffset} cannot be read`,
      )
      expect(consumed.afterSeek).toBe(batch.lastOffset + 1)
    } finally {
      await cluster.close()
    }
  })
})

/** The partition error of a consumer's Fetch at `offset` (undefined when it reads). */
async function fetchError(cluster: Cluster, partition: number, offset: number) {
  const leader = cluster.topic(CRASH_TOPIC).partitions[partition]!.leader
  const response = await cluster.transport.send('test', leader, 'Fetch', {
    replicaId: CONSUMER_REPLICA_ID,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    topics: [
      {
        topic: CRASH_TOPIC,
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
  const p = response.topics[0]!.partitions[0]!
  if (p.error === undefined) expect(p.records.length).toBeGreaterThan(0)
  return p.error
}

/**
 * A fresh consumer group reads `partition` from its start until a poll throws; then it seeks
 * to `seekTo` and reads once more. The offsets read, the error, and the first offset after the seek.
 */
async function consumeUntilFailure(cluster: Cluster, partition: number, seekTo: number) {
  const consumer = cluster.consumer({ groupId: 'damage-reader', autoOffsetReset: 'earliest' })
  await consumer.subscribe({ topics: [CRASH_TOPIC], fromBeginning: true })
  const offsets: number[] = []
  let error: LogkeeperError | undefined
  let afterSeek: number | undefined
  const until = Date.now() + 20_000
  const ofPartition = (records: ConsumerRecord[]) =>
    records.filter((r) => r.partition === partition).map((r) => Number(r.offset))
  try {
    while (error === undefined && Date.now() < until) {
      try {
        offsets.push(...ofPartition(await consumer.poll({ timeoutMs: 100 })))
      } catch (err) {
        error = err as LogkeeperError
      }
    }
    // Polls go on throwing until the application seeks past the batch.
    await expect(consumer.poll({ timeoutMs: 100 })).rejects.toMatchObject({ code: error?.code })
    consumer.seek({ topic: CRASH_TOPIC, partition, offset: String(seekTo) })
    while (afterSeek === undefined && Date.now() < until) {
      afterSeek = ofPartition(await consumer.poll({ timeoutMs: 100 }))[0]
    }
  } finally {
    await consumer.disconnect()
  }
  return { offsets, error, afterSeek }
}

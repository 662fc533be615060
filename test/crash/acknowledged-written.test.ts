/**
 * Regression: an acknowledged record was only in the process's memory, so a SIGKILL lost it.
 *
 * The store writes appended bytes to the OS at the end of the appending turn of the event loop
 * (write-behind), and brokers answered a produce as soon as the record was appended (acks=1) or
 * replicated into the followers' memory (acks=all). In process, a produce is answered through
 * promises alone, so a writer that sends in a loop (`for (;;) await producer.send(...)`) never
 * ends its turn: the write-behind's file I/O never ran. The crash test's writer had 136,497
 * records of one partition acknowledged after 18 s and an empty segment file on disk.
 *
 * Now a leader answers acks=1 and acks=all only once the appended bytes are written to the OS
 * (`PartitionLog.written()`), and a follower fetches again (telling the leader its new log end)
 * only once what it appended is written, as Kafka writes to the page cache before it answers.
 * These tests look at the files in the same turn as the acknowledgement arrives.
 *
 * The same held for consumers: a leader alone in its ISR raised the high watermark as it
 * appended, so a consumer could read (and commit past) a record still in memory. The crash test
 * found a group's committed offset 188 above the log end 187 after a kill: the consumer had read
 * offset 187, which the crash then lost, and the next record produced there would have been
 * skipped. The leader's own log end now counts toward the high watermark only as far as it is
 * written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, createCluster } from '../../src/cluster.js'
import { readBatchHeader, splitBatches } from '../../src/log/batch-header.js'
import { tmpDirs } from '../storage/tmp-dirs.js'
import { readCommitted } from '../support/cluster-reader.js'

const newDir = tmpDirs('acked')
const open: Cluster[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()))
})

/** Bytes of a partition's segment files on one broker's disk, read synchronously. */
function bytesOnDisk(dataDir: string, broker: number, partition: string): number {
  const dir = join(dataDir, 'brokers', String(broker), partition)
  return readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .reduce((sum, n) => sum + statSync(join(dir, n)).size, 0)
}

/** The log end offset of a partition as its segment files on disk hold it, read synchronously. */
function endOnDisk(dataDir: string, broker: number, partition: string): number {
  const dir = join(dataDir, 'brokers', String(broker), partition)
  let end = 0
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
    for (const batch of splitBatches(readFileSync(join(dir, name)))) {
      const h = readBatchHeader(batch)
      end = Math.max(end, Number(h.baseOffset) + h.lastOffsetDelta + 1)
    }
  }
  return end
}

async function diskCluster(brokers: number, flushMessages?: number) {
  const dataDir = await newDir()
  const cluster = await createCluster({
    dataDir,
    brokers,
    config: { 'min.insync.replicas': brokers },
    ...(flushMessages === undefined ? {} : { durability: { flushMessages } }),
  })
  open.push(cluster)
  await cluster.admin().createTopics({
    topics: [{ topic: 't', numPartitions: 1, replicationFactor: brokers }],
  })
  return { dataDir, cluster }
}

describe('an acknowledged record is written to the OS when its acknowledgement arrives', () => {
  for (const acks of [1, -1] as const) {
    it(`acks=${acks}, one broker, a send loop that never ends its turn`, async () => {
      const { dataDir, cluster } = await diskCluster(1)
      const producer = cluster.producer({ acks })
      for (let i = 0; i < 50; i++) {
        await producer.send({ topic: 't', messages: [{ value: `v${i}` }] })
        expect(bytesOnDisk(dataDir, 0, 't-0'), `after send ${i}`).toBeGreaterThanOrEqual(
          (i + 1) * 61,
        )
      }
    })
  }

  it('acks=all, three brokers: every replica has written it', async () => {
    const { dataDir, cluster } = await diskCluster(3)
    const producer = cluster.producer({ acks: -1, idempotent: true })
    for (let i = 0; i < 30; i++) {
      await producer.send({ topic: 't', messages: [{ value: `v${i}` }] })
      const sizes = [0, 1, 2].map((b) => bytesOnDisk(dataDir, b, 't-0'))
      expect(new Set(sizes).size, `replicas' bytes after send ${i}: ${sizes}`).toBe(1)
      expect(sizes[0]).toBeGreaterThanOrEqual((i + 1) * 61)
    }
  })

  it('with flushMessages: 1 as well (the write joins the fsync)', async () => {
    const { dataDir, cluster } = await diskCluster(1, 1)
    const producer = cluster.producer()
    for (let i = 0; i < 20; i++) {
      await producer.send({ topic: 't', messages: [{ value: `v${i}` }] })
      expect(bytesOnDisk(dataDir, 0, 't-0')).toBeGreaterThanOrEqual((i + 1) * 61)
    }
  })

  it('the high watermark never passes what is written: a consumer cannot read what a crash loses', async () => {
    const { dataDir, cluster } = await diskCluster(1)
    const producer = cluster.producer({ acks: 0 })
    for (let i = 0; i < 30; i++) {
      await producer.send({ topic: 't', messages: [{ value: `v${i}` }] })
      const hw = cluster.topic('t').partitions[0]!.highWatermark
      expect(endOnDisk(dataDir, 0, 't-0'), `after send ${i}`).toBeGreaterThanOrEqual(hw)
      const read = await readCommitted(cluster, 't', 0)
      expect(endOnDisk(dataDir, 0, 't-0')).toBeGreaterThanOrEqual(read.length)
    }
  })
})

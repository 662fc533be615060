/** A reopened data directory is online when createCluster resolves: no partition waits for its log. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { createCluster } from '../../src/cluster.js'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

it('every partition has its leader and its log end as soon as a reopened cluster starts', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-reopen-'))
  dirs.push(dataDir)
  const topics = ['a', 'b', 'c']
  const a = await createCluster({ brokers: 3, dataDir, seed: 2 })
  await a.admin().createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: 4, replicationFactor: 3 })),
  })
  const producer = a.producer({ acks: -1 })
  for (const topic of topics) {
    for (let p = 0; p < 4; p++) {
      await producer.send({
        topic,
        messages: [
          { value: 'x', partition: p },
          { value: 'y', partition: p },
        ],
      })
    }
  }
  await a.close()
  const b = await createCluster({ dataDir, seed: 2 })
  try {
    for (const topic of topics) {
      expect(b.topic(topic).partitions.map((p) => [p.leader >= 0, p.logEndOffset])).toEqual(
        Array.from({ length: 4 }, () => [true, 2]),
      )
    }
  } finally {
    await b.close()
  }
})

/**
 * The checks after a crash: a directory the writer was killed on, reopened in the test
 * process, must hold every acknowledgement of the {@link Ledger}, and its logs must read to
 * their end with every batch whole and its CRC valid.
 */
import { expect } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import { isLogkeeperError } from '../../src/common/errors.js'
import { readCommitted, readReplica } from '../support/cluster-reader.js'
import { CRASH_GROUP, CRASH_TOPIC, type Ledger, PARTITIONS } from './ledger.js'

/** What one check looked at. */
export interface Checked {
  /** Acknowledged records found at their offsets. */
  readonly records: number
  /** Acknowledged znodes and sets found. */
  readonly znodes: number
  /** Acknowledged commits at or under the committed offset now. */
  readonly commits: number
}

const OFFSETS_TOPIC = '__consumer_offsets'

/** Wait until every partition of `topic` is open, has a leader and every replica caught up. */
export async function waitCaughtUp(
  cluster: Cluster,
  topic: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const partitions = cluster.topic(topic).partitions
    const brokersCaughtUp = (p: (typeof partitions)[number]) =>
      p.replicas.every(
        (id) =>
          cluster.brokers[id]?.replicaHost?.replica({ topic, partition: p.id })?.logEndOffset ===
          p.logEndOffset,
      )
    const ready = partitions.every(
      (p) =>
        p.leader >= 0 &&
        p.logEndOffset >= 0 &&
        p.highWatermark === p.logEndOffset &&
        brokersCaughtUp(p),
    )
    if (ready) return
    if (Date.now() > deadline)
      throw new Error(`${topic} not caught up: ${JSON.stringify(partitions)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Whether the cluster knows the topic (the writer may have died before creating it). */
export function hasTopic(cluster: Cluster, topic: string): boolean {
  try {
    cluster.topic(topic)
    return true
  } catch (err) {
    if (isLogkeeperError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return false
    throw err
  }
}

/**
 * Check the records: every partition reads densely from offset 0 to its end, every value once,
 * every acknowledged record at its offset; and every replica of the topic and of the offsets
 * topic reads whole (CRCs checked) to its log end and agrees with the leader.
 */
export async function checkRecords(cluster: Cluster, ledger: Ledger): Promise<number> {
  if (!hasTopic(cluster, CRASH_TOPIC)) {
    expect(ledger.records.size, 'records acknowledged on a topic that is gone').toBe(0)
    return 0
  }
  await waitCaughtUp(cluster, CRASH_TOPIC)
  const seen = new Set<string>()
  let found = 0
  for (let p = 0; p < PARTITIONS; p++) {
    const log = await readCommitted(cluster, CRASH_TOPIC, p)
    log.forEach((r, i) => {
      expect(r.offset, `partition ${p} is dense`).toBe(i)
      expect(seen.has(r.value ?? ''), `${r.value} appears twice`).toBe(false)
      seen.add(r.value ?? '')
    })
    for (const [offset, value] of ledger.records.get(p) ?? []) {
      expect(log[offset]?.value, `acknowledged ${p}/${offset}`).toBe(value)
      found++
    }
    await checkReplicas(cluster, CRASH_TOPIC, p, log.length)
  }
  if (hasTopic(cluster, OFFSETS_TOPIC)) {
    await waitCaughtUp(cluster, OFFSETS_TOPIC)
    for (const p of cluster.topic(OFFSETS_TOPIC).partitions)
      await checkReplicas(cluster, OFFSETS_TOPIC, p.id)
  }
  return found
}

/** Every replica of a partition reads to its log end (each batch decoded, CRC checked), and they agree. */
async function checkReplicas(
  cluster: Cluster,
  topic: string,
  partition: number,
  expected?: number,
): Promise<void> {
  const copies: string[][] = []
  for (const id of cluster.topic(topic).partitions[partition]?.replicas ?? []) {
    const broker = cluster.brokers[id]
    const records = broker ? await readReplica(broker, topic, partition) : undefined
    const end = broker?.replicaHost?.replica({ topic, partition })?.logEndOffset
    expect(records, `broker ${id} hosts ${topic}-${partition}`).toBeDefined()
    expect(
      records?.at(-1)?.offset ?? -1,
      `broker ${id} reads ${topic}-${partition} to its end`,
    ).toBe((end ?? 0) - 1)
    copies.push((records ?? []).map((r) => `${r.offset}:${r.key}:${r.value}`))
  }
  for (const copy of copies) expect(copy).toEqual(copies[0])
  if (expected !== undefined) expect(copies[0]?.length).toBe(expected)
}

/** Every acknowledged znode is there with its data; a znode set is at or past its last acknowledged set. */
export async function checkZnodes(cluster: Cluster, ledger: Ledger): Promise<number> {
  const zk = cluster.coordinator.connect()
  try {
    let found = 0
    for (const [path, data] of ledger.znodes) {
      const got = await zk.getData(path)
      expect(got.data?.toString(), path).toBe(data)
      found++
    }
    for (const [path, acked] of ledger.sets) {
      const { data, stat } = await zk.getData(path)
      expect(stat.version, `${path}'s version`).toBeGreaterThanOrEqual(acked.version)
      if (stat.version === acked.version) expect(data?.toString(), path).toBe(acked.data)
      found++
    }
    return found
  } finally {
    await zk.close()
  }
}

/** The group's committed offsets are at or past every acknowledged commit, and within the log. */
export async function checkCommits(cluster: Cluster, ledger: Ledger): Promise<number> {
  if (ledger.commits.size === 0) return 0
  const [offsets] = await cluster
    .admin()
    .fetchOffsets({ groupId: CRASH_GROUP, topics: [CRASH_TOPIC] })
  let found = 0
  for (const [partition, acked] of ledger.commits) {
    const committed = Number(offsets?.partitions.find((p) => p.partition === partition)?.offset)
    expect(committed, `committed offset of ${partition}`).toBeGreaterThanOrEqual(acked)
    expect(committed).toBeLessThanOrEqual(
      cluster.topic(CRASH_TOPIC).partitions[partition]!.highWatermark,
    )
    found += ledger.commitCounts.get(partition) ?? 0
  }
  return found
}

/** All the checks of a reopened directory. */
export async function checkAll(cluster: Cluster, ledger: Ledger): Promise<Checked> {
  const records = await checkRecords(cluster, ledger)
  const znodes = await checkZnodes(cluster, ledger)
  const commits = await checkCommits(cluster, ledger)
  return { records, znodes, commits }
}

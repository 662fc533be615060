/**
 * Issue 4's invariants on one topic at the end of a run, once every partition has a leader and
 * its full ISR: [1] no acknowledged acks=all record lost; [2] every replica agrees with the
 * leader below the high watermark; [3] offsets dense and increasing from the log start;
 * [4] no duplicate of an idempotent producer's record, its records in send order per
 * partition, and its sequences contiguous in log order; [5] an acknowledged record sits where
 * its acknowledgement said.
 */
import type { Broker } from '../../../src/broker/broker.js'
import type { Partition } from '../../../src/cluster.js'
import {
  type ReadBatch,
  type ReadRecord,
  readCommitted,
  readCommittedBatches,
  readReplica,
} from '../../support/cluster-reader.js'
import type { SimBase } from '../support/sim-base.js'
import type { Sent } from './workload.js'

type Place = { partition: number; offset: number }

/** Where two copies of one partition first differ on an offset both hold, or undefined. */
export function firstDifference(
  a: readonly ReadRecord[],
  b: readonly ReadRecord[],
): string | undefined {
  const byOffset = new Map(a.map((r) => [r.offset, r]))
  for (const r of b) {
    const other = byOffset.get(r.offset)
    if (other === undefined) continue
    if (other.value !== r.value || other.key !== r.key) {
      return `offset ${r.offset}: ${other.value} vs ${r.value}`
    }
  }
  return undefined
}

function fmt(places: readonly Place[]): string {
  return places.map((p) => `${p.partition}@${p.offset}`).join(',')
}

/** [3] offsets dense and increasing, from the log start. */
function checkDense(sim: SimBase, topic: string, p: Partition, records: readonly ReadRecord[]) {
  for (let i = 0; i < records.length; i++) {
    const want = (records[0]?.offset ?? 0) + i
    if (records[i]?.offset !== want) {
      sim.violate(`[3] ${topic}-${p.id}: offset ${records[i]?.offset} at index ${i}, want ${want}`)
      break
    }
  }
  if (records.length > 0 && records[0]?.offset !== p.logStartOffset) {
    sim.violate(
      `[3] ${topic}-${p.id}: first offset ${records[0]?.offset}, log start ${p.logStartOffset}`,
    )
  }
}

/** [2] every replica agrees with the leader below the high watermark. Returns trace lines. */
async function checkReplicas(sim: SimBase, topic: string, p: Partition): Promise<string[]> {
  const lines: string[] = []
  const c = sim.cluster
  const leader = c.brokers[p.leader] as Broker
  const leaderCopy = (await readReplica(leader, topic, p.id, p.highWatermark)) ?? []
  for (const id of p.replicas) {
    const copy = await readReplica(c.brokers[id] as Broker, topic, p.id, p.highWatermark)
    lines.push(
      `  replica ${id}: ${copy?.map((r) => `${r.offset}=${r.value}`).join(' ') ?? 'absent'}`,
    )
    if (copy === undefined) {
      sim.violate(`[2] broker ${id} does not host ${topic}-${p.id}`)
      continue
    }
    if (copy.length !== leaderCopy.length) {
      sim.violate(
        `[2] broker ${id} holds ${copy.length} records of ${topic}-${p.id} below hw ${p.highWatermark}, leader ${leader.id} ${leaderCopy.length}`,
      )
    }
    const diff = firstDifference(leaderCopy, copy)
    if (diff !== undefined) sim.violate(`[2] final: broker ${id} ${topic}-${p.id}: ${diff}`)
  }
  return lines
}

/** [1], [4], [5]: every send against where its value sits in the committed logs. */
function checkSends(
  sim: SimBase,
  sent: readonly Sent[],
  where: ReadonlyMap<string, Place[]>,
  producerAt: ReadonlyMap<string, string>,
): void {
  let lostOne = 0
  for (const s of sent) {
    const found = where.get(s.value) ?? []
    if (s.status === 'pending') sim.violate(`${s.value} never settled`)
    if (s.kind === 'idem' && found.length > 1) {
      // Copies written under different producer ids: the producer re-sent a batch whose
      // first write it did not know of after taking a new id (a producer matter); under
      // one producer id the leader should have recognised the duplicate.
      const pids = new Set(found.map((f) => producerAt.get(`${f.partition}@${f.offset}`)))
      const tag = pids.size > 1 ? '[4-dup-new-pid]' : '[4]'
      sim.violate(
        `${tag} idempotent ${s.value} appears ${found.length} times: ${fmt(found)} (producer ids ${[...pids].join(',')})`,
      )
    }
    if (s.status !== 'acked') continue
    const at = `${s.partition}@${s.offset}`
    const there = found.some((f) => f.partition === s.partition && f.offset === s.offset)
    if (s.kind === 'one') {
      if (!there) lostOne++
    } else if (found.length === 0) {
      sim.violate(`[1] acked ${s.value} (acks=all, ${at}) is missing from the committed log`)
    } else if (!there) {
      sim.violate(`[5] acked ${s.value} at ${at} but it sits at ${fmt(found)}`)
    }
  }
  sim.stats['lost.one'] = lostOne
}

/** [4] the idempotent producer's values in send order per partition. */
function checkSendOrder(sim: SimBase, topic: string, committed: Map<number, ReadRecord[]>) {
  for (const [partition, records] of committed) {
    let last = -1
    for (const r of records) {
      if (!r.value?.startsWith('idem-')) continue
      const seq = Number(r.value.slice(5))
      if (seq <= last) {
        sim.violate(
          `[4-send-order] ${topic}-${partition}: idem-${seq} at ${r.offset} after idem-${last}`,
        )
      }
      last = Math.max(last, seq)
    }
  }
}

/** [4] the leaders kept each idempotent producer's sequences contiguous, in log order. */
function checkSequences(sim: SimBase, topic: string, p: number, batches: readonly ReadBatch[]) {
  const last = new Map<string, number>()
  for (const b of batches) {
    if (b.producerId < 0) continue
    const who = `${b.producerId}/${b.producerEpoch}`
    const before = last.get(who)
    if (before !== undefined && b.baseSequence !== before + 1) {
      sim.violate(
        `[4] ${topic}-${p}: producer ${who}'s batch at ${b.baseOffset} has sequence ${b.baseSequence} after ${before}`,
      )
    }
    last.set(who, b.baseSequence + (b.lastOffset - b.baseOffset))
  }
}

/** The invariants at the end of a run on `topic`. Returns the final logs as text. */
export async function checkFinalLogs(
  sim: SimBase,
  topic: string,
  sent: readonly Sent[],
): Promise<string> {
  const c = sim.cluster
  const lines: string[] = []
  const committed = new Map<number, ReadRecord[]>()
  const view = c.topic(topic)
  for (const p of view.partitions) {
    let records: ReadRecord[]
    try {
      records = await readCommitted(c, topic, p.id)
    } catch (err) {
      sim.violate(`cannot read ${topic}-${p.id}: ${String(err)}`)
      continue
    }
    committed.set(p.id, records)
    lines.push(
      `${topic}-${p.id} hw=${p.highWatermark}: ${records.map((r) => `${r.offset}=${r.value}`).join(' ')}`,
    )
    checkDense(sim, topic, p, records)
    lines.push(...(await checkReplicas(sim, topic, p)))
  }
  const where = new Map<string, Place[]>()
  for (const [partition, records] of committed) {
    for (const r of records) {
      const list = where.get(r.value ?? '') ?? []
      list.push({ partition, offset: r.offset })
      where.set(r.value ?? '', list)
    }
  }
  const producerAt = new Map<string, string>()
  const batches = new Map<number, ReadBatch[]>()
  for (const p of view.partitions) {
    const list = await readCommittedBatches(c, topic, p.id)
    batches.set(p.id, list)
    for (const b of list) {
      for (let o = b.baseOffset; o <= b.lastOffset; o++) {
        producerAt.set(`${p.id}@${o}`, `${b.producerId}/${b.producerEpoch}`)
      }
    }
  }
  checkSends(sim, sent, where, producerAt)
  checkSendOrder(sim, topic, committed)
  for (const p of view.partitions) checkSequences(sim, topic, p.id, batches.get(p.id) ?? [])
  return lines.join('\n')
}

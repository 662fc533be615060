/**
 * Issue 4's invariants on one topic checked while the run goes on (after every step of the
 * whole-cluster simulation), on each partition's current leader: [1] every acknowledged
 * acks=all record is in the leader's log at the offset its acknowledgement gave; [3] the
 * leader's offsets are dense and increasing from its log start; [4] no idempotent producer's
 * value appears twice below the high watermarks. The leader is the live broker that leads the
 * partition in the highest epoch.
 */
import type { Broker } from '../../../src/broker/broker.js'
import { readReplica } from '../../support/cluster-reader.js'
import type { ReplicationWorkload } from './workload.js'

type Replica = NonNullable<ReturnType<NonNullable<Broker['replicaHost']>['replica']>>

/**
 * The partition's current leader: of the live brokers that think they lead it, the one in the
 * highest leader epoch. A broker cut off from the controller may still think it leads in an
 * older epoch (a zombie: it can commit nothing, its followers have left), and the cluster's
 * topic view may name it.
 */
function currentLeader(
  w: ReplicationWorkload,
  partition: number,
): { leader: Broker; info: Replica } | undefined {
  let best: { leader: Broker; info: Replica } | undefined
  for (const b of w.sim.liveBrokers()) {
    const info = b.replicaHost?.replica({ topic: w.topic, partition })
    if (info?.isLeader && (best === undefined || info.leaderEpoch > best.info.leaderEpoch)) {
      best = { leader: b, info }
    }
  }
  return best
}

/** Run the live checks of `w`'s topic (nothing once the topic is being deleted). */
export async function checkLive(w: ReplicationWorkload): Promise<void> {
  const view = w.view()
  if (view === undefined || w.deleted) return
  const sim = w.sim
  sim.count('checks')
  const values = new Map<string, string>()
  const acked = new Map<string, string>()
  for (const s of w.sent) {
    if (s.status === 'acked' && s.kind !== 'one') acked.set(`${s.partition}@${s.offset}`, s.value)
  }
  for (const p of view.partitions) {
    const found = currentLeader(w, p.id)
    if (found === undefined) continue
    const { leader, info } = found
    const records = (await readReplica(leader, w.topic, p.id)) ?? []
    const start = records[0]?.offset ?? info.logEndOffset
    const byOffset = new Map<number, string | null>()
    records.forEach((r, i) => {
      byOffset.set(r.offset, r.value)
      if (r.offset !== start + i) {
        sim.violate(
          `[3] ${w.topic}-${p.id} on leader ${leader.id}: offset ${r.offset} at index ${i}`,
        )
      }
      if (r.offset >= info.highWatermark || !r.value?.startsWith('idem-')) return
      const other = values.get(r.value)
      if (other !== undefined) {
        sim.violate(`[4] idempotent ${r.value} at ${other} and ${p.id}@${r.offset}`)
      }
      values.set(r.value, `${p.id}@${r.offset}`)
    })
    for (const [at, value] of acked) {
      const [partition, offset] = at.split('@').map(Number)
      if (partition !== p.id || (offset as number) < start) continue
      const there = byOffset.get(offset as number)
      if (there !== value) {
        sim.violate(
          `[1] acked ${value} (acks=all, ${at}) is not in leader ${leader.id}'s log (there: ${there ?? 'nothing'}, log end ${info.logEndOffset})`,
        )
      }
    }
  }
}

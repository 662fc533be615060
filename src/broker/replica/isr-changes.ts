/**
 * A leader's ISR changes (Kafka's ZooKeeper-mode `Partition.maybeExpandIsr` and
 * `maybeShrinkIsr`): a follower that reached the high watermark (and this epoch's start) joins
 * the ISR; followers that have not caught up within `replica.lag.time.max.ms` leave it. Each
 * change is a conditional write of the state znode through the {@link IsrWriter}, one at a time
 * per partition; the leader takes the new ISR only when the write succeeded and it still leads
 * in the same epoch and state version. A refused write (`null`) keeps the old ISR until the
 * controller's next LeaderAndIsr.
 */
import type { BrokerId } from '../api.js'
import type { Partition } from './partition.js'
import type { IsrWriter } from './types.js'

async function writeIsr(
  writer: IsrWriter,
  p: Partition,
  newIsr: readonly BrokerId[],
): Promise<boolean> {
  if (p.isrUpdating || !p.isLeader) return false
  p.isrUpdating = true
  const epoch = p.leaderEpoch
  const version = p.zkVersion
  try {
    const written = await writer.updateIsr(p.state(newIsr), newIsr)
    if (written === null || !p.isLeader || p.leaderEpoch !== epoch || p.zkVersion !== version) {
      return false
    }
    p.isr = newIsr
    p.zkVersion = written
    return true
  } catch {
    return false
  } finally {
    p.isrUpdating = false
  }
}

/** Add `replicaId` to the ISR of `p` (a leader) if it may join. */
export async function expandIsr(
  writer: IsrWriter,
  p: Partition,
  replicaId: BrokerId,
): Promise<void> {
  if (!p.canJoinIsr(replicaId)) return
  await writeIsr(writer, p, [...p.isr, replicaId])
}

/**
 * Drop from the ISR of `p` (a leader) the followers that have not caught up within `lagMs`;
 * a smaller ISR may raise the high watermark (and answer waiting produces).
 */
export async function shrinkIsr(
  writer: IsrWriter,
  p: Partition,
  nowMs: number,
  lagMs: number,
): Promise<void> {
  if (!p.isLeader) return
  const lagging = p.laggingReplicas(nowMs, lagMs)
  if (lagging.length === 0) return
  const newIsr = p.isr.filter((id) => !lagging.includes(id))
  if (await writeIsr(writer, p, newIsr)) p.maybeIncrementHighWatermark()
}

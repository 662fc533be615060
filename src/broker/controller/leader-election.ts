/**
 * The controller's leader choices (Kafka's `PartitionLeaderElectionAlgorithms` and the ISR
 * shrink of `ReplicaStateMachine`), as pure functions of a partition's replicas, its ISR and
 * the live brokers. Every change bumps the leader epoch.
 */
import { type BrokerId, NO_LEADER } from '../api.js'
import type { LeaderIsr } from '../zk/topic-znodes.js'

/**
 * Offline-partition election: the first replica (in assignment order) that is live and in the
 * ISR leads; failing that, with `unclean`, the first live replica leads alone (it may lack
 * acknowledged records). Returns the new state, or null when nobody can lead.
 */
export function electOfflineLeader(
  replicas: readonly BrokerId[],
  current: LeaderIsr,
  isLive: (id: BrokerId) => boolean,
  unclean: boolean,
  controllerEpoch: number,
): LeaderIsr | null {
  const liveIsr = current.isr.filter(isLive)
  const clean = replicas.find((id) => isLive(id) && current.isr.includes(id))
  if (clean !== undefined) {
    return { leader: clean, leaderEpoch: current.leaderEpoch + 1, isr: liveIsr, controllerEpoch }
  }
  if (!unclean) return null
  const dirty = replicas.find(isLive)
  if (dirty === undefined) return null
  return { leader: dirty, leaderEpoch: current.leaderEpoch + 1, isr: [dirty], controllerEpoch }
}

/**
 * A state with the dead brokers gone: when the leader died, a new leader (or none, the last
 * ISR member staying in the ISR as Kafka keeps it); when only followers died, the same leader
 * with a smaller ISR. Returns null when nothing changes.
 */
export function afterBrokerFailure(
  replicas: readonly BrokerId[],
  current: LeaderIsr,
  isLive: (id: BrokerId) => boolean,
  unclean: boolean,
  controllerEpoch: number,
): LeaderIsr | null {
  const leaderDead = current.leader !== NO_LEADER && !isLive(current.leader)
  if (leaderDead || current.leader === NO_LEADER) {
    const elected = electOfflineLeader(replicas, current, isLive, unclean, controllerEpoch)
    if (elected !== null) return elected
    if (current.leader === NO_LEADER) return null
    const isr = current.isr.filter(isLive)
    return {
      leader: NO_LEADER,
      leaderEpoch: current.leaderEpoch + 1,
      isr: isr.length > 0 ? isr : keepLast(current),
      controllerEpoch,
    }
  }
  const isr = current.isr.filter(isLive)
  if (isr.length === current.isr.length) return null
  return { ...current, leaderEpoch: current.leaderEpoch + 1, isr, controllerEpoch }
}

function keepLast(current: LeaderIsr): readonly BrokerId[] {
  return current.isr.includes(current.leader) ? [current.leader] : current.isr.slice(0, 1)
}

/**
 * The group members' own steps in a simulation: a member joins, stops (disconnects, leaving
 * the group) or dies (cut off from every broker for good, so its session times out).
 */

import type { SimBase } from '../support/sim-base.js'
import type { GroupWorkload } from './workload.js'

/** One member step: join (up to 4 running), stop or die (while more than one runs). */
export async function memberStep(sim: SimBase, w: GroupWorkload): Promise<void> {
  const roll = sim.random.int(3)
  if (roll === 0) await joinMember(sim, w)
  else if (roll === 1) await stopMember(sim, w)
  else dieMember(sim, w)
}

/** A new member joins (while fewer than 4 run). */
export async function joinMember(sim: SimBase, w: GroupWorkload): Promise<void> {
  if (w.live().length >= 4) return sim.note('join skipped')
  await w.addMember()
}

/** A running member disconnects; half the time the step waits for it (bounded). */
export async function stopMember(sim: SimBase, w: GroupWorkload): Promise<void> {
  const live = w.live()
  if (live.length <= 1) return sim.note('stop skipped')
  const m = sim.random.pick(live)
  m.state = 'stopped'
  sim.note(`stop ${m.name}`)
  sim.count('stops')
  const stopping = m.consumer.disconnect()
  sim.track(stopping)
  if (sim.random.chance(0.5)) await sim.advanceUntil(stopping, 30_000)
}

/** A running member dies: cut off from every broker for good. */
export function dieMember(sim: SimBase, w: GroupWorkload): void {
  const live = w.live()
  if (live.length <= 1) {
    sim.note('die skipped')
    return
  }
  const m = sim.random.pick(live)
  m.state = 'dead'
  sim.note(`die ${m.name}`)
  sim.count('deaths')
  sim.cluster.network.isolate(m.name)
}

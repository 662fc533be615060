/**
 * The end of a run with a consumer group: heal and restart, let every send settle and the live
 * members catch up (bounded), then [alo] every acknowledged record below the high watermark is
 * processed, [fetch] OffsetFetch equals the last acknowledged commit (or a later write that
 * failed and landed), and every member disconnects in bounded time.
 */
import * as faults from '../support/faults.js'
import type { SimBase } from '../support/sim-base.js'
import type { OffsetsWatch } from './offsets-watch.js'
import type { GroupWorkload } from './workload.js'

/** Heal (with `heal`), restart, let every send settle and the live members catch up. */
export async function recoverGroup(
  sim: SimBase,
  w: GroupWorkload,
  offsets: OffsetsWatch,
  heal: () => void,
): Promise<void> {
  sim.note('recover: heal, restart dead brokers')
  heal()
  await faults.restartAll(sim)
  if (w.live().length === 0) await w.addMember()
  if (!(await sim.advanceUntil(Promise.all([...sim.pending]), 180_000, 500))) {
    sim.violate(`${sim.pending.size} sends or stops still pending after 180 s`)
  }
  let caughtUp = false
  for (let t = 0; t <= 180_000 && !caughtUp; t += 500) {
    offsets.watch()
    offsets.checkCommittedNow()
    caughtUp = w.settled() && w.unprocessed().length === 0
    if (!caughtUp) await sim.clock.advance(500)
  }
  const left = w.unprocessed()
  sim.note(`recovered: ${w.describe()}, ${left.length} unprocessed`)
  sim.count('checks')
  if (!w.settled()) sim.violate('[alo] the live consumers did not settle within 180 s')
  if (left.length > 0) {
    const some = left.slice(0, 8).map((a) => `${a.value}=${a.partition}@${a.offset}`)
    sim.violate(
      `[alo] ${left.length} acknowledged record(s) below the high watermark never processed: ${some.join(' ')}`,
    )
  }
}

/** Stop the live members (they commit), then OffsetFetch must equal the last acknowledged commits. */
export async function checkOffsets(
  sim: SimBase,
  w: GroupWorkload,
  offsets: OffsetsWatch,
): Promise<void> {
  for (const m of w.live()) {
    m.state = 'stopped'
    if (!(await sim.advanceUntil(m.consumer.disconnect(), 60_000))) {
      sim.violate(`${m.name} did not disconnect within 60 s`)
    }
  }
  offsets.checkCommittedNow()
  const fetching = sim.cluster.admin().fetchOffsets({ groupId: w.group, topics: [w.topic] })
  let fetched: Awaited<typeof fetching> = []
  try {
    fetched = await sim.clock.runUntil(fetching, 120_000)
  } catch (err) {
    sim.violate(`[fetch] OffsetFetch failed: ${String(err)}`)
  }
  const lines: string[] = []
  sim.count('checks')
  for (const t of fetched) {
    for (const p of t.partitions) lines.push(checkFetched(sim, w, p.partition, Number(p.offset)))
  }
  sim.note(`committed ${lines.join(' ')}`)
}

function checkFetched(sim: SimBase, w: GroupWorkload, partition: number, offset: number): string {
  const last = w.lastCommit.get(partition)
  const landed = w.written.some(
    (x) => x.partition === partition && x.offset === offset && x.seq > (last?.seq ?? -1),
  )
  if ((last?.offset ?? -1) !== offset && !landed) {
    sim.violate(
      `[fetch] ${w.topic}-${partition}: OffsetFetch says ${offset}, the last acknowledged commit ${last?.offset ?? 'none'} (${last?.by ?? ''})`,
    )
  }
  return `${partition}=${offset}`
}

/** Disconnect every member on its own (the dead ones too): one that cannot is named. */
export async function closeMembers(sim: SimBase, w: GroupWorkload): Promise<void> {
  for (const m of w.members) {
    const started = sim.clock.now()
    if (!(await sim.advanceUntil(m.consumer.disconnect(), 600_000, 500))) {
      sim.violate(`[close] ${m.name} (${m.state}) did not disconnect within 600 s`)
      if (process.env.SIM_DEBUG) {
        console.error(
          sim.timers
            ?.origins()
            .filter((t) => !t.includes('Periodic'))
            .join('\n'),
        )
      }
    } else if (sim.clock.now() - started > 30_000) {
      const took = `${m.name} (${m.state}) took ${sim.clock.now() - started} ms to disconnect`
      sim.note(took)
      sim.count('slow-disconnects')
      if (process.env.SIM_SLOW_STOP) sim.violate(`[close] ${took}`)
    }
  }
}

/**
 * The demo's tour: one cluster of three brokers in memory on a virtual clock, seeded so every
 * run tells the same story, and the scenarios it walks through, each narrated as it happens.
 * Waits that would take seconds (a group's rebalance, a session's expiry) pass in virtual time
 * with `clock.runUntil`, so the whole tour takes a moment of real time.
 */
import type { Admin } from '../../admin/admin.js'
import { type Cluster, createCluster } from '../../cluster.js'
import type { VirtualClock } from '../../common/clock.js'
import type { Output } from '../io.js'
import { electionScenario } from './election-scenario.js'
import { groupScenario } from './group-scenario.js'
import { keysScenario } from './keys-scenario.js'
import { lockScenario } from './lock-scenario.js'
import { Narrator, seconds } from './narrator.js'
import { topicScenario } from './topic-scenario.js'

/** What every scenario works with. */
export interface Tour {
  /** The cluster (virtual clock). */
  readonly cluster: Cluster<VirtualClock>
  /** Its admin client. */
  readonly admin: Admin
  /** Where the story is told. */
  readonly say: Narrator
  /** The topic the Kafka scenarios share. */
  readonly topic: string
}

/** One chapter of the tour. */
export interface Scenario {
  /** Its title. */
  readonly title: string
  /** Tell it. */
  run(tour: Tour): Promise<void>
}

/** The chapters, in order. */
export const SCENARIOS: readonly Scenario[] = [
  topicScenario,
  keysScenario,
  groupScenario,
  lockScenario,
  electionScenario,
]

/** The number of brokers of the tour's cluster. */
export const TOUR_BROKERS = 3

/** Run the tour on a fresh cluster seeded with `seed`, telling it on `out`. */
export async function runTour(out: Output, seed: number): Promise<void> {
  const say = new Narrator(out)
  say.line(
    `logkeeper demo: a cluster of ${TOUR_BROKERS} brokers and a coordinator in this process, ` +
      `in memory, on a virtual clock (seed ${seed}).`,
  )
  const cluster = await createCluster({ brokers: TOUR_BROKERS, clock: 'virtual', seed })
  const start = cluster.clock.now()
  try {
    const tour: Tour = { cluster, admin: cluster.admin(), say, topic: 'orders' }
    for (const [i, scenario] of SCENARIOS.entries()) {
      say.chapter(i + 1, scenario.title)
      await scenario.run(tour)
      await out.ready()
    }
    say.chapter(SCENARIOS.length + 1, 'The end')
    say.line(
      `${seconds(cluster.clock.now() - start)} of virtual time went by. ` +
        "Try the same commands on a data directory with 'logkeeper shell'.",
    )
  } finally {
    await cluster.close()
  }
}

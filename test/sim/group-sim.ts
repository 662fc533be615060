/**
 * A seeded simulation of one consumer group under faults (issue 5): a seed becomes a
 * three-broker cluster under the virtual clock, a topic of 3..6 partitions (replication factor
 * 3) that an idempotent producer keeps filling with unique values, 2..4 consumers of one group
 * (one random assignor a run; at-least-once: autoCommit after processing), and a random
 * schedule: consumers joining, stopping and dying (cut off from every broker for good), broker
 * kills and restarts (the group coordinator's broker too), cut and healed links, clock advances
 * and partition additions. At the end the links are healed (the dead stay dead), the brokers
 * restarted, the live consumers given (bounded) time to catch up, and then:
 *
 * - [gen] within one generation no partition is assigned to two members;
 * - [stale] a commit is applied only in the generation it was made in (checked on the
 *   coordinator as it answers), and the committed offset of a partition never moves backwards
 *   (as the coordinators hold it below their `__consumer_offsets` high watermark, and as
 *   acknowledged commits tell it);
 * - [fetch] OffsetFetch at the end equals the last commit acknowledged to a member, or a commit
 *   a coordinator wrote to `__consumer_offsets` after that one and never acknowledged (one that
 *   failed after its append, as a produce with acks=-1 may, can still land: Kafka's too);
 * - [alo] every acknowledged record below the high watermark is processed at least once;
 * - [order] a consumer sees a partition's offsets in increasing order while it owns it, and
 *   only the partitions it owns;
 * - [timers] no timer is left after the cluster closes.
 *
 * The members and their checks are `groups/workload.ts`, the coordinators' side
 * `groups/offsets-watch.ts`, the end `groups/end.ts`. The same seed gives the same run, step for
 * step and record for record.
 */

import { checkOffsets, closeMembers, recoverGroup } from './groups/end.js'
import { dieMember, joinMember, stopMember } from './groups/members.js'
import { OffsetsWatch } from './groups/offsets-watch.js'
import { ASSIGNORS, GroupWorkload } from './groups/workload.js'
import * as faults from './support/faults.js'
import { type KnownIssue, type SimRun, unexplainedBy } from './support/replay.js'
import { SimBase } from './support/sim-base.js'

/** The topic every run consumes. */
export const TOPIC = 'gsim'
/** The group. */
export const GROUP = 'gsim-group'

/** The broker settings of the brief. */
export const GROUP_SIM_CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'offsets.topic.replication.factor': 3,
  'offsets.topic.num.partitions': 5,
  'min.insync.replicas': 2,
  'zookeeper.session.timeout.ms': 6000,
} as const

const ADVANCES = [10, 100, 500, 1000, 3000, 6000, 12_000]
const PRODUCER = 'p-idem'

/** How a run is shaped. */
export interface GroupSimOptions {
  /** Schedule steps. Default 50. */
  readonly steps?: number
  /** Close the cluster at the end and count the timers left. Default true. */
  readonly close?: boolean
}

/** What one run produced. */
export interface GroupSimResult extends SimRun {
  /** Every processing: `consumer/generation partition@offset=value`, in order. */
  readonly processed: readonly string[]
  /** Every acknowledged commit: `consumer/generation partition=offset`, in order. */
  readonly commits: readonly string[]
  /** `cluster.clock.pendingTimers` after close (with `close`). */
  readonly pendingTimersAfterClose: number | undefined
}

class GroupSimulation extends SimBase {
  readonly w = new GroupWorkload(this, TOPIC, GROUP, this.random, PRODUCER)
  readonly offsets = new OffsetsWatch(this.w)

  protected override tick(): void {
    this.offsets.watch()
  }

  async setUp(): Promise<void> {
    const r = this.random
    const partitions = r.intBetween(3, 6)
    this.w.assignor = r.pick(ASSIGNORS)
    await this.startCluster(3, GROUP_SIM_CONFIG, true)
    await this.w.setUp(partitions)
    const n = r.intBetween(2, 4)
    this.note(`start partitions=${partitions} consumers=${n} assignor=${this.w.assignor}`)
    for (let i = 0; i < n; i++) await this.w.addMember()
  }

  step(): Promise<void> | undefined {
    const w = this.w
    return faults.roll(this, [
      [25, () => this.#send()],
      [31, () => joinMember(this, w)],
      [35, () => stopMember(this, w)],
      [40, () => dieMember(this, w)],
      [46, () => faults.killBroker(this)],
      [51, () => faults.killThis(this, this.offsets.coordinatorBroker(), 'kill-coordinator')],
      [58, () => faults.restartBroker(this)],
      [63, () => faults.cutBrokers(this)],
      [69, () => faults.cutClient(this, [...w.live().map((m) => m.name), PRODUCER])],
      [75, () => this.#heal()],
      [78, () => this.#addPartition()],
      [100, () => faults.advance(this, ADVANCES)],
    ])
  }

  #send(): void {
    const n = this.random.intBetween(1, 6)
    this.note(`send ${n}`)
    this.w.send(n)
  }

  #heal(): void {
    this.note('heal')
    faults.countFault(this, 'heal')
    this.heal()
  }

  /** Heal every link, but leave the dead consumers cut off. */
  heal(): void {
    const net = this.cluster.network
    net.heal()
    for (const m of this.w.members) if (m.state === 'dead') net.isolate(m.name)
  }

  #addPartition(): void {
    const now = Math.max(this.w.partitions, this.partitionCount(TOPIC))
    faults.addPartition(this, TOPIC, now, (count) => {
      this.w.partitions = Math.max(this.w.partitions, count)
    })
  }
}

/** Run the group simulation of `seed`. */
export async function runGroupSimulation(
  seed: number,
  options: GroupSimOptions = {},
): Promise<GroupSimResult> {
  const o: Required<GroupSimOptions> = { steps: 50, close: true, ...options }
  const sim = new GroupSimulation(seed)
  let pendingTimersAfterClose: number | undefined
  try {
    await sim.setUp()
    sim.offsets.watch()
    for (let i = 0; i < o.steps; i++) {
      sim.stepIndex = i
      await sim.step()
      // Time passes between steps, as it does for real consumers.
      await sim.clock.advance(sim.random.pick([0, 50, 200, 1000]))
      sim.offsets.watch()
      sim.offsets.checkCommittedNow()
    }
    sim.stepIndex = o.steps
    await recoverGroup(sim, sim.w, sim.offsets, () => sim.heal())
    await checkOffsets(sim, sim.w, sim.offsets)
  } catch (err) {
    sim.violations.push(`the run threw: ${(err as Error).stack ?? String(err)}`)
  } finally {
    if (o.close && sim.cluster !== undefined) {
      await closeMembers(sim, sim.w)
      pendingTimersAfterClose = await sim.closeCluster()
    }
  }
  return {
    seed,
    steps: sim.log,
    violations: sim.violations,
    stats: sim.stats,
    processed: sim.w.processed,
    commits: sim.w.commits,
    pendingTimersAfterClose,
  }
}

/**
 * Violations that known bugs explain, with the bug each one is. A run with `SIM_STRICT=1`
 * counts them as failures too.
 */
export const KNOWN_GROUP_ISSUES: readonly KnownIssue[] = [
  // None now: both bugs the simulation found are fixed; their seeds are regression tests.
]

/** The violations no known issue explains (all of them with `strict`). */
export function unexplainedGroup(result: GroupSimResult, strict = false): string[] {
  return unexplainedBy(result, KNOWN_GROUP_ISSUES, strict)
}

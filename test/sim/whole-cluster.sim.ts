/**
 * The whole-cluster simulation: a seed becomes a cluster of 3..5 brokers under the virtual
 * clock running every workload at once (producers acks=all idempotent, acks=all and acks=1 on
 * one topic; a consumer group on another; a doomed topic with its own producers and consumer;
 * lock and election actors on the cluster's coordinator) under a random schedule of every
 * fault: broker kills and restarts, controller and group-coordinator kills, cut and healed
 * links, lost responses, a slow follower (or leader), session expiries (actors' and brokers'),
 * lost heartbeats, clock advances and jumps, partition additions and a topic deletion. After
 * every step the invariants are checked (`replication/live-checks.ts`, the group's watches,
 * `whole/coordination.ts`); at the end everything is healed and restarted and the final
 * checks of each workload run. The same seed gives the same trace, byte for byte.
 */
import type { FaultHandle } from '../../src/broker/transport.js'
import { checkOffsets, closeMembers, recoverGroup } from './groups/end.js'
import { memberStep } from './groups/members.js'
import { OffsetsWatch } from './groups/offsets-watch.js'
import { ASSIGNORS, GroupWorkload } from './groups/workload.js'
import { checkLive } from './replication/live-checks.js'
import { ReplicationWorkload } from './replication/workload.js'
import * as faults from './support/faults.js'
import { type KnownIssue, type SimRun, unexplainedBy } from './support/replay.js'
import { SimBase } from './support/sim-base.js'
import { CoordinationWorkload, checkEphemerals, expireAndCheck } from './whole/coordination.js'
import { DoomedTopic } from './whole/doomed.js'

/** The broker settings: issue 4's guarantees and the group simulation's. */
export const WHOLE_CONFIG = {
  'min.insync.replicas': 2,
  'default.replication.factor': 3,
  'zookeeper.session.timeout.ms': 6000,
  'replica.lag.time.max.ms': 10000,
  'group.initial.rebalance.delay.ms': 0,
  'offsets.topic.replication.factor': 3,
  'offsets.topic.num.partitions': 5,
  // The doomed topic's consumer asks for its metadata: with auto-creation on, that brings a
  // deleted topic back (as in Kafka), and the deletion checks would not hold.
  'auto.create.topics.enable': false,
} as const

const ADVANCES = [1, 10, 100, 500, 1000, 3000, 7000, 12_000]
const JUMPS = [-60_000, -1000, 1000, 60_000, 3_600_000]

/** How a run is shaped. */
export interface WholeOptions {
  /** Schedule steps. Default 60. */
  readonly steps?: number
}

/** What one run produced. */
export interface WholeResult extends SimRun {
  /** The final logs of the main topic, the sends, processings and commits, as text. */
  readonly outcome: string
}

class WholeSimulation extends SimBase {
  readonly drops: FaultHandle[] = []
  readonly main = new ReplicationWorkload(this, 'wsim', this.random.fork('main'))
  readonly group = new GroupWorkload(
    this,
    'wgroup',
    'wgroup-g',
    this.random.fork('group'),
    'g-idem',
  )
  readonly offsets = new OffsetsWatch(this.group)
  readonly doomed = new DoomedTopic(this, this.random.fork('doomed'))
  readonly coordination = new CoordinationWorkload(this, this.random.fork('coordination'))

  protected override tick(): void {
    this.offsets.watch()
  }

  async setUp(): Promise<void> {
    const r = this.random
    const brokers = r.intBetween(3, 5)
    const partitions = r.intBetween(2, 4)
    const groupPartitions = r.intBetween(3, 5)
    this.group.assignor = r.pick(ASSIGNORS)
    const members = r.intBetween(2, 3)
    await this.startCluster(brokers, WHOLE_CONFIG, process.env.SIM_DEBUG !== undefined)
    await this.main.setUp(partitions, true)
    await this.group.setUp(groupPartitions)
    await this.doomed.setUp()
    await this.coordination.setUp(3)
    this.note(
      `start brokers=${brokers} partitions=${partitions}+${groupPartitions} members=${members} assignor=${this.group.assignor}`,
    )
    for (let i = 0; i < members; i++) await this.group.addMember()
    this.offsets.watch()
  }

  /** The network names of every client that a fault may cut off. */
  clients(): string[] {
    const live = this.group.live().map((m) => m.name)
    return [...this.main.clientIds, this.group.producerId, ...live]
  }

  step(): Promise<void> | undefined {
    const producers = this.main.clientIds
    return faults.roll(this, [
      [22, () => this.#send()],
      [30, () => this.coordination.step()],
      [35, () => memberStep(this, this.group)],
      [40, () => faults.killBroker(this)],
      [42, () => faults.killController(this)],
      [44, () => faults.killThis(this, this.offsets.coordinatorBroker(), 'kill-coordinator')],
      [51, () => faults.restartBroker(this)],
      [56, () => faults.cutBrokers(this)],
      [59, () => faults.cutClient(this, this.clients())],
      [64, () => this.#heal()],
      [67, () => this.drops.push(faults.dropResponses(this, producers, 'Produce'))],
      [70, () => faults.slowBroker(this)],
      [73, () => this.#expire()],
      [75, () => this.#jump()],
      [77, () => this.#addPartition()],
      [79, () => this.doomed.delete()],
      [100, () => faults.advance(this, ADVANCES)],
    ])
  }

  #send(): void {
    const which = this.random.int(10)
    if (which < 6) this.main.sendSome()
    else if (which < 8 || this.doomed.state !== 'live') this.#sendGroup()
    else this.doomed.w.sendSome()
  }

  #sendGroup(): void {
    const n = this.random.intBetween(1, 4)
    this.note(`send group ${n}`)
    this.group.send(n)
  }

  #heal(): void {
    faults.healSome(this)
    this.isolateDead()
  }

  /** The dead members stay cut off, whatever heals. */
  isolateDead(): void {
    for (const m of this.group.members) {
      if (m.state === 'dead') this.cluster.network.isolate(m.name)
    }
  }

  /** Expire a session: an actor's (lock or election) or, one time in three, a broker's. */
  async #expire(): Promise<void> {
    const r = this.random
    if (!r.chance(1 / 3))
      return this.coordination.expireSession(r.chance(0.5) ? 'lock' : 'election')
    const b = r.pick(this.liveBrokers())
    const owner = this.cluster.coordinator.tree.getNode(`/brokers/ids/${b.id}`)?.ephemeralOwner
    if (owner === undefined || owner === 0) return this.note('expire skipped')
    this.note(`expire broker ${b.id}'s session`)
    faults.countFault(this, 'session-expiry')
    await expireAndCheck(this, owner)
  }

  #jump(): void {
    const ms = this.random.pick(JUMPS)
    this.note(`clock jump ${ms}`)
    faults.countFault(this, 'clock-jump')
    this.clock.jump(ms)
  }

  #addPartition(): void {
    const w = this.random.chance(0.5) ? this.main : this.group
    const now = Math.max(w.partitions, this.partitionCount(w.topic))
    faults.addPartition(this, w.topic, now, (count) => {
      w.partitions = Math.max(w.partitions, count)
    })
  }

  /** The invariants after every step. */
  async check(): Promise<void> {
    this.offsets.watch()
    this.offsets.checkCommittedNow()
    this.coordination.afterStep()
    await checkLive(this.main)
    await checkLive(this.doomed.w)
    await this.main.checkAgreement(`step ${this.stepIndex}`)
  }

  /** Heal, restart, settle; then the final checks of every workload. */
  async finish(): Promise<string> {
    faults.healNetwork(this, this.drops)
    this.isolateDead()
    await recoverGroup(this, this.group, this.offsets, () => this.isolateDead())
    await this.doomed.checkEnd()
    await this.main.waitFullyReplicated()
    this.note(`recovered: ${this.main.describePartitions()}`)
    await this.main.checkAgreement('after recovery')
    const logs = await this.main.checkFinal()
    await checkOffsets(this, this.group, this.offsets)
    checkEphemerals(this)
    return [logs, ...this.main.sends(), ...this.group.processed, ...this.group.commits].join('\n')
  }
}

/** Run the whole-cluster simulation of `seed`. */
export async function runWholeSimulation(
  seed: number,
  options: WholeOptions = {},
): Promise<WholeResult> {
  const steps = options.steps ?? 60
  const sim = new WholeSimulation(seed)
  let outcome = ''
  try {
    await sim.setUp()
    for (let i = 0; i < steps; i++) {
      sim.stepIndex = i
      await sim.step()
      await sim.clock.advance(sim.random.pick([0, 50, 200, 1000]))
      await sim.check()
    }
    sim.stepIndex = steps
    outcome = await sim.finish()
  } catch (err) {
    sim.violations.push(`the run threw: ${(err as Error).stack ?? String(err)}`)
  } finally {
    if (sim.cluster !== undefined) {
      await sim.advanceUntil(sim.coordination.close(), 60_000, 500)
      await closeMembers(sim, sim.group)
      await sim.closeCluster()
    }
  }
  return { seed, steps: sim.log, violations: sim.violations, stats: sim.stats, outcome }
}

/**
 * Violations that known bugs explain, with the bug each one is. A run with `SIM_STRICT=1`
 * (`npm run sim -- --strict`) counts them as failures too.
 */
export const KNOWN_WHOLE_ISSUES: readonly KnownIssue[] = [
  // None open. The topic deletion seeds (124, 195, 619, 713, 742, 865, 133) and seed 930 are
  // fixed: docs/reliability.md, "What the simulation found".
]

/** The violations no known issue explains (all of them with `strict`). */
export function unexplainedWhole(result: SimRun, strict = false): string[] {
  return unexplainedBy(result, KNOWN_WHOLE_ISSUES, strict)
}

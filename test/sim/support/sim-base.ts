/**
 * What every cluster simulation shares: a seed turned into a {@link Random}, a virtual-clock
 * cluster, the trace (one line a step), counters, violations, background work that the end
 * waits for, and the bounded ways to let virtual time pass. The simulations extend it
 * (`cluster-sim.ts`, `group-sim.ts`, `whole-cluster.sim.ts`); the faults they inject are in
 * `faults.ts`.
 */
import type { Broker } from '../../../src/broker/broker.js'
import type { BrokerConfig } from '../../../src/broker/config.js'
import { type Cluster, createCluster } from '../../../src/cluster.js'
import { VirtualClock } from '../../../src/common/clock.js'
import { createRandom, type Random } from '../../../src/common/random.js'
import { type TimerWatch, watchTimers } from './timers.js'

/** Let promise chains and in-process requests settle without moving the clock. */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

/** The code of an error (`LogkeeperError.code`), or its text. */
export function codeOf(err: unknown): string {
  return (err as { code?: string } | undefined)?.code ?? String(err)
}

/** The shared state and helpers of a seeded cluster simulation. */
export abstract class SimBase {
  /** Every random choice of the run comes from here (or a fork of it). */
  readonly random: Random
  /** The trace: `<step> <what happened>`, in order. */
  readonly log: string[] = []
  /** Broken invariants. */
  readonly violations: string[] = []
  /** Counts of what happened (`fault.<kind>` for injected faults, `checks` for invariant checks). */
  readonly stats: Record<string, number> = {}
  /** Background work (sends, admin calls, stops) that the end waits for. */
  readonly pending = new Set<Promise<unknown>>()
  /** The cluster, once {@link SimBase.startCluster} ran. */
  cluster!: Cluster<VirtualClock>
  /** The timers' watch (livelocks, where each pending timer was set). */
  timers: TimerWatch | undefined
  /** The step now running (the recovery runs as step `steps`). */
  stepIndex = 0

  constructor(readonly seed: number) {
    this.random = createRandom(seed)
  }

  /** Add a line to the trace (`SIM_TRACE=1` also prints it). */
  note(line: string): void {
    this.log.push(`${this.stepIndex} ${line}`)
    if (process.env.SIM_TRACE) console.error(`${this.stepIndex} ${line}`)
  }

  /** Count one (or `by`) of `name`. */
  count(name: string, by = 1): void {
    this.stats[name] = (this.stats[name] ?? 0) + by
  }

  /** Record a broken invariant, with the step and the virtual time it was seen at. */
  violate(line: string): void {
    this.violations.push(`${line} (step ${this.stepIndex}, t=${this.elapsedMs()})`)
  }

  /** Virtual milliseconds since the clock's default start (0 before the cluster starts). */
  elapsedMs(): number {
    return this.cluster ? this.cluster.clock.now() - VirtualClock.DEFAULT_START_MS : 0
  }

  /** The cluster's virtual clock. */
  get clock(): VirtualClock {
    return this.cluster.clock
  }

  /** The brokers running now. */
  liveBrokers(): Broker[] {
    return this.cluster.brokers.filter((b) => b.alive)
  }

  /** The brokers killed and not restarted. */
  deadBrokers(): Broker[] {
    return this.cluster.brokers.filter((b) => !b.alive)
  }

  /** Run `work` in the background, remembering it so the end can wait for it. */
  track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    )
    this.pending.add(tracked)
    void tracked.finally(() => this.pending.delete(tracked))
  }

  /** Called after every clock advance of {@link SimBase.advanceUntil} (a simulation's watch). */
  protected tick(): void {}

  /** Advance the clock in steps until `promise` settles or `limitMs` has passed. */
  async advanceUntil(promise: Promise<unknown>, limitMs: number, stepMs = 100): Promise<boolean> {
    let done = false
    void promise.then(
      () => (done = true),
      () => (done = true),
    )
    await settle()
    for (let t = 0; t < limitMs && !done; t += stepMs) {
      await this.clock.advance(stepMs)
      this.tick()
    }
    return done
  }

  /** Start the cluster of the run (seeded by the run's seed) and watch its timers. */
  async startCluster(
    brokers: number,
    config: Partial<BrokerConfig>,
    traceTimers = false,
  ): Promise<Cluster<VirtualClock>> {
    this.cluster = await createCluster({ brokers, clock: 'virtual', seed: this.seed, config })
    this.timers = watchTimers(this.cluster.clock, (v) => this.violate(v), traceTimers)
    return this.cluster
  }

  /** The number of partitions of `topic` as the cluster knows it now (0 when unknown). */
  partitionCount(topic: string): number {
    try {
      return this.cluster.topic(topic).partitions.length
    } catch {
      return 0
    }
  }

  /**
   * Close the cluster (bounded virtual time) and report the timers left behind, with where
   * they were set when the timers are traced. Returns how many were left.
   */
  async closeCluster(): Promise<number> {
    const closing = this.cluster.close()
    if (!(await this.advanceUntil(closing, 60_000, 500))) this.violate('close did not finish')
    const left = this.cluster.clock.pendingTimers
    if (left !== 0) {
      const where = this.timers?.origins().slice(0, 3).join(' ;; ') ?? ''
      this.violate(
        `[timers] ${left} timer(s) pending after close${where ? `, set at: ${where}` : ''}`,
      )
    }
    return left
  }
}

/**
 * Seeded random schedules of broker kills and restarts, cut links, leader changes and clock
 * jumps under acks=-1 and acks=1 produces, with min.insync.replicas=2 and clean elections
 * only. Invariants: live replicas agree on every record below both of their high watermarks,
 * and no record acknowledged with acks=-1 is lost. A failure names its seed; rerun one with
 * `SIM_SEED=<seed> npx vitest run test/broker/replica/simulation.test.ts`; run more seeds
 * with `SIM_RUNS=<n>`.
 */
import { describe, expect, it } from 'vitest'
import { type BrokerId, NO_LEADER } from '../../../src/broker/api.js'
import { createRandom, type Random } from '../../../src/common/random.js'
import { settle, TestCluster } from './harness.js'

const BROKERS = [0, 1, 2]
const STEPS = 80
const RUNS = Number(process.env.SIM_RUNS ?? 10)
const SEEDS = process.env.SIM_SEED
  ? [Number(process.env.SIM_SEED)]
  : Array.from({ length: RUNS }, (_, i) => i + 1)

class Simulation {
  readonly cluster = new TestCluster({
    topicConfig: { 'min.insync.replicas': 2 },
    config: { 'replica.lag.time.max.ms': 4000 },
  })
  /** `offset:value` of every acks=-1 success. */
  readonly acked: string[] = []
  readonly log: string[] = []
  #n = 0

  constructor(readonly random: Random) {}

  live(): BrokerId[] {
    return BROKERS.filter((id) => this.cluster.isUp(id))
  }

  produce(acks: -1 | 1): void {
    const leader = this.cluster.state().leader
    if (leader === NO_LEADER || !this.cluster.isUp(leader)) return
    const value = `v${this.#n++}`
    this.log.push(`produce ${value} acks=${acks} to ${leader}`)
    this.cluster.produce(leader, [value], { acks, timeoutMs: 5000 }).then(
      (r) => {
        if (acks === -1 && r.error === undefined) this.acked.push(`${r.baseOffset}:${value}`)
      },
      () => undefined,
    )
  }

  /** The controller's reaction to a dead broker: elect from the live ISR, shrink the ISR. */
  async kill(id: BrokerId): Promise<void> {
    this.log.push(`kill ${id}`)
    await this.cluster.kill(id)
    const s = this.cluster.state()
    const isr = s.isr.filter((r) => r !== id)
    const keptIsr = isr.length > 0 ? isr : s.isr
    if (s.leader === id) {
      const next = isr.find((r) => this.cluster.isUp(r)) ?? NO_LEADER
      await this.cluster.elect(next, keptIsr)
    } else if (isr.length !== s.isr.length) {
      await this.cluster.elect(s.leader, keptIsr)
    }
  }

  async restart(id: BrokerId): Promise<void> {
    this.log.push(`restart ${id}`)
    await this.cluster.restart(id)
    const s = this.cluster.state()
    if (s.leader === NO_LEADER && s.isr.includes(id)) await this.cluster.elect(id, s.isr)
  }

  async step(): Promise<void> {
    const r = this.random
    const c = this.cluster
    const roll = r.int(100)
    if (roll < 35) this.produce(-1)
    else if (roll < 50) this.produce(1)
    else if (roll < 58) {
      const live = this.live()
      if (live.length > 1) await this.kill(r.pick(live))
    } else if (roll < 68) {
      const dead = BROKERS.filter((id) => !c.isUp(id))
      if (dead.length > 0) await this.restart(r.pick(dead))
    } else if (roll < 75) {
      const [a, b] = r.shuffle(BROKERS)
      this.log.push(`cut ${a}-${b}`)
      c.transport.cut(a as BrokerId, b as BrokerId)
    } else if (roll < 82) {
      this.log.push('heal')
      c.transport.heal()
    } else if (roll < 87) {
      const s = c.state()
      const candidates = s.isr.filter((id) => id !== s.leader && c.isUp(id))
      if (candidates.length > 0) {
        const next = r.pick(candidates)
        this.log.push(`elect ${next}`)
        await c.elect(next)
      }
    } else {
      const ms = r.int(3000)
      this.log.push(`advance ${ms}`)
      await c.clock.advance(ms)
    }
    await settle(5)
  }

  /** Live replicas agree below both of their high watermarks. */
  async checkAgreement(): Promise<void> {
    const live = this.live()
    const hw = new Map<BrokerId, number>()
    for (const id of live) {
      hw.set(
        id,
        this.cluster.manager(id).replica({ topic: 'orders', partition: 0 })?.highWatermark ?? 0,
      )
    }
    for (const a of live) {
      for (const b of live) {
        if (a >= b) continue
        const until = Math.min(hw.get(a) ?? 0, hw.get(b) ?? 0)
        const ra = await this.cluster.records(a, until)
        const rb = await this.cluster.records(b, until)
        expect(ra, `brokers ${a} and ${b} below ${until}`).toEqual(rb)
      }
    }
  }

  async converge(): Promise<void> {
    const c = this.cluster
    c.transport.heal()
    for (const id of BROKERS) if (!c.isUp(id)) await this.restart(id)
    const s = c.state()
    if (s.leader === NO_LEADER) await c.elect(s.isr[0] as BrokerId, s.isr)
    for (let i = 0; i < 20; i++) await c.clock.advance(1000)
  }
}

describe('replication under faults (seeded)', () => {
  for (const seed of SEEDS) {
    it(`keeps replicas consistent and acks=-1 records (seed ${seed})`, async () => {
      const sim = new Simulation(createRandom(seed))
      try {
        await sim.cluster.createTopic(BROKERS)
        for (let i = 0; i < STEPS; i++) {
          await sim.step()
          await sim.checkAgreement()
        }
        await sim.converge()
        await sim.checkAgreement()
        const leader = sim.cluster.state().leader
        const records = new Set(await sim.cluster.records(leader))
        const lost = sim.acked.filter((r) => !records.has(r))
        expect(lost, 'acknowledged records lost').toEqual([])
        expect(sim.acked.length).toBeGreaterThan(0)
      } catch (err) {
        console.error(`simulation failed with seed ${seed}; steps:\n${sim.log.join('\n')}`)
        throw err
      } finally {
        await sim.cluster.shutdownAll()
      }
      expect(sim.cluster.clock.pendingTimers).toBe(0)
    })
  }
})

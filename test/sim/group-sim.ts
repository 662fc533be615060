/**
 * A seeded simulation of one consumer group under faults (issue 5): a seed becomes a
 * three-broker cluster under the virtual clock, a topic of 3..6 partitions (replication factor
 * 3) that an idempotent producer keeps filling with unique values, 2..4 consumers of one group
 * (each with a random assignor; at-least-once: autoCommit after processing), and a random
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
 * The same seed gives the same run, step for step and record for record.
 */
import type { Broker } from '../../src/broker/broker.js'
import type { GroupCoordinator } from '../../src/broker/group/group-coordinator.js'
import { OFFSETS_TOPIC } from '../../src/broker/group/partition-for.js'
import { decodeKey, decodeOffsetValue } from '../../src/broker/group/schemas.js'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { Timer, VirtualClock } from '../../src/common/clock.js'
import { createRandom, type Random } from '../../src/common/random.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import type { Producer } from '../../src/producer/producer.js'

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

const ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const
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
export interface GroupSimResult {
  readonly seed: number
  /** The schedule as it ran, one compact line a step (and the recovery's lines). */
  readonly steps: readonly string[]
  /** Broken invariants, empty when the run is good. */
  readonly violations: readonly string[]
  /** Counts of what happened. */
  readonly stats: Readonly<Record<string, number>>
  /** Every processing: `consumer/generation partition@offset=value`, in order. */
  readonly processed: readonly string[]
  /** Every acknowledged commit: `consumer/generation partition=offset`, in order. */
  readonly commits: readonly string[]
  /** `cluster.clock.pendingTimers` after close (with `close`). */
  readonly pendingTimersAfterClose: number | undefined
}

interface Member {
  readonly name: string
  readonly consumer: Consumer
  readonly assignor: string
  state: 'running' | 'stopped' | 'dead'
  generation: number
  /** Owned partitions: the last offset processed in this ownership. */
  readonly owned: Map<number, number>
}

interface Acked {
  readonly value: string
  partition: number
  offset: number
}

/** Let promise chains and in-process requests settle without moving the clock. */
async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

class GroupSimulation {
  readonly random: Random
  /** Handler delays draw from their own stream, so that the schedule does not depend on them. */
  readonly handlerRandom: Random
  readonly log: string[] = []
  readonly violations: string[] = []
  readonly stats: Record<string, number> = {}
  readonly pending = new Set<Promise<unknown>>()
  readonly members: Member[] = []
  readonly acked: Acked[] = []
  readonly processed: string[] = []
  readonly processedAt = new Map<string, string>()
  readonly commits: string[] = []
  /** The last acknowledged commit per partition (`seq`: its write's, see `written`). */
  readonly lastCommit = new Map<number, { offset: number; by: string; seq: number }>()
  /**
   * Every offset a coordinator wrote (or tried to write) to `__consumer_offsets`, in the order
   * of the writes, and whether the write succeeded. A failed write may still land.
   */
  readonly written: { seq: number; partition: number; offset: number; ok: boolean }[] = []
  #writes = 0
  /** The highest committed offset seen on a coordinator per partition. */
  readonly seenCommitted = new Map<number, number>()
  /** Per generation, who was assigned each partition. */
  readonly generations = new Map<number, Map<number, string>>()
  readonly patched = new WeakSet<GroupCoordinator>()
  readonly timerOrigins = new Map<Timer, string>()
  cluster!: Cluster<VirtualClock>
  producer!: Producer
  /** The assignor of every member (one group protocol per run). */
  assignor = 'range'
  partitions = 0
  #sent = 0
  #names = 0
  #step = 0

  constructor(
    readonly seed: number,
    readonly options: Required<GroupSimOptions>,
  ) {
    this.random = createRandom(seed)
    this.handlerRandom = this.random.fork('handlers')
  }

  note(line: string): void {
    this.log.push(`${this.#step} ${line}`)
    if (process.env.SIM_TRACE) console.error(`${this.#step} ${line}`)
  }

  count(name: string, by = 1): void {
    this.stats[name] = (this.stats[name] ?? 0) + by
  }

  violate(line: string): void {
    this.violations.push(`${line} (step ${this.#step}, t=${this.clockMs()})`)
  }

  clockMs(): number {
    return this.cluster ? this.cluster.clock.now() - 1_735_689_600_000 : 0
  }

  get clock(): VirtualClock {
    return this.cluster.clock
  }

  live(): Member[] {
    return this.members.filter((m) => m.state === 'running')
  }

  liveBrokers(): Broker[] {
    return this.cluster.brokers.filter((b) => b.alive)
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
      this.watchCoordinators()
    }
    return done
  }

  async setUp(): Promise<void> {
    const r = this.random
    this.partitions = r.intBetween(3, 6)
    this.assignor = r.pick(ASSIGNORS)
    this.cluster = await createCluster({
      brokers: 3,
      clock: 'virtual',
      seed: this.seed,
      config: GROUP_SIM_CONFIG,
    })
    this.traceTimers()
    await this.cluster.admin().createTopics({
      topics: [{ topic: TOPIC, numPartitions: this.partitions, replicationFactor: 3 }],
    })
    this.producer = this.cluster.producer({
      clientId: PRODUCER,
      idempotent: true,
      requestTimeoutMs: 10_000,
      deliveryTimeoutMs: 60_000,
    })
    // One awaited send first, so that later sends do not wait on the first metadata.
    await this.clock.runUntil(this.sendAwaited())
    const n = r.intBetween(2, 4)
    this.note(`start partitions=${this.partitions} consumers=${n} assignor=${this.assignor}`)
    for (let i = 0; i < n; i++) await this.addMember()
  }

  async sendAwaited(): Promise<void> {
    this.send(1)
    await Promise.all([...this.pending])
  }

  /** Send `n` unique values without waiting for them. */
  send(n: number): void {
    for (let i = 0; i < n; i++) {
      const value = `v${this.#sent++}`
      const key = `k${this.random.int(32)}`
      this.count('sent')
      this.track(
        this.producer.send({ topic: TOPIC, messages: [{ key, value }] }).then(
          (meta) => {
            const m = meta[0]
            this.acked.push({
              value,
              partition: m?.partition ?? -1,
              offset: Number(m?.baseOffset ?? -1),
            })
            this.count('acked')
          },
          () => this.count('send-failed'),
        ),
      )
    }
  }

  async addMember(): Promise<Member> {
    const r = this.random
    const name = `c${++this.#names}`
    const assignor = this.assignor
    const consumer = this.cluster.consumer({
      groupId: GROUP,
      clientId: name,
      partitionAssigners: [assignor],
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      metadataMaxAgeMs: r.pick([5000, 10_000, 30_000]),
      autoCommitIntervalMs: r.pick([500, 1000, 5000]),
    })
    const m: Member = {
      name,
      consumer,
      assignor,
      state: 'running',
      generation: -1,
      owned: new Map(),
    }
    this.members.push(m)
    this.watch(m)
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
    await consumer.run({ autoCommit: true, eachMessage: (p) => this.handle(m, p) })
    this.note(`join ${name}`)
    this.count('joins')
    return m
  }

  watch(m: Member): void {
    const c = m.consumer
    c.on('group.join', (e) => {
      m.generation = e.generationId
      this.count('group.join')
      let gen = this.generations.get(e.generationId)
      if (gen === undefined) {
        gen = new Map()
        this.generations.set(e.generationId, gen)
      }
      for (const p of e.memberAssignment[TOPIC] ?? []) {
        const other = gen.get(p)
        if (other !== undefined && other !== m.name) {
          this.violate(
            `[gen] generation ${e.generationId}: ${TOPIC}-${p} assigned to ${other} and ${m.name}`,
          )
        }
        gen.set(p, m.name)
      }
    })
    c.on('partitions.assigned', (e) => {
      for (const t of e.partitions) {
        if (t.topic !== TOPIC) continue
        if (m.owned.has(t.partition))
          this.violate(`[order] ${m.name} assigned ${t.partition} twice`)
        m.owned.set(t.partition, -1)
      }
    })
    const drop = (e: { partitions: readonly { topic: string; partition: number }[] }) => {
      for (const t of e.partitions) if (t.topic === TOPIC) m.owned.delete(t.partition)
    }
    c.on('partitions.revoked', drop)
    c.on('partitions.lost', drop)
    c.on('commit.offsets', (e) => {
      for (const t of e.topics) {
        if (t.topic !== TOPIC) continue
        const offset = Number(t.offset)
        const by = `${m.name}/${e.groupGenerationId}`
        this.commits.push(`${by} ${t.partition}=${offset}`)
        this.count('commits')
        const last = this.lastCommit.get(t.partition)
        if (last !== undefined && offset < last.offset) {
          this.violate(
            `[stale] commit of ${TOPIC}-${t.partition} went back: ${last.offset} (${last.by}) then ${offset} (${by})`,
          )
        }
        // Its write: the latest successful one of this offset (the acknowledgement follows it).
        let seq = -1
        for (const w of this.written)
          if (w.partition === t.partition && w.offset === offset && w.ok) seq = Math.max(seq, w.seq)
        this.lastCommit.set(t.partition, { offset, by, seq })
      }
    })
    c.on('stop', () => {
      if (m.state !== 'running') return
      m.state = 'stopped'
      this.note(`${m.name} stopped by itself`)
      this.violate(`[crash] ${m.name} stopped by itself`)
    })
    c.on('crash', (e) => {
      this.count('crashes')
      this.note(`${m.name} crashed: ${(e.error as { code?: string })?.code ?? String(e.error)}`)
    })
  }

  async handle(
    m: Member,
    p: { topic: string; partition: number; message: { offset: string; value: Buffer | null } },
  ): Promise<void> {
    const offset = Number(p.message.offset)
    const value = p.message.value?.toString() ?? ''
    const last = m.owned.get(p.partition)
    if (last === undefined) {
      this.violate(`[order] ${m.name} processed ${p.partition}@${offset} without owning it`)
    } else if (offset <= last) {
      this.violate(`[order] ${m.name} processed ${p.partition}@${offset} after ${last}`)
    }
    m.owned.set(p.partition, Math.max(last ?? -1, offset))
    const key = `${p.partition}@${offset}`
    const before = this.processedAt.get(key)
    if (before !== undefined && before !== value) {
      this.violate(`[alo] ${key} read as ${value}, earlier as ${before}`)
    }
    this.processedAt.set(key, value)
    this.processed.push(`${m.name}/${m.consumer.generationId} ${key}=${value}`)
    this.count('processed')
    const h = this.handlerRandom
    if (h.chance(0.05)) await this.clock.sleep(h.pick([10, 200, 2000]))
  }

  /** Remember where each pending timer was set (the report names those left after close). */
  traceTimers(): void {
    const clock = this.cluster.clock
    const set = clock.setTimeout.bind(clock)
    const clear = clock.clearTimeout.bind(clock)
    clock.setTimeout = (fn: () => unknown, ms: number) => {
      const timer = set(() => {
        this.timerOrigins.delete(timer)
        return fn()
      }, ms)
      const where = (new Error().stack ?? '')
        .split('\n')
        .filter((l) => l.includes('/src/') && !l.includes('/common/clock'))
        .slice(0, 4)
        .map((l) =>
          l
            .trim()
            .replace(/^at /, '')
            .replace(/\(.*\/src\//, '('),
        )
        .join(' < ')
      this.timerOrigins.set(timer, `${ms}ms ${where}`)
      return timer
    }
    clock.clearTimeout = (timer) => {
      if (timer !== undefined) this.timerOrigins.delete(timer)
      clear(timer)
    }
  }

  /** Wrap every new coordinator's OffsetCommit: a commit applied outside its generation is a violation. */
  watchCoordinators(): void {
    for (const b of this.cluster.brokers) {
      const gc = b.groupCoordinator
      if (gc === undefined || this.patched.has(gc)) continue
      this.patched.add(gc)
      const store = gc.store
      const append = store.append.bind(store)
      store.append = async (groupId, records) => {
        const mine: { seq: number; partition: number; offset: number; ok: boolean }[] = []
        if (groupId === GROUP) {
          for (const r of records) {
            if (!Buffer.isBuffer(r.key) || !Buffer.isBuffer(r.value)) continue
            const key = decodeKey(r.key)
            if (key.type !== 'offset' || key.topic !== TOPIC) continue
            const offset = decodeOffsetValue(r.value).offset
            mine.push({ seq: ++this.#writes, partition: key.partition, offset, ok: false })
          }
        }
        const res = await append(groupId, records)
        for (const w of mine) this.written.push({ ...w, ok: res.error === undefined })
        return res
      }
      const offsets = gc.offsets
      const commit = offsets.commit.bind(offsets)
      offsets.commit = async (req) => {
        const res = await commit(req)
        if (req.groupId !== GROUP) return res
        const group = gc.store.groups.get(GROUP)
        const applied = res.topics.some((t) => t.partitions.some((p) => p.error === undefined))
        // No group: the partition is being loaded again (the write is in the log it reads).
        if (group === undefined) return res
        if (applied && req.generationId >= 0 && group.generationId !== req.generationId) {
          this.violate(
            `[stale] broker ${b.id} applied a commit of generation ${req.generationId} (member ${req.memberId.slice(0, 6)}) while the group is in generation ${group.generationId} (${group.state}): ${res.topics
              .flatMap((t) =>
                t.partitions.map(
                  (p) =>
                    `${p.partition}=${req.topics.find((x) => x.topic === t.topic)?.partitions.find((x) => x.partition === p.partition)?.offset}`,
                ),
              )
              .join(',')}`,
          )
        }
        return res
      }
    }
  }

  /**
   * The committed offsets as the group's coordinator holds them now, if one serves it. Only
   * offsets whose record lies below the high watermark of the group's `__consumer_offsets`
   * partition count: a coordinator elected (or re-elected in a new epoch) loads its log up to
   * its end, as Kafka's `GroupMetadataManager` does, so it may hold offsets from a suffix the
   * ISR has not replicated (a commit that timed out). Those are not committed yet: a clean
   * election of an ISR member whose log ends at the high watermark loses them, legitimately.
   */
  checkCommittedNow(): void {
    for (const b of this.liveBrokers()) {
      const gc = b.groupCoordinator
      if (gc === undefined || !gc.store.owns(GROUP) || gc.store.isLoading(GROUP)) continue
      const group = gc.store.groups.get(GROUP)
      if (group === undefined) continue
      const hw = b.replicaHost?.replica({
        topic: OFFSETS_TOPIC,
        partition: gc.store.partitionOf(GROUP),
      })?.highWatermark
      if (hw === undefined) continue
      for (const o of group.offsets.values()) {
        if (o.topic !== TOPIC || o.logOffset >= hw) continue
        const seen = this.seenCommitted.get(o.partition) ?? -1
        if (o.offset < seen) {
          this.violate(
            `[stale] broker ${b.id} holds ${TOPIC}-${o.partition} committed at ${o.offset}, earlier ${seen}`,
          )
        }
        this.seenCommitted.set(o.partition, Math.max(seen, o.offset))
      }
    }
  }

  /** The broker serving the group now (leading its `__consumer_offsets` partition), if any. */
  coordinatorBroker(): Broker | undefined {
    return this.liveBrokers().find((b) => b.groupCoordinator?.store.owns(GROUP) === true)
  }

  stepAt(i: number): Promise<void> {
    this.#step = i
    return this.step()
  }

  async step(): Promise<void> {
    const r = this.random
    const c = this.cluster
    const roll = r.int(100)
    if (roll < 25) {
      const n = r.intBetween(1, 6)
      this.note(`send ${n}`)
      this.send(n)
    } else if (roll < 31) {
      if (this.live().length >= 4) return this.note('join skipped')
      await this.addMember()
    } else if (roll < 35) {
      const live = this.live()
      if (live.length <= 1) return this.note('stop skipped')
      const m = r.pick(live)
      m.state = 'stopped'
      this.note(`stop ${m.name}`)
      this.count('stops')
      const stopping = m.consumer.disconnect()
      this.track(stopping)
      if (r.chance(0.5)) await this.advanceUntil(stopping, 30_000)
    } else if (roll < 40) {
      const live = this.live()
      if (live.length <= 1) return this.note('die skipped')
      const m = r.pick(live)
      m.state = 'dead'
      this.note(`die ${m.name}`)
      this.count('deaths')
      c.network.isolate(m.name)
    } else if (roll < 46) {
      const live = this.liveBrokers()
      if (live.length <= 1) return this.note('kill skipped')
      const b = r.pick(live)
      this.note(`kill ${b.id}`)
      b.kill()
      this.count('kills')
    } else if (roll < 51) {
      const b = this.coordinatorBroker()
      if (b === undefined || this.liveBrokers().length <= 1)
        return this.note('kill-coordinator skipped')
      this.note(`kill coordinator ${b.id}`)
      b.kill()
      this.count('kills')
    } else if (roll < 58) {
      const dead = c.brokers.filter((b) => !b.alive)
      if (dead.length === 0) return this.note('restart skipped')
      const b = r.pick(dead)
      this.note(`restart ${b.id}`)
      if (!(await this.advanceUntil(b.restart(), 30_000))) {
        this.violate(`broker ${b.id} did not restart within 30 s`)
      }
      this.count('restarts')
    } else if (roll < 63) {
      const ids = c.brokers.map((b) => b.id)
      const a = r.pick(ids)
      const b = r.pick(ids.filter((x) => x !== a))
      this.note(`cut ${a}-${b}`)
      c.network.cut(a, b)
      this.count('cuts')
    } else if (roll < 69) {
      const names = [...this.live().map((m) => m.name), PRODUCER]
      const who = r.pick(names)
      const b = r.pick(c.brokers).id
      this.note(`cut ${who}-${b}`)
      c.network.cut(who, b)
      this.count('cuts')
    } else if (roll < 75) {
      this.note('heal')
      this.heal()
    } else if (roll < 78) {
      const now = Math.max(this.partitions, this.partitionCount())
      if (now >= 8) return this.note('add-partition skipped')
      const count = now + 1
      this.note(`partitions -> ${count}`)
      this.track(
        c
          .admin()
          .createPartitions({ topicPartitions: [{ topic: TOPIC, count }] })
          .then(
            () => {
              this.partitions = Math.max(this.partitions, count)
            },
            (err: unknown) =>
              this.note(`partitions -> ${count} failed: ${(err as { code?: string }).code}`),
          ),
      )
    } else {
      const ms = r.pick(ADVANCES)
      this.note(`advance ${ms}`)
      await this.clock.advance(ms)
    }
  }

  /** Heal every link, but leave the dead consumers cut off. */
  heal(): void {
    const net = this.cluster.network
    net.heal()
    for (const m of this.members) if (m.state === 'dead') net.isolate(m.name)
  }

  partitionCount(): number {
    try {
      return this.cluster.topic(TOPIC).partitions.length
    } catch {
      return 0
    }
  }

  /** The acknowledged records below the high watermark that no one has processed yet. */
  unprocessed(): Acked[] {
    const view = this.cluster.topic(TOPIC)
    const hw = new Map(view.partitions.map((p) => [p.id, p.highWatermark]))
    return this.acked.filter(
      (a) =>
        a.offset < (hw.get(a.partition) ?? 0) &&
        !this.processedAt.has(`${a.partition}@${a.offset}`),
    )
  }

  /** Whether the live members share one generation and every partition, stable. */
  groupSettled(): boolean {
    const live = this.live()
    if (live.length === 0) return false
    const gen = live[0]?.consumer.generationId ?? -1
    if (gen < 0 || live.some((m) => m.consumer.generationId !== gen)) return false
    const owned = live.reduce((n, m) => n + m.consumer.assignment().length, 0)
    return owned === this.partitionCount()
  }

  /** Heal, restart, let every send settle and the live consumers catch up (bounded). */
  async recover(): Promise<void> {
    const c = this.cluster
    this.#step = this.options.steps
    this.note('recover: heal, restart dead brokers')
    this.heal()
    for (const b of c.brokers.filter((x) => !x.alive)) {
      if (!(await this.advanceUntil(b.restart(), 30_000))) {
        this.violate(`broker ${b.id} did not restart within 30 s (recovery)`)
      }
    }
    if (this.live().length === 0) await this.addMember()
    if (!(await this.advanceUntil(Promise.all([...this.pending]), 180_000, 500))) {
      this.violate(`${this.pending.size} sends or stops still pending after 180 s`)
    }
    let caughtUp = false
    for (let t = 0; t <= 180_000 && !caughtUp; t += 500) {
      this.watchCoordinators()
      this.checkCommittedNow()
      caughtUp = this.groupSettled() && this.unprocessed().length === 0
      if (!caughtUp) await this.clock.advance(500)
    }
    const left = this.unprocessed()
    this.note(
      `recovered: ${this.live()
        .map(
          (m) =>
            `${m.name}/g${m.consumer.generationId}[${m.consumer.assignment().map((t) => t.partition)}]`,
        )
        .join(' ')}, ${left.length} unprocessed`,
    )
    if (!this.groupSettled()) this.violate('[alo] the live consumers did not settle within 180 s')
    if (left.length > 0) {
      this.violate(
        `[alo] ${left.length} acknowledged record(s) below the high watermark never processed: ${left
          .slice(0, 8)
          .map((a) => `${a.value}=${a.partition}@${a.offset}`)
          .join(' ')}`,
      )
    }
  }

  /** Stop the live consumers (they commit), then OffsetFetch must equal the last acknowledged commits. */
  async checkFinal(): Promise<void> {
    for (const m of this.live()) {
      m.state = 'stopped'
      if (!(await this.advanceUntil(m.consumer.disconnect(), 60_000))) {
        this.violate(`${m.name} did not disconnect within 60 s`)
      }
    }
    this.checkCommittedNow()
    const fetching = this.cluster.admin().fetchOffsets({ groupId: GROUP, topics: [TOPIC] })
    let fetched: Awaited<typeof fetching> = []
    try {
      fetched = await this.clock.runUntil(fetching, 120_000)
    } catch (err) {
      this.violate(`[fetch] OffsetFetch failed: ${String(err)}`)
    }
    const got = new Map<number, number>()
    for (const t of fetched) for (const p of t.partitions) got.set(p.partition, Number(p.offset))
    const lines: string[] = []
    for (const [partition, offset] of got) {
      const last = this.lastCommit.get(partition)
      lines.push(`${partition}=${offset}`)
      const landed = this.written.some(
        (w) => w.partition === partition && w.offset === offset && w.seq > (last?.seq ?? -1),
      )
      if ((last?.offset ?? -1) !== offset && !landed) {
        this.violate(
          `[fetch] ${TOPIC}-${partition}: OffsetFetch says ${offset}, the last acknowledged commit ${last?.offset ?? 'none'} (${last?.by ?? ''})`,
        )
      }
    }
    this.note(`committed ${lines.join(' ')}`)
  }
}

/** Run the group simulation of `seed`. */
export async function runGroupSimulation(
  seed: number,
  options: GroupSimOptions = {},
): Promise<GroupSimResult> {
  const o: Required<GroupSimOptions> = { steps: 50, close: true, ...options }
  const sim = new GroupSimulation(seed, o)
  let pendingTimersAfterClose: number | undefined
  try {
    await sim.setUp()
    sim.watchCoordinators()
    for (let i = 0; i < o.steps; i++) {
      await sim.stepAt(i)
      // Time passes between steps, as it does for real consumers.
      await sim.clock.advance(sim.random.pick([0, 50, 200, 1000]))
      sim.watchCoordinators()
      sim.checkCommittedNow()
    }
    await sim.recover()
    await sim.checkFinal()
  } catch (err) {
    sim.violations.push(`the run threw: ${(err as Error).stack ?? String(err)}`)
  } finally {
    if (o.close && sim.cluster !== undefined) {
      // Every consumer first, on its own (the dead ones too): one that cannot disconnect is named.
      for (const m of sim.members) {
        const started = sim.clock.now()
        if (!(await sim.advanceUntil(m.consumer.disconnect(), 600_000, 500))) {
          sim.violations.push(`[close] ${m.name} (${m.state}) did not disconnect within 600 s`)
          if (process.env.SIM_DEBUG)
            console.error(
              [...sim.timerOrigins.values()].filter((t) => !t.includes('Periodic')).join('\n'),
            )
        } else if (sim.clock.now() - started > 30_000) {
          sim.note(`${m.name} (${m.state}) took ${sim.clock.now() - started} ms to disconnect`)
          sim.count('slow-disconnects')
          if (process.env.SIM_SLOW_STOP)
            sim.violations.push(
              `[close] ${m.name} (${m.state}) took ${sim.clock.now() - started} ms to disconnect`,
            )
        }
      }
      const closing = sim.cluster.close()
      if (!(await sim.advanceUntil(closing, 60_000, 500))) {
        sim.violations.push('close did not finish')
      }
      pendingTimersAfterClose = sim.cluster.clock.pendingTimers
      if (pendingTimersAfterClose !== 0) {
        const where = [...sim.timerOrigins.values()].slice(0, 3).join(' ;; ')
        sim.violations.push(
          `[timers] ${pendingTimersAfterClose} timer(s) pending after close, set at: ${where}`,
        )
      }
    }
  }
  return {
    seed,
    steps: sim.log,
    violations: sim.violations,
    stats: sim.stats,
    processed: sim.processed,
    commits: sim.commits,
    pendingTimersAfterClose,
  }
}

/** A failure report: the seed, the broken invariants, the schedule and a replay command. */
export function groupReport(result: GroupSimResult, file: string): string {
  return [
    `seed ${result.seed}: ${result.violations.length} invariant(s) broken`,
    ...result.violations.slice(0, 20).map((v) => `  ${v}`),
    `steps: ${result.steps.join(' | ')}`,
    `stats: ${JSON.stringify(result.stats)}`,
    `replay: SIM_SEED=${result.seed} npx vitest run ${file}`,
  ].join('\n')
}

/**
 * Violations that known bugs explain, with the bug each one is. A run with `SIM_STRICT=1`
 * counts them as failures too.
 */
export const KNOWN_GROUP_ISSUES: readonly { readonly match: RegExp; readonly issue: string }[] = [
  // None now: both bugs the simulation found are fixed; their seeds are regression tests.
]

/** The violations no known issue explains (all of them with `strict`). */
export function unexplainedGroup(result: GroupSimResult, strict = false): string[] {
  if (strict) return [...result.violations]
  return result.violations.filter((v) => !KNOWN_GROUP_ISSUES.some((k) => k.match.test(v)))
}

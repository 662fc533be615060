/**
 * The consumer-group workload of a simulation: an idempotent producer filling one topic with
 * unique values, and members of one group (at-least-once: autoCommit after processing) whose
 * events are checked as they come: [gen] no partition assigned twice in one generation;
 * [order] a member sees a partition's offsets in increasing order while it owns it, and only
 * the partitions it owns; [alo] an offset always holds the same value; [stale] acknowledged
 * commits never go backwards. The coordinators' side of the commits is watched in
 * `offsets-watch.ts`.
 */
import type { Random } from '../../../src/common/random.js'
import type { Consumer } from '../../../src/consumer/consumer.js'
import type { Producer } from '../../../src/producer/producer.js'
import { codeOf, type SimBase } from '../support/sim-base.js'

/** The assignors a run picks one of. */
export const ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const

/** One member of the group. */
export interface Member {
  readonly name: string
  readonly consumer: Consumer
  readonly assignor: string
  state: 'running' | 'stopped' | 'dead'
  generation: number
  /** Owned partitions: the last offset processed in this ownership. */
  readonly owned: Map<number, number>
}

/** An acknowledged send. */
export interface Acked {
  readonly value: string
  partition: number
  offset: number
}

/** An offset a coordinator wrote (or tried to) to `__consumer_offsets`; a failed write may land. */
export interface OffsetWrite {
  readonly seq: number
  readonly partition: number
  readonly offset: number
  readonly ok: boolean
}

type Message = { offset: string; value: Buffer | null }

/** The producer, the members and what they did. */
export class GroupWorkload {
  /** Handler delays draw from their own stream, so that the schedule does not depend on them. */
  readonly handlerRandom: Random
  readonly members: Member[] = []
  readonly acked: Acked[] = []
  readonly processed: string[] = []
  readonly processedAt = new Map<string, string>()
  readonly commits: string[] = []
  /** The last acknowledged commit per partition (`seq`: its write's, see `written`). */
  readonly lastCommit = new Map<number, { offset: number; by: string; seq: number }>()
  /** Every offset write of the group, in order (see `offsets-watch.ts`). */
  readonly written: OffsetWrite[] = []
  /** Per generation, who was assigned each partition. */
  readonly generations = new Map<number, Map<number, string>>()
  producer!: Producer
  /** The assignor of every member (one group protocol per run). */
  assignor: string = 'range'
  partitions = 0
  #sent = 0
  #names = 0

  constructor(
    readonly sim: SimBase,
    readonly topic: string,
    readonly group: string,
    readonly random: Random,
    readonly producerId: string,
    readonly prefix = 'c',
  ) {
    this.handlerRandom = random.fork('handlers')
  }

  /** The members not stopped or dead. */
  live(): Member[] {
    return this.members.filter((m) => m.state === 'running')
  }

  /** Create the topic (replication factor 3) and the producer; one awaited send. */
  async setUp(partitions: number): Promise<void> {
    this.partitions = partitions
    const c = this.sim.cluster
    await c.admin().createTopics({
      topics: [{ topic: this.topic, numPartitions: partitions, replicationFactor: 3 }],
    })
    this.producer = c.producer({
      clientId: this.producerId,
      idempotent: true,
      requestTimeoutMs: 10_000,
      deliveryTimeoutMs: 60_000,
    })
    // One awaited send first, so that later sends do not wait on the first metadata.
    this.send(1)
    await c.clock.runUntil(Promise.all([...this.sim.pending]))
  }

  /** Send `n` unique values without waiting for them. */
  send(n: number): void {
    for (let i = 0; i < n; i++) {
      const value = `v${this.#sent++}`
      const key = `k${this.random.int(32)}`
      this.sim.count('sent')
      const sending = this.producer.send({ topic: this.topic, messages: [{ key, value }] })
      this.sim.track(
        sending.then(
          (meta) => {
            const m = meta[0]
            const offset = Number(m?.baseOffset ?? -1)
            this.acked.push({ value, partition: m?.partition ?? -1, offset })
            this.sim.count('acked')
          },
          () => this.sim.count('send-failed'),
        ),
      )
    }
  }

  /** A new member, subscribed and running. */
  async addMember(): Promise<Member> {
    const r = this.random
    const name = `${this.prefix}${++this.#names}`
    const consumer = this.sim.cluster.consumer({
      groupId: this.group,
      clientId: name,
      partitionAssigners: [this.assignor],
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      metadataMaxAgeMs: r.pick([5000, 10_000, 30_000]),
      autoCommitIntervalMs: r.pick([500, 1000, 5000]),
    })
    const m: Member = {
      name,
      consumer,
      assignor: this.assignor,
      state: 'running',
      generation: -1,
      owned: new Map(),
    }
    this.members.push(m)
    this.#watch(m)
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true })
    await consumer.run({ autoCommit: true, eachMessage: (p) => this.#handle(m, p) })
    this.sim.note(`join ${name}`)
    this.sim.count('joins')
    return m
  }

  #watch(m: Member): void {
    const c = m.consumer
    c.on('group.join', (e) => this.#joined(m, e.generationId, e.memberAssignment[this.topic]))
    c.on('partitions.assigned', (e) => {
      for (const t of e.partitions) {
        if (t.topic !== this.topic) continue
        if (m.owned.has(t.partition))
          this.sim.violate(`[order] ${m.name} assigned ${t.partition} twice`)
        m.owned.set(t.partition, -1)
      }
    })
    const drop = (e: { partitions: readonly { topic: string; partition: number }[] }) => {
      for (const t of e.partitions) if (t.topic === this.topic) m.owned.delete(t.partition)
    }
    c.on('partitions.revoked', drop)
    c.on('partitions.lost', drop)
    c.on('commit.offsets', (e) => {
      for (const t of e.topics) {
        if (t.topic === this.topic) this.#committed(`${m.name}/${e.groupGenerationId}`, t)
      }
    })
    c.on('stop', () => {
      if (m.state !== 'running') return
      m.state = 'stopped'
      this.sim.note(`${m.name} stopped by itself`)
      this.sim.violate(`[crash] ${m.name} stopped by itself`)
    })
    c.on('crash', (e) => {
      this.sim.count('crashes')
      this.sim.note(`${m.name} crashed: ${codeOf(e.error)}`)
    })
  }

  /** [gen] within one generation no partition is assigned to two members. */
  #joined(m: Member, generation: number, partitions: readonly number[] | undefined): void {
    m.generation = generation
    this.sim.count('group.join')
    this.sim.count('checks')
    let gen = this.generations.get(generation)
    if (gen === undefined) {
      gen = new Map()
      this.generations.set(generation, gen)
    }
    for (const p of partitions ?? []) {
      const other = gen.get(p)
      if (other !== undefined && other !== m.name) {
        this.sim.violate(
          `[gen] generation ${generation}: ${this.topic}-${p} assigned to ${other} and ${m.name}`,
        )
      }
      gen.set(p, m.name)
    }
  }

  /** [stale] an acknowledged commit never goes back. */
  #committed(by: string, t: { partition: number; offset: string }): void {
    const offset = Number(t.offset)
    this.commits.push(`${by} ${t.partition}=${offset}`)
    this.sim.count('commits')
    const last = this.lastCommit.get(t.partition)
    if (last !== undefined && offset < last.offset) {
      this.sim.violate(
        `[stale] commit of ${this.topic}-${t.partition} went back: ${last.offset} (${last.by}) then ${offset} (${by})`,
      )
    }
    // Its write: the latest successful one of this offset (the acknowledgement follows it).
    let seq = -1
    for (const w of this.written) {
      if (w.partition === t.partition && w.offset === offset && w.ok) seq = Math.max(seq, w.seq)
    }
    this.lastCommit.set(t.partition, { offset, by, seq })
  }

  /** [order] and [alo] as each message is processed. */
  async #handle(m: Member, p: { partition: number; message: Message }): Promise<void> {
    const offset = Number(p.message.offset)
    const value = p.message.value?.toString() ?? ''
    const last = m.owned.get(p.partition)
    if (last === undefined) {
      this.sim.violate(`[order] ${m.name} processed ${p.partition}@${offset} without owning it`)
    } else if (offset <= last) {
      this.sim.violate(`[order] ${m.name} processed ${p.partition}@${offset} after ${last}`)
    }
    m.owned.set(p.partition, Math.max(last ?? -1, offset))
    const key = `${p.partition}@${offset}`
    const before = this.processedAt.get(key)
    if (before !== undefined && before !== value) {
      this.sim.violate(`[alo] ${key} read as ${value}, earlier as ${before}`)
    }
    this.processedAt.set(key, value)
    this.processed.push(`${m.name}/${m.consumer.generationId} ${key}=${value}`)
    this.sim.count('processed')
    const h = this.handlerRandom
    if (h.chance(0.05)) await this.sim.clock.sleep(h.pick([10, 200, 2000]))
  }

  /** The acknowledged records below the high watermark that no one has processed yet. */
  unprocessed(): Acked[] {
    const view = this.sim.cluster.topic(this.topic)
    const hw = new Map(view.partitions.map((p) => [p.id, p.highWatermark]))
    return this.acked.filter(
      (a) =>
        a.offset < (hw.get(a.partition) ?? 0) &&
        !this.processedAt.has(`${a.partition}@${a.offset}`),
    )
  }

  /** Whether the live members share one generation and every partition, stable. */
  settled(): boolean {
    const live = this.live()
    if (live.length === 0) return false
    const gen = live[0]?.consumer.generationId ?? -1
    if (gen < 0 || live.some((m) => m.consumer.generationId !== gen)) return false
    const owned = live.reduce((n, m) => n + m.consumer.assignment().length, 0)
    return owned === this.sim.partitionCount(this.topic)
  }

  /** `name/gGEN[partitions]` of every live member. */
  describe(): string {
    return this.live()
      .map(
        (m) =>
          `${m.name}/g${m.consumer.generationId}[${m.consumer.assignment().map((t) => t.partition)}]`,
      )
      .join(' ')
  }
}

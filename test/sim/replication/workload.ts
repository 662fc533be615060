/**
 * The replication workload of a simulation: producers of one topic (acks=all idempotent,
 * acks=all, acks=1) sending uniquely-valued records without awaiting them, every send
 * remembered with its outcome, and the checks of issue 4's invariants on the topic while the
 * run goes on (replicas agree below the high watermark, acknowledged acks=all records are in
 * their leader's log) and at the end (see `checks.ts`).
 */
import type { Cluster } from '../../../src/cluster.js'
import type { Random } from '../../../src/common/random.js'
import type { ProducerOptions } from '../../../src/producer/options.js'
import type { Producer } from '../../../src/producer/producer.js'
import { readReplica } from '../../support/cluster-reader.js'
import { codeOf, type SimBase } from '../support/sim-base.js'
import { checkFinalLogs, firstDifference } from './checks.js'

/** A producer's kind: acks=all idempotent, acks=all, acks=1. */
export type Kind = 'idem' | 'all' | 'one'

/** One send and what became of it. */
export interface Sent {
  readonly kind: Kind
  readonly value: string
  /** Per-producer send order. */
  readonly seq: number
  status: 'pending' | 'acked' | 'failed'
  partition?: number
  offset?: number
  error?: string
}

/** The workload's producers and their names on the network. */
export const PRODUCERS: readonly { kind: Kind; clientId: string }[] = [
  { kind: 'idem', clientId: 'p-idem' },
  { kind: 'all', clientId: 'p-all' },
  { kind: 'one', clientId: 'p-one' },
]

/** The producers, the sends and the checks of one topic. */
export class ReplicationWorkload {
  readonly sent: Sent[] = []
  readonly producers = new Map<Kind, Producer>()
  readonly #counters = new Map<Kind, number>()
  /** The partitions the topic has (as far as the workload knows). */
  partitions = 0
  /** Set once the topic is deleted: its checks stop applying. */
  deleted = false

  constructor(
    readonly sim: SimBase,
    readonly topic: string,
    readonly random: Random,
    readonly prefix = '',
    readonly producerOptions: ProducerOptions = {},
  ) {}

  /** The network names of the producers. */
  get clientIds(): string[] {
    return PRODUCERS.map((p) => `${this.prefix}${p.clientId}`)
  }

  /** Create the topic (replication factor 3) and the producers; one awaited send each. */
  async setUp(partitions: number, withClock = false): Promise<void> {
    const c = this.sim.cluster
    this.partitions = partitions
    await c.admin().createTopics({
      topics: [{ topic: this.topic, numPartitions: partitions, replicationFactor: 3 }],
    })
    const common = { requestTimeoutMs: 10_000, deliveryTimeoutMs: 60_000 }
    for (const { kind, clientId } of PRODUCERS) {
      const options: ProducerOptions =
        kind === 'idem' ? { idempotent: true } : { acks: kind === 'one' ? 1 : -1 }
      this.producers.set(
        kind,
        c.producer({
          clientId: `${this.prefix}${clientId}`,
          ...options,
          ...common,
          ...this.producerOptions,
        }),
      )
    }
    // One awaited send each first: a send made while the producer still fetches the topic's
    // metadata can land after later sends, which would hide the faults' own effects on order.
    // `withClock`: let virtual time pass if a warmup needs it (a retried metadata lookup).
    for (const [kind, producer] of this.producers) {
      const warmup = producer.send({ topic: this.topic, messages: [{ value: `warmup-${kind}` }] })
      await (withClock ? this.sim.clock.runUntil(warmup) : warmup)
    }
  }

  /** Send 1..4 records from randomly chosen producers (the idempotent and acks=all ones more often). */
  sendSome(): void {
    const n = this.random.intBetween(1, 4)
    const kinds: Kind[] = []
    for (let i = 0; i < n; i++) {
      kinds.push(this.random.pick<Kind>(['idem', 'idem', 'all', 'all', 'one']))
    }
    for (const k of kinds) this.send(k)
    this.sim.note(`send ${kinds.join(',')}`)
  }

  /** Send one unique value from the producer of `kind`, without waiting. */
  send(kind: Kind): void {
    const producer = this.producers.get(kind)
    if (producer === undefined) return
    const seq = this.#counters.get(kind) ?? 0
    this.#counters.set(kind, seq + 1)
    const value = `${kind}-${seq}`
    const key = `k${this.random.int(16)}`
    const entry: Sent = { kind, value, seq, status: 'pending' }
    this.sent.push(entry)
    this.sim.count(`sent.${kind}`)
    const sending = producer.send({ topic: this.topic, messages: [{ key, value }] }).then(
      (meta) => {
        const m = meta[0]
        entry.status = 'acked'
        entry.partition = m?.partition ?? -1
        entry.offset = Number(m?.baseOffset ?? -1)
        this.sim.count(`acked.${kind}`)
      },
      (err: unknown) => {
        entry.status = 'failed'
        entry.error = codeOf(err)
        this.sim.count(`failed.${kind}`)
      },
    )
    this.sim.track(sending)
  }

  /** The topic as the cluster sees it now, or undefined. */
  view(): ReturnType<Cluster['topic']> | undefined {
    try {
      return this.sim.cluster.topic(this.topic)
    } catch {
      return undefined
    }
  }

  /** Invariant 2, at any moment: live replicas agree with the leader below both high watermarks. */
  async checkAgreement(when: string): Promise<void> {
    const view = this.view()
    if (view === undefined || this.deleted) return
    this.sim.count('checks')
    for (const p of view.partitions) {
      const leader = this.sim.cluster.brokers[p.leader]
      const leaderInfo = leader?.replicaHost?.replica({ topic: this.topic, partition: p.id })
      if (!leader || !leaderInfo?.isLeader) continue
      for (const b of this.sim.liveBrokers()) {
        if (b === leader) continue
        const info = b.replicaHost?.replica({ topic: this.topic, partition: p.id })
        if (!info) continue
        const below = Math.min(leaderInfo.highWatermark, info.highWatermark)
        const mine = await readReplica(b, this.topic, p.id, below)
        const theirs = await readReplica(leader, this.topic, p.id, below)
        const diff = firstDifference(theirs ?? [], mine ?? [])
        if (diff !== undefined) {
          this.sim.violate(
            `[2] ${when}: broker ${b.id}'s copy of ${this.topic}-${p.id} differs from leader ${leader.id}'s below ${below}: ${diff}`,
          )
        }
      }
    }
  }

  /** Whether every partition has a leader, a full ISR, and every replica caught up. */
  fullyReplicated(): boolean {
    const view = this.view()
    if (view === undefined) return false
    return view.partitions.every((p) => {
      if (p.leader < 0 || p.isr.length !== p.replicas.length) return false
      return p.replicas.every((id) => {
        const info = this.sim.cluster.brokers[id]?.replicaHost?.replica({
          topic: this.topic,
          partition: p.id,
        })
        return (
          info !== undefined &&
          info.leader === p.leader &&
          info.logEndOffset === p.logEndOffset &&
          info.highWatermark === p.highWatermark
        )
      })
    })
  }

  /** Wait (bounded) for {@link ReplicationWorkload.fullyReplicated}; a violation if it never is. */
  async waitFullyReplicated(): Promise<void> {
    let healthy = false
    for (let t = 0; t <= 120_000 && !healthy; t += 500) {
      healthy = this.fullyReplicated()
      if (!healthy) await this.sim.clock.advance(500)
    }
    if (!healthy) {
      this.sim.violate(`not fully replicated after 120 s: ${this.describePartitions()}`)
    }
  }

  /** `partition:Lleader[isr]hwN` of every partition. */
  describePartitions(): string {
    try {
      return this.sim.cluster
        .topic(this.topic)
        .partitions.map((p) => `${p.id}:L${p.leader}[${p.isr.join(',')}]hw${p.highWatermark}`)
        .join(' ')
    } catch (err) {
      return String(err)
    }
  }

  /** The invariants at the end (see `checks.ts`). Returns the final logs as text. */
  checkFinal(): Promise<string> {
    this.sim.count('checks')
    return checkFinalLogs(this.sim, this.topic, this.sent)
  }

  /** Every send: `value=partition@offset`, `value!ERROR` or `value?` (unsettled), in send order. */
  sends(): string[] {
    return this.sent.map((s) =>
      s.status === 'acked'
        ? `${s.value}=${s.partition}@${s.offset}`
        : s.status === 'failed'
          ? `${s.value}!${s.error}`
          : `${s.value}?`,
    )
  }
}

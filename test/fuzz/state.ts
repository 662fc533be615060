/**
 * What "nothing changed" means for the fuzz suites: a digest of a cluster (every znode with
 * its Stat and data, every partition's log start, high watermark and log end, the committed
 * offsets of `__consumer_offsets` included) taken before and after a refused call, and a
 * fixture that runs each call through {@link attempt} and compares the digests.
 */
import { expect } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import { createCluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import { nodesOf } from '../coordination/tree-helpers.js'
import { attempt, type Guard, type Outcome } from './harness.js'

/** Every znode (path, Stat, data; sessions left out: clients come and go), a line each. */
export function treeDigest(cluster: Cluster): string[] {
  const { nodes, ...rest } = nodesOf(cluster.coordinator)
  const { sessions: _sessions, ...others } = rest
  return [...nodes.map((n) => JSON.stringify(n)), JSON.stringify(others)]
}

/** Every topic's partitions as `[logStart, highWatermark, logEnd]`, internal topics included. */
export function logDigest(cluster: Cluster): string[] {
  const names = new Set<string>()
  for (const b of cluster.brokers) if (b.alive) for (const t of b.cache.topicNames()) names.add(t)
  return [...names].sort().map((t) => {
    const parts = cluster.topic(t).partitions
    return JSON.stringify([
      t,
      parts.map((p) => [p.logStartOffset, p.highWatermark, p.logEndOffset]),
    ])
  })
}

/** The tree and the logs, a line per znode and per topic. */
export function clusterDigest(cluster: Cluster): string[] {
  return [...treeDigest(cluster), ...logDigest(cluster)]
}

/** The lines only in `before` (-) and only in `after` (+): what a call changed. */
export function changes(before: readonly string[], after: readonly string[]): string[] {
  const was = new Set(before)
  const is = new Set(after)
  return [
    ...before.filter((l) => !is.has(l)).map((l) => `- ${l}`),
    ...after.filter((l) => !was.has(l)).map((l) => `+ ${l}`),
  ]
}

/** Let in-process requests and promise chains settle (no clock time passes). */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

/** A virtual-clock cluster for fuzzing, and the judge of calls against it. */
export class FuzzCluster {
  /** The cluster under test. */
  readonly cluster: Cluster<VirtualClock>
  /** Extra state a suite adds to the digest (committed offsets, a client's view...). */
  extra: () => Promise<unknown> = async () => undefined

  private constructor(cluster: Cluster<VirtualClock>) {
    this.cluster = cluster
  }

  /** One broker, a virtual clock, no rebalance delay, 1-replica internal topics. */
  static async start(config: Record<string, unknown> = {}): Promise<FuzzCluster> {
    const cluster = await createCluster({
      brokers: 1,
      clock: 'virtual',
      seed: 7,
      config: {
        'group.initial.rebalance.delay.ms': 0,
        'offsets.topic.replication.factor': 1,
        'offsets.topic.num.partitions': 3,
        ...config,
      },
    })
    // The first group request creates __consumer_offsets (as in Kafka): do it before any digest.
    const admin = cluster.admin()
    await cluster.clock.runUntil(admin.describeGroups(['fz-warmup']))
    await admin.disconnect()
    return new FuzzCluster(cluster)
  }

  /** The guard of calls on this cluster. */
  get guard(): Guard {
    return { clock: this.cluster.clock }
  }

  async #digest(): Promise<string[]> {
    return [...clusterDigest(this.cluster), JSON.stringify(await this.extra())]
  }

  /**
   * Run `call` and judge it; when it fails (a coded error or the caller's own), the cluster
   * must be as it was. Returns the outcome. Exceptions, each for a reason of Kafka's: a call
   * of several independent `items` (the topics of an admin call) that fails on the broker side
   * for one item may have done the others (Kafka's per-topic results); a call that does work
   * before it can fail for a reason other than its arguments (`poll` joins the group, then finds
   * no offset with `autoOffsetReset: 'none'`) may keep that work (`effects`). An argument
   * refused as `INVALID_ARGUMENT` never changes anything.
   */
  async check(
    entry: string,
    call: () => unknown,
    args?: unknown,
    { items = 1, effects = false }: { items?: number; effects?: boolean } = {},
  ): Promise<Outcome> {
    await settle()
    if (process.env.FUZZ_TRACE) process.stderr.write(`${entry} ${show(args)}\n`)
    const before = await this.#digest()
    const outcome = await attempt(entry, call, this.guard)
    if (outcome.kind === 'ok') return outcome
    const excused = items > 1 || effects
    if (excused && outcome.kind === 'error' && outcome.error.code !== 'INVALID_ARGUMENT') {
      return outcome
    }
    await settle()
    const after = await this.#digest()
    const changed = changes(before, after)
    const why = outcome.kind === 'error' ? outcome.error.code : 'caller error'
    expect(
      changed,
      `${entry} failed (${why}) but changed the cluster; args: ${show(args)}`,
    ).toEqual([])
    return outcome
  }

  /** Close the cluster. */
  close(): Promise<void> {
    return this.cluster.close()
  }
}

/** A short, safe rendering of hostile arguments for failure messages. */
export function show(args: unknown): string {
  try {
    return JSON.stringify(args, function (this: Record<string, unknown>, k, v: unknown) {
      const raw = this[k]
      if (ArrayBuffer.isView(raw)) return `<${raw.constructor.name} of ${raw.byteLength} bytes>`
      if (typeof v === 'bigint') return `${v}n`
      if (typeof v === 'string' && v.length > 80) return `${v.slice(0, 80)}…(${v.length})`
      if (Array.isArray(v) && v.length > 10) return `<an array of ${v.length}>`
      return v
    })
  } catch {
    return String(Object.prototype.toString.call(args))
  }
}

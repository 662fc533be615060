/**
 * What the crash writer (writer.ts) promised, kept across its runs on one directory: every
 * record, znode, set and committed offset it printed as acknowledged before it was killed.
 */

/** The topic the writer produces to. */
export const CRASH_TOPIC = 'crash'
/** Its partitions. */
export const PARTITIONS = 3
/** The writer's consumer group. */
export const CRASH_GROUP = 'crash-group'
/** The parent of the writer's znodes. */
export const ZK_ROOT = '/crash'

/** The cluster settings of every open of a crash directory (the writer's and the checker's). */
export function clusterConfig(brokers: number): Record<string, number> {
  return {
    'group.initial.rebalance.delay.ms': 0,
    'offsets.topic.num.partitions': 2,
    'offsets.topic.replication.factor': brokers,
    'offsets.topic.segment.bytes': 4096,
    'min.insync.replicas': Math.min(2, brokers),
  }
}

/** One acknowledgement the writer printed. */
export type Ack =
  | { kind: 'record'; producer: string; partition: number; offset: number; value: string }
  | { kind: 'znode'; path: string; data: string }
  | { kind: 'set'; path: string; data: string; version: number }
  | { kind: 'commit'; partition: number; offset: number }

/** Every acknowledgement of every run so far. */
export class Ledger {
  /** Acknowledged records by partition, then offset: their values. */
  readonly records = new Map<number, Map<number, string>>()
  /** Acknowledged znodes (created, never changed since): their data. */
  readonly znodes = new Map<string, string>()
  /** The last acknowledged set of each znode set. */
  readonly sets = new Map<string, { data: string; version: number }>()
  /** The highest acknowledged committed offset by partition. */
  readonly commits = new Map<number, number>()
  /** Acknowledged commits by partition (each is covered by the highest). */
  readonly commitCounts = new Map<number, number>()
  /** Acknowledgements taken in (every line). */
  count = 0

  /** Take in one line the writer printed; a torn last line (the kill came mid-write) is ignored. */
  take(line: string): Ack | undefined {
    let ack: Ack
    try {
      ack = JSON.parse(line) as Ack
    } catch {
      return undefined
    }
    if (!KINDS.has(ack.kind)) return undefined
    this.count++
    if (ack.kind === 'record') this.#record(ack.partition, ack.offset, ack.value)
    else if (ack.kind === 'znode') this.#znode(ack.path, ack.data)
    else if (ack.kind === 'set') this.sets.set(ack.path, { data: ack.data, version: ack.version })
    else this.#commit(ack.partition, ack.offset)
    return ack
  }

  #record(partition: number, offset: number, value: string): void {
    const p = this.records.get(partition) ?? new Map<number, string>()
    this.records.set(partition, p)
    const before = p.get(offset)
    if (before !== undefined && before !== value) {
      throw new Error(`offset ${partition}/${offset} acknowledged twice: ${before} and ${value}`)
    }
    p.set(offset, value)
  }

  #commit(partition: number, offset: number): void {
    this.commits.set(partition, Math.max(offset, this.commits.get(partition) ?? 0))
    this.commitCounts.set(partition, (this.commitCounts.get(partition) ?? 0) + 1)
  }

  #znode(path: string, data: string): void {
    const before = this.znodes.get(path)
    if (before !== undefined && before !== data) {
      throw new Error(`znode ${path} acknowledged as created twice: ${before} and ${data}`)
    }
    this.znodes.set(path, data)
  }

  /** Forget the records of `partition` at or past `offset` (a test cut them off on purpose). */
  forgetFrom(partition: number, offset: number): void {
    for (const o of this.records.get(partition)?.keys() ?? []) {
      if (o >= offset) this.records.get(partition)?.delete(o)
    }
  }
}

const KINDS = new Set(['record', 'znode', 'set', 'commit'])

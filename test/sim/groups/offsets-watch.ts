/**
 * The group coordinators' side of a group's commits. Every coordinator that appears is
 * wrapped: each offset it writes to `__consumer_offsets` is recorded in order with whether the
 * write succeeded (a failed write may still land, as a produce with acks=-1 may), and a commit
 * it applies that was not made in the group's generation when it arrived is a [stale]
 * violation (the generation may move while the append waits, as in Kafka). The offsets a
 * coordinator holds below the high watermark must never go backwards ([stale] again), except
 * past a commit whose write failed yet landed (see {@link OffsetsWatch.checkCommittedNow}).
 */
import type { Broker } from '../../../src/broker/broker.js'
import type { GroupCoordinator } from '../../../src/broker/group/group-coordinator.js'
import { OFFSETS_TOPIC } from '../../../src/broker/group/partition-for.js'
import { decodeKey, decodeOffsetValue } from '../../../src/broker/group/schemas.js'
import type { GroupWorkload, OffsetWrite } from './workload.js'

type CommitRequest = Parameters<GroupCoordinator['offsets']['commit']>[0]
type CommitResponse = Awaited<ReturnType<GroupCoordinator['offsets']['commit']>>

/** The highest committed offset seen held for a partition, and the record that held it. */
interface Seen {
  readonly offset: number
  /** Its record's offset in the group's `__consumer_offsets` partition. */
  readonly logOffset: number
}

/** Watches the coordinators of one group. */
export class OffsetsWatch {
  readonly #patched = new WeakSet<GroupCoordinator>()
  /** The highest committed offset seen on a coordinator per partition. */
  readonly #seen = new Map<number, Seen>()
  /** The `__consumer_offsets` offsets of the group's records whose append was acknowledged. */
  readonly #ackedAt = new Set<number>()
  #writes = 0

  constructor(readonly w: GroupWorkload) {}

  /** Wrap every coordinator not wrapped yet. */
  watch(): void {
    for (const b of this.w.sim.cluster.brokers) {
      const gc = b.groupCoordinator
      if (gc === undefined || this.#patched.has(gc)) continue
      this.#patched.add(gc)
      this.#watchWrites(gc)
      this.#watchCommits(b, gc)
    }
  }

  #watchWrites(gc: GroupCoordinator): void {
    const { group, topic, written } = this.w
    const store = gc.store
    const append = store.append.bind(store)
    store.append = async (groupId, records) => {
      const mine: OffsetWrite[] = []
      if (groupId === group) {
        for (const r of records) {
          if (!Buffer.isBuffer(r.key) || !Buffer.isBuffer(r.value)) continue
          const key = decodeKey(r.key)
          if (key.type !== 'offset' || key.topic !== topic) continue
          const offset = decodeOffsetValue(r.value).offset
          mine.push({ seq: ++this.#writes, partition: key.partition, offset, ok: false })
        }
      }
      const res = await append(groupId, records)
      for (const x of mine) written.push({ ...x, ok: res.error === undefined })
      if (groupId === group && res.error === undefined) {
        for (let i = 0; i < records.length; i++) this.#ackedAt.add(res.baseOffset + i)
      }
      return res
    }
  }

  #watchCommits(b: Broker, gc: GroupCoordinator): void {
    const offsets = gc.offsets
    const commit = offsets.commit.bind(offsets)
    offsets.commit = async (req) => {
      // The coordinator checks the generation synchronously, before its append waits for the
      // ISR; the generation may move during that wait, and the commit is then still applied
      // (Kafka's putCacheCallback applies an appended offset whatever the generation is now,
      // and a reload of the log would apply it anyway). So the generation that counts is the
      // one when the commit arrived.
      const arrivedIn = gc.store.groups.get(req.groupId)?.generationId
      const res = await commit(req)
      if (req.groupId === this.w.group) this.#checkApplied(b, gc, req, res, arrivedIn)
      return res
    }
  }

  /**
   * [stale] a commit is applied only if it was made in the generation the group was in when
   * the commit arrived (`arrivedIn`; undefined when the group did not exist yet).
   */
  #checkApplied(
    b: Broker,
    gc: GroupCoordinator,
    req: CommitRequest,
    res: CommitResponse,
    arrivedIn: number | undefined,
  ): void {
    const group = gc.store.groups.get(this.w.group)
    const applied = res.topics.some((t) => t.partitions.some((p) => p.error === undefined))
    // No group: the partition is being loaded again (the write is in the log it reads).
    if (group === undefined) return
    this.w.sim.count('checks')
    if (!applied || req.generationId < 0 || (arrivedIn ?? 0) === req.generationId) return
    const offsets = res.topics.flatMap((t) =>
      t.partitions.map((p) => {
        const asked = req.topics.find((x) => x.topic === t.topic)
        return `${p.partition}=${asked?.partitions.find((x) => x.partition === p.partition)?.offset}`
      }),
    )
    this.w.sim.violate(
      `[stale] broker ${b.id} applied a commit of generation ${req.generationId} (member ${req.memberId.slice(0, 6)}) that arrived in generation ${arrivedIn} (now ${group.generationId}, ${group.state}): ${offsets.join(',')}`,
    )
  }

  /**
   * The committed offsets as the group's coordinator holds them now must never go backwards.
   * Only offsets whose record lies below the high watermark of the group's `__consumer_offsets`
   * partition count: a coordinator elected (or re-elected in a new epoch) loads its log up to
   * its end, as Kafka's `GroupMetadataManager` does, so it may hold offsets from a suffix the
   * ISR has not replicated (a commit that timed out). Those are not committed yet: a clean
   * election of an ISR member whose log ends at the high watermark loses them, legitimately.
   *
   * A commit whose append failed (REQUEST_TIMED_OUT: the ISR did not catch up in time) is not
   * applied to the coordinator's cache (Kafka's `failPendingOffsetWrite`), yet its record stays
   * in the leader's log and may be replicated later; a coordinator that reloads the log then
   * holds it. Meanwhile the group worked from the cache without it (a member that fetched no
   * offset resets and commits lower), so a later, lower record in the log legitimately
   * supersedes an offset whose write was never acknowledged (seed 1198 of the whole sim).
   */
  checkCommittedNow(): void {
    const { group: id, topic, sim } = this.w
    for (const b of sim.liveBrokers()) {
      const gc = b.groupCoordinator
      if (gc === undefined || !gc.store.owns(id) || gc.store.isLoading(id)) continue
      const group = gc.store.groups.get(id)
      const partition = gc.store.partitionOf(id)
      const hw = b.replicaHost?.replica({ topic: OFFSETS_TOPIC, partition })?.highWatermark
      if (group === undefined || hw === undefined) continue
      sim.count('checks')
      for (const o of group.offsets.values()) {
        if (o.topic !== topic || o.logOffset >= hw) continue
        this.#compare(b.id, o)
      }
    }
  }

  /** [stale] a held offset below the highest seen, unless it supersedes a failed write. */
  #compare(brokerId: number, o: { partition: number; offset: number; logOffset: number }): void {
    const seen = this.#seen.get(o.partition)
    if (seen !== undefined && o.offset < seen.offset) {
      if (!this.#supersedes(o.logOffset, seen)) {
        this.w.sim.violate(
          `[stale] broker ${brokerId} holds ${this.w.topic}-${o.partition} committed at ${o.offset}, earlier ${seen.offset}`,
        )
        return
      }
      this.w.sim.count('stale.superseded-failed-write')
    }
    this.#seen.set(o.partition, { offset: o.offset, logOffset: o.logOffset })
  }

  /** Whether a record at `logOffset` may replace `seen`: later, and `seen`'s write failed. */
  #supersedes(logOffset: number, seen: Seen): boolean {
    return logOffset > seen.logOffset && !this.#ackedAt.has(seen.logOffset)
  }

  /** The broker serving the group now (leading its `__consumer_offsets` partition), if any. */
  coordinatorBroker(): Broker | undefined {
    return this.w.sim.liveBrokers().find((b) => b.groupCoordinator?.store.owns(this.w.group))
  }
}

/**
 * What the consumer reads and where it stands (Kafka's `SubscriptionState`): the subscription
 * (topics and patterns, or a manual assignment), the assigned partitions, and for each its
 * position (the next offset to hand over), whether it is paused, and whether its position must
 * be found (committed offset or `autoOffsetReset`).
 */
import { InvalidArgumentError, type LogkeeperError } from '../common/errors.js'
import type { TopicPartition } from './types.js'

/** One assigned partition's state. */
export interface PartitionState {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The next offset to hand over, or undefined while it must be found. */
  position: number | undefined
  /** Whether fetching is paused. */
  paused: boolean
  /** Reset to this strategy rather than read the committed offset (out of range, or a seek to the ends). */
  reset: 'earliest' | 'latest' | undefined
  /** The last position committed (or read from the coordinator), to commit only what moved. */
  committed: number | undefined
  /** The leader's high watermark at the last fetch. */
  highWatermark: number
  /** Don't fetch before this clock time (after an error). */
  backoffUntil: number
  /** False once the partition is unassigned (a cheap check for whoever holds this object). */
  assigned: boolean
  /**
   * Why it cannot be read on from its position (data that cannot be read, an offset out of
   * range with `autoOffsetReset: 'none'`): not fetched, and thrown by polls, until a seek.
   */
  failure: LogkeeperError | undefined
}

/** A partition's map key. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}:${partition}`
}

/** Sort topic-partitions by topic, then partition. */
export function sortTps<T extends TopicPartition>(tps: readonly T[]): T[] {
  return [...tps].sort((a, b) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition,
  )
}

/** The subscription and the assigned partitions' positions. */
export class SubscriptionState {
  /** Subscribed topic names. */
  readonly topics = new Set<string>()
  /** Subscribed patterns. */
  readonly patterns: RegExp[] = []
  /** 'subscribe' (a group assigns), 'assign' (manual) or 'none' yet. */
  mode: 'none' | 'subscribe' | 'assign' = 'none'
  /** The topics the patterns matched at the last metadata refresh. */
  matched = new Set<string>()
  readonly #assigned = new Map<string, PartitionState>()
  readonly #pendingSeeks = new Map<string, number | 'earliest' | 'latest'>()
  readonly #pausedTopics = new Set<string>()
  readonly #pausedPartitions = new Set<string>()

  /** The topics the member subscribes to: names plus the pattern matches. */
  subscribedTopics(): string[] {
    return [...new Set([...this.topics, ...this.matched])].sort()
  }

  /** Whether `topic` is subscribed (by name or pattern) or assigned. */
  covers(topic: string): boolean {
    if (this.topics.has(topic) || this.patterns.some((p) => matches(p, topic))) return true
    for (const s of this.#assigned.values()) if (s.topic === topic) return true
    return false
  }

  /** The topics of `all` the patterns match (internal topics never). */
  match(all: readonly string[]): Set<string> {
    return new Set(
      all.filter((t) => !t.startsWith('__') && this.patterns.some((p) => matches(p, t))),
    )
  }

  /** The assigned partitions, sorted. */
  assigned(): TopicPartition[] {
    return sortTps(
      [...this.#assigned.values()].map(({ topic, partition }) => ({ topic, partition })),
    )
  }

  /** The state of every assigned partition. */
  states(): IterableIterator<PartitionState> {
    return this.#assigned.values()
  }

  /** One partition's state, if assigned. */
  get(topic: string, partition: number): PartitionState | undefined {
    return this.#assigned.get(tpKey(topic, partition))
  }

  /** Assign `tps` in addition (positions to be found; pending seeks applied). */
  add(tps: readonly TopicPartition[]): void {
    for (const { topic, partition } of tps) {
      const key = tpKey(topic, partition)
      if (this.#assigned.has(key)) continue
      const seek = this.#pendingSeeks.get(key)
      this.#pendingSeeks.delete(key)
      this.#assigned.set(key, {
        topic,
        partition,
        position: typeof seek === 'number' ? seek : undefined,
        paused: this.#pausedTopics.has(topic) || this.#pausedPartitions.has(key),
        reset: typeof seek === 'string' ? seek : undefined,
        committed: undefined,
        highWatermark: -1,
        backoffUntil: 0,
        assigned: true,
        failure: undefined,
      })
    }
  }

  /** Unassign `tps`. */
  remove(tps: readonly TopicPartition[]): void {
    for (const { topic, partition } of tps) {
      const key = tpKey(topic, partition)
      const s = this.#assigned.get(key)
      if (s !== undefined) s.assigned = false
      this.#assigned.delete(key)
    }
  }

  /** Unassign everything. */
  clear(): void {
    for (const s of this.#assigned.values()) s.assigned = false
    this.#assigned.clear()
  }

  /** Forget every position (they are read from the committed offsets again). */
  resetPositions(): void {
    for (const s of this.#assigned.values()) {
      s.position = undefined
      s.reset = undefined
      s.failure = undefined
    }
  }

  /** Seek: the position of an assigned partition, or a seek kept for when it is assigned. */
  seek(topic: string, partition: number, to: number | 'earliest' | 'latest'): void {
    if (!this.covers(topic)) {
      throw new InvalidArgumentError(`seek: topic ${topic} is not subscribed or assigned`)
    }
    const s = this.get(topic, partition)
    if (s === undefined) {
      this.#pendingSeeks.set(tpKey(topic, partition), to)
      return
    }
    s.position = typeof to === 'number' ? to : undefined
    s.reset = typeof to === 'number' ? undefined : to
    s.failure = undefined
    s.backoffUntil = 0
  }

  /** Pause or resume a topic's partitions (all of them, also those assigned later, when none are named). */
  setPaused(topic: string, partitions: readonly number[] | undefined, paused: boolean): void {
    if (partitions === undefined) {
      if (paused) this.#pausedTopics.add(topic)
      else this.#pausedTopics.delete(topic)
      for (const key of [...this.#pausedPartitions]) {
        if (key.startsWith(`${topic}:`) && !paused) this.#pausedPartitions.delete(key)
      }
      for (const s of this.#assigned.values()) if (s.topic === topic) s.paused = paused
      return
    }
    for (const p of partitions) {
      const key = tpKey(topic, p)
      if (paused) this.#pausedPartitions.add(key)
      else this.#pausedPartitions.delete(key)
      const s = this.#assigned.get(key)
      if (s) s.paused = paused || this.#pausedTopics.has(topic)
    }
  }

  /** The paused partitions that are assigned, as kafkajs's `paused()` lists them. */
  paused(): { topic: string; partitions: number[] }[] {
    const byTopic = new Map<string, number[]>()
    for (const s of this.#assigned.values()) {
      if (!s.paused) continue
      const list = byTopic.get(s.topic) ?? []
      list.push(s.partition)
      byTopic.set(s.topic, list)
    }
    return [...byTopic].map(([topic, partitions]) => ({
      topic,
      partitions: partitions.sort((a, b) => a - b),
    }))
  }

  /** The partitions that can be fetched now: assigned, positioned, not paused, failed or backing off. */
  fetchable(now: number): PartitionState[] {
    return [...this.#assigned.values()].filter(
      (s) =>
        s.position !== undefined && !s.paused && s.failure === undefined && s.backoffUntil <= now,
    )
  }

  /** The failure of the first assigned partition that has one and is not paused. */
  failure(): LogkeeperError | undefined {
    for (const s of this.#assigned.values()) if (s.failure && !s.paused) return s.failure
    return undefined
  }

  /** The partitions whose position must be found. */
  needingPosition(): PartitionState[] {
    return [...this.#assigned.values()].filter((s) => s.position === undefined)
  }

  /** The positions that moved since they were last committed. */
  uncommitted(): PartitionState[] {
    return [...this.#assigned.values()].filter(
      (s) => s.position !== undefined && s.position !== s.committed,
    )
  }
}

function matches(pattern: RegExp, topic: string): boolean {
  pattern.lastIndex = 0
  return pattern.test(topic)
}

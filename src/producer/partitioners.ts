/**
 * Partitioners: which partition a record without an explicit one goes to. As Kafka's Java
 * client: `default` hashes keys with murmur2 and keeps keyless records sticky (KIP-480, Kafka ≥
 * 2.4: one partition per topic until a batch for it is closed, then another at random among the
 * available ones); `round-robin` is `RoundRobinPartitioner`; `sticky` is
 * `UniformStickyPartitioner` (keys ignored). A custom function gets kafkajs's arguments. Every
 * random choice draws from the injected {@link Random}.
 */
import { InvalidArgumentError } from '../common/errors.js'
import type { Random } from '../common/random.js'
import { describe } from '../common/validate.js'
import type { Message } from './message.js'
import { murmur2, toPositive } from './murmur2.js'

/** What a custom partitioner is given. */
export interface PartitionerArgs {
  /** The topic. */
  readonly topic: string
  /** How many partitions it has. */
  readonly partitionCount: number
  /** The message as given to `send`. */
  readonly message: Message
  /** The partitions that have a leader now, ascending. */
  readonly availablePartitions: readonly number[]
}

/** A custom partitioner (kafkajs shape): returns a partition in [0, partitionCount). */
export type CustomPartitioner = (args: PartitionerArgs) => number

/** The `partitioner` option. */
export type PartitionerOption = 'default' | 'round-robin' | 'sticky' | CustomPartitioner

/** A topic as a partitioner sees it. */
export interface TopicView {
  /** Partitions in the topic. */
  readonly partitionCount: number
  /** Partitions with a leader, ascending. */
  readonly availablePartitions: readonly number[]
}

/** The producer's side of a partitioner. */
export interface Partitioner {
  /** The partition of one record (`key` already as bytes, or null). */
  partition(topic: string, key: Buffer | null, message: Message, view: TopicView): number
  /** A batch of `topic`/`partition` was closed: sticky partitioners move on. */
  onNewBatch(topic: string, partition: number, view: TopicView): void
}

/** Kafka's StickyPartitionCache: one partition per topic until told to move on. */
export class StickyPartitionCache {
  readonly #current = new Map<string, number>()

  /**
   * A cache drawing from `random`.
   *
   * @param random - the source of every choice
   */
  constructor(private readonly random: Random) {}

  /** The sticky partition of `topic`, choosing one when there is none yet. */
  partition(topic: string, view: TopicView): number {
    const p = this.#current.get(topic)
    if (p !== undefined && p < view.partitionCount) return p
    return this.next(topic, view, -1)
  }

  /** Move on from `previous` (only if it is still the sticky partition), and return the new one. */
  next(topic: string, view: TopicView, previous: number): number {
    const old = this.#current.get(topic)
    if (old !== undefined && old !== previous && old < view.partitionCount) return old
    const available = view.availablePartitions
    let chosen: number
    if (available.length === 0) chosen = this.random.int(view.partitionCount)
    else if (available.length === 1) chosen = available[0] as number
    else {
      do chosen = this.random.pick(available)
      while (chosen === old)
    }
    this.#current.set(topic, chosen)
    return chosen
  }
}

/** `toPositive(murmur2(key)) % partitionCount`: the Java client's partition of a key. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount
}

class DefaultPartitioner implements Partitioner {
  readonly #sticky: StickyPartitionCache
  constructor(random: Random) {
    this.#sticky = new StickyPartitionCache(random)
  }
  partition(topic: string, key: Buffer | null, _message: Message, view: TopicView): number {
    if (key !== null) return partitionForKey(key, view.partitionCount)
    return this.#sticky.partition(topic, view)
  }
  onNewBatch(topic: string, partition: number, view: TopicView): void {
    this.#sticky.next(topic, view, partition)
  }
}

class UniformStickyPartitioner implements Partitioner {
  readonly #sticky: StickyPartitionCache
  constructor(random: Random) {
    this.#sticky = new StickyPartitionCache(random)
  }
  partition(topic: string, _key: Buffer | null, _message: Message, view: TopicView): number {
    return this.#sticky.partition(topic, view)
  }
  onNewBatch(topic: string, partition: number, view: TopicView): void {
    this.#sticky.next(topic, view, partition)
  }
}

class RoundRobinPartitioner implements Partitioner {
  readonly #counters = new Map<string, number>()
  partition(topic: string, _key: Buffer | null, _message: Message, view: TopicView): number {
    const n = this.#counters.get(topic) ?? 0
    this.#counters.set(topic, (n + 1) | 0)
    const available = view.availablePartitions
    if (available.length > 0) return available[toPositive(n) % available.length] as number
    return toPositive(n) % view.partitionCount
  }
  onNewBatch(): void {}
}

class CustomPartitionerAdapter implements Partitioner {
  constructor(private readonly fn: CustomPartitioner) {}
  partition(topic: string, _key: Buffer | null, message: Message, view: TopicView): number {
    const p = this.fn({
      topic,
      partitionCount: view.partitionCount,
      message,
      availablePartitions: view.availablePartitions,
    })
    if (!Number.isInteger(p) || p < 0 || p >= view.partitionCount) {
      throw new InvalidArgumentError(
        `the partitioner returned ${describe(p)} for topic ${topic}, which has ${view.partitionCount} partitions`,
      )
    }
    return p
  }
  onNewBatch(): void {}
}

/** Build the partitioner an option names. Unknown names are `INVALID_ARGUMENT`. */
export function createPartitioner(option: PartitionerOption, random: Random): Partitioner {
  if (typeof option === 'function') return new CustomPartitionerAdapter(option)
  switch (option) {
    case 'default':
      return new DefaultPartitioner(random)
    case 'round-robin':
      return new RoundRobinPartitioner()
    case 'sticky':
      return new UniformStickyPartitioner(random)
    default:
      throw new InvalidArgumentError(
        `partitioner must be 'default', 'round-robin', 'sticky' or a function, got ${describe(option)}`,
      )
  }
}

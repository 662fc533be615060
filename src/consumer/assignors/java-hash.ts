/**
 * Java's `HashMap` iteration order, reproduced. Kafka's sticky assignors iterate hash maps and
 * hash sets in a few places where the order decides the answer (which of two members over
 * quota keeps its extra partition, which partition moves back along a movement already made),
 * so matching Kafka's assignment means iterating in the order the JVM would.
 *
 * The order of a `HashMap` built by successive puts from the default capacity (16, load factor
 * 0.75) is: by bucket (`(h ^ h >>> 16) & (capacity - 1)`), then by insertion within a bucket
 * (resizing keeps the relative order). A bucket that reaches 9 entries in a table under 64
 * doubles the table, as `treeifyBin` does. Past that (9 keys sharing the low 6+ bits of their
 * spread hash) Java turns the bucket into a tree whose iteration order this class does not
 * model; such inputs are adversarial, not ones real member ids or topics produce.
 */

import type { TopicPartition } from '../../storage/log-store.js'

/** Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in int32. */
export function javaStringHash(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

/** Kafka's `TopicPartition.hashCode()`: `31 * (31 + partition) + topic.hashCode()`, in int32. */
export function topicPartitionHash(tp: TopicPartition): number {
  return (Math.imul((31 + tp.partition) | 0, 31) + javaStringHash(tp.topic)) | 0
}

/** A unique string key for a partition (the partition number cannot contain the colon). */
export function tpKey(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`
}

const MIN_CAPACITY = 16
const TREEIFY_BIN_LENGTH = 9
const MIN_TREEIFY_CAPACITY = 64

/** A set that iterates in the order a `java.util.HashSet` with the same history would. */
export class JavaHashSet<T> {
  private bins: T[][] = Array.from({ length: MIN_CAPACITY }, () => [])
  private readonly keys = new Set<string>()

  /**
   * An empty set of default capacity.
   *
   * @param keyOf - a unique string per distinct element (Java's `equals`)
   * @param hashOf - the element's Java `hashCode()`
   */
  constructor(
    private readonly keyOf: (value: T) => string,
    private readonly hashOf: (value: T) => number,
  ) {}

  /** How many elements the set holds. */
  get size(): number {
    return this.keys.size
  }

  /** Whether the set holds an element equal to `value`. */
  has(value: T): boolean {
    return this.keys.has(this.keyOf(value))
  }

  /** Add `value` if absent (at the end of its bucket); returns whether it was added. */
  add(value: T): boolean {
    const key = this.keyOf(value)
    if (this.keys.has(key)) return false
    this.keys.add(key)
    const bin = this.bins[this.indexOf(value)]!
    bin.push(value)
    if (bin.length >= TREEIFY_BIN_LENGTH && this.bins.length < MIN_TREEIFY_CAPACITY) this.resize()
    if (this.keys.size > this.bins.length * 0.75) this.resize()
    return true
  }

  /** Remove the element equal to `value`; returns whether one was there. Capacity stays. */
  delete(value: T): boolean {
    const key = this.keyOf(value)
    if (!this.keys.delete(key)) return false
    const bin = this.bins[this.indexOf(value)]!
    bin.splice(
      bin.findIndex((v) => this.keyOf(v) === key),
      1,
    )
    return true
  }

  /** The first element in iteration order (Java's `iterator().next()`), if any. */
  first(): T | undefined {
    for (const bin of this.bins) if (bin.length > 0) return bin[0]
    return undefined
  }

  /** The elements in Java's iteration order. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const bin of this.bins) yield* bin
  }

  private indexOf(value: T): number {
    const h = this.hashOf(value)
    return (h ^ (h >>> 16)) & (this.bins.length - 1)
  }

  private resize(): void {
    const old = this.bins
    this.bins = Array.from({ length: old.length * 2 }, () => [])
    for (const bin of old) for (const v of bin) this.bins[this.indexOf(v)]!.push(v)
  }
}

/**
 * The keys in the order a `java.util.HashMap<String, ?>` iterates them after they were put in
 * the given order into a fresh map.
 */
export function javaHashOrder(keys: Iterable<string>): string[] {
  const set = new JavaHashSet<string>((s) => s, javaStringHash)
  for (const k of keys) set.add(k)
  return [...set]
}

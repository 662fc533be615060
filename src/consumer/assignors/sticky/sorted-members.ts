/**
 * Members ordered by how many partitions they hold, then by id (Kafka's `TreeSet` with its
 * `SubscriptionComparator`). As with the `TreeSet`, a member's count must not change while it is
 * in the set: remove it, change the count, add it back.
 */

import { compareStrings } from '../common.js'

/** A sorted set of member ids keyed by (count, id). */
export class SortedMembers {
  private readonly ids: string[] = []

  /**
   * An empty set.
   *
   * @param countOf - a member's current partition count
   */
  constructor(private readonly countOf: (member: string) => number) {}

  /** The members, fewest partitions first. */
  [Symbol.iterator](): IterableIterator<string> {
    return this.ids[Symbol.iterator]()
  }

  /** The member with the fewest partitions (ties: smallest id). */
  first(): string | undefined {
    return this.ids[0]
  }

  /** The member with the most partitions (ties: largest id). */
  last(): string | undefined {
    return this.ids[this.ids.length - 1]
  }

  /** Add a member at its place (no-op if present). */
  add(member: string): void {
    const i = this.search(member)
    if (this.ids[i] !== member) this.ids.splice(i, 0, member)
  }

  /** Remove a member (no-op if absent). */
  remove(member: string): void {
    const i = this.search(member)
    if (this.ids[i] === member) this.ids.splice(i, 1)
  }

  private search(member: string): number {
    const count = this.countOf(member)
    let lo = 0
    let hi = this.ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const other = this.ids[mid]!
      const c = this.countOf(other) - count || compareStrings(other, member)
      if (c < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

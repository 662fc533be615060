/**
 * A compact form of the times a node keeps (ctime, mtime). A time is a number of ms since the
 * epoch, about 1.8e12: too big for V8's small integers, so a node field holding it would cost
 * a separate 16-byte heap number per node and field. Stored instead as the difference from a
 * base (the first time the process stored), it is a small integer for ±24 days around that
 * base and lives inside the node object. Exact for every time: a time whose difference does
 * not round-trip (a fractional time far from the base) is kept whole in an {@link ExactTime},
 * and so is time 0 before the base is known (the nodes every tree starts with).
 */

/** A time kept as it is (its difference from the base would round). */
export class ExactTime {
  constructor(readonly ms: number) {}
}

/** A stored time: the difference from the base, or the time itself. */
export type StoredTime = number | ExactTime

let base: number | undefined

/** Time 0 (the nodes a tree starts with, a virtual clock at 0) before any other time. */
const ZERO = new ExactTime(0)

/** The stored form of `ms`. */
export function storeTime(ms: number): StoredTime {
  if (base === undefined) {
    if (ms === 0) return ZERO
    base = Number.isSafeInteger(ms) ? ms : 0
  }
  const d = ms - base
  // `| 0` makes V8 keep a small difference as a small integer rather than a heap number.
  if ((d | 0) === d) return d | 0
  return d + base === ms ? d : new ExactTime(ms)
}

/** The time a stored form stands for. */
export function loadTime(t: StoredTime): number {
  return typeof t === 'number' ? t + (base as number) : t.ms
}

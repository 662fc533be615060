/**
 * Lock predicates (Curator's `LockInternalsDriver`): given the sorted contenders and our own
 * node, do we hold the lock, and if not, which single node do we watch? Each waiter watches
 * one node, so a release wakes one waiter, not the herd.
 */

/** What a driver decides. */
export type LockDecision =
  | { readonly holds: true }
  | { readonly holds: false; readonly watch: string }

/** Decides ownership from the sorted children of the lock node. */
export interface LockDriver {
  /** The marker in contender names this driver sorts, e.g. `lock-`; undefined for all. */
  readonly marker: string | undefined
  /** Decide for `ours` (present in `sorted`). */
  decide(sorted: readonly string[], ours: string): LockDecision
}

/**
 * The first `maxLeases` contenders hold the lock; the others watch the contender
 * `maxLeases` places before them (their immediate predecessor for a mutex).
 */
export function standardDriver(maxLeases = 1, marker?: string): LockDriver {
  return {
    marker,
    decide(sorted, ours) {
      const index = sorted.indexOf(ours)
      if (index < maxLeases) return { holds: true }
      return { holds: false, watch: sorted[index - maxLeases]! }
    },
  }
}

/** Markers of the read-write lock's contenders. */
export const READ_MARKER = '__READ__'
/** See {@link READ_MARKER}. */
export const WRITE_MARKER = '__WRIT__'

/**
 * A reader holds the lock when no writer comes before it; otherwise it watches the nearest
 * writer before it (every reader behind that writer is let in together when it goes).
 */
export const readDriver: LockDriver = {
  marker: undefined,
  decide(sorted, ours) {
    const index = sorted.indexOf(ours)
    for (let i = index - 1; i >= 0; i--) {
      const name = sorted[i]!
      if (name.includes(WRITE_MARKER)) return { holds: false, watch: name }
    }
    return { holds: true }
  },
}

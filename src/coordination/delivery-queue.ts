/**
 * The order in which clients learn things. Every result, watch event and session-state change
 * goes through one FIFO queue, tagged with the number of txns applied when it was queued; an
 * entry is delivered once that many txns are durable. So nobody sees a result before the
 * events of the writes it reflects, a writer's notifications come before its reply, and in
 * disk mode nothing is told before it is in the txn log. In memory mode every txn is durable at
 * once and entries are delivered synchronously, right after the write that queued them.
 */

interface Entry {
  readonly seq: number
  readonly run: () => void
  /** Called instead of `run` when the entry can never be delivered (the store failed). */
  readonly fail: ((error: unknown) => void) | undefined
}

/** The FIFO of deliveries. */
export class DeliveryQueue {
  #entries: Entry[] = []
  #head = 0
  #draining = false
  /** Txns applied to the tree. */
  applied = 0
  /** Txns in the txn log (equal to `applied` in memory mode). */
  durable = 0

  /** Whether a result can be handed over right now (nothing queued, nothing waiting for disk). */
  get idle(): boolean {
    return this.#head === this.#entries.length && this.applied === this.durable
  }

  /** Entries waiting. */
  get size(): number {
    return this.#entries.length - this.#head
  }

  /** Queue `run` behind everything applied so far. */
  push(run: () => void, fail?: (error: unknown) => void): void {
    this.#entries.push({ seq: this.applied, run, fail })
  }

  /** Resolve with `value` once everything applied so far is delivered. */
  settle<T>(value: T): Promise<T> {
    if (this.idle) return Promise.resolve(value)
    return new Promise<T>((resolve, reject) => this.push(() => resolve(value), reject))
  }

  /** Reject with `error` once everything applied so far is delivered. */
  settleError<T>(error: unknown): Promise<T> {
    if (this.idle) return Promise.reject(error)
    return new Promise<T>((_, reject) => this.push(() => reject(error), reject))
  }

  /** Deliver every entry whose txns are durable. Re-entrant calls return at once. */
  drain(): void {
    if (this.#draining) return
    this.#draining = true
    try {
      while (this.#head < this.#entries.length) {
        const entry = this.#entries[this.#head] as Entry
        if (entry.seq > this.durable) break
        this.#head++
        entry.run()
      }
    } finally {
      this.#draining = false
      if (this.#head === this.#entries.length) {
        this.#entries = []
        this.#head = 0
      } else if (this.#head > 4096) {
        this.#entries = this.#entries.slice(this.#head)
        this.#head = 0
      }
    }
  }

  /** Fail every queued entry with `error` (the store failed: nothing more becomes durable). */
  failAll(error: unknown): void {
    const entries = this.#entries.slice(this.#head)
    this.#entries = []
    this.#head = 0
    for (const entry of entries) entry.fail?.(error)
  }
}

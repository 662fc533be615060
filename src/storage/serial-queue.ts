/**
 * Ordering for a store's asynchronous work. {@link SerialQueue} runs tasks one after another
 * (a failed task does not stop the next). {@link GroupCommit} lets concurrent flushes share one
 * write: a flush that arrives while another is writing waits for it and joins the next round,
 * so N callers cause at most two writes, and the round fsyncs if any of its callers asked.
 */

/** Runs tasks one at a time, in call order. */
export class SerialQueue {
  #last: Promise<unknown> = Promise.resolve()

  /** Run `task` after every task queued before it; resolves or rejects with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#last.then(task, task)
    this.#last = result.catch(() => undefined)
    return result
  }

  /** Resolves once every task queued so far has finished. */
  idle(): Promise<void> {
    return this.#last.then(() => undefined)
  }
}

interface Round {
  fsync: boolean
  promise: Promise<void>
}

/** Group commit of flushes on top of a {@link SerialQueue}. */
export class GroupCommit {
  #waiting: Round | undefined

  constructor(
    private readonly queue: SerialQueue,
    private readonly write: (fsync: boolean) => Promise<void>,
  ) {}

  /** Flush, joining the round that has not started yet if there is one. */
  flush(fsync: boolean): Promise<void> {
    const waiting = this.#waiting
    if (waiting) {
      waiting.fsync ||= fsync
      return waiting.promise
    }
    const round: Round = { fsync, promise: Promise.resolve() }
    this.#waiting = round
    round.promise = this.queue.run(() => {
      if (this.#waiting === round) this.#waiting = undefined
      return this.write(round.fsync)
    })
    return round.promise
  }
}

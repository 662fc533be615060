/**
 * One queue of a recipe's tasks: each runs after the ones before it, and a task queued for a
 * generation that has passed (the session was renewed, the recipe closed) is dropped unrun.
 * Background failures are reported, not thrown; a caller that awaits its own task can ask for
 * the failure back.
 */
export class SerialTasks {
  #tail: Promise<void> = Promise.resolve()

  /**
   * @param isCurrent - whether tasks of `generation` may still run
   * @param report - called with a background task's failure while its generation is current
   */
  constructor(
    private readonly isCurrent: (generation: number) => boolean,
    private readonly report: (error: unknown, generation: number) => void,
  ) {}

  /**
   * Queue `task` for `generation`. The promise resolves once it has run (or was dropped); with
   * `rethrow`, it rejects with the task's failure instead of reporting it.
   */
  run(generation: number, task: () => Promise<void>, rethrow = false): Promise<void> {
    let failure: unknown
    const step = async () => {
      if (!this.isCurrent(generation)) return
      try {
        await task()
      } catch (error) {
        if (rethrow) failure = error
        else this.report(error, generation)
      }
    }
    this.#tail = this.#tail.then(step)
    return this.#tail.then(() => {
      if (failure !== undefined) throw failure
    })
  }

  /** Resolves once every task queued so far has run. */
  idle(): Promise<void> {
    return this.#tail
  }
}

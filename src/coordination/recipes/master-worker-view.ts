/**
 * The master's view of the workers, kept per term (one term per `/master` node the process
 * leads under, named by its czxid): each read of `<root>/workers` leaves a child watch and
 * yields what changed since the last read of the same term. A new term starts from nothing,
 * so a new master's first report lists every worker as added.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient, Watcher } from '../types.js'
import { bootstrap, readWorkers, type WorkerInfo } from './master-worker-nodes.js'
import { joinPath } from './znode-paths.js'

/** The payload of `workers-changed`. */
export interface WorkersChanged {
  /** Every worker now, sorted by id. */
  readonly workers: readonly WorkerInfo[]
  /** Ids that joined since the last report (all of them in a new master's first report). */
  readonly added: readonly string[]
  /** Ids that left since the last report. */
  readonly removed: readonly string[]
}

/** The workers as last read in one term. */
export class WorkerView {
  #workers = new Map<string, WorkerInfo>()
  #term: number | undefined

  /** The workers as last read in `term`; empty when the view is of another term. */
  list(term: number | undefined): WorkerInfo[] {
    return term !== undefined && this.#term === term ? [...this.#workers.values()] : []
  }

  /** Forget the view (the term ended). */
  clear(): void {
    this.#workers = new Map()
    this.#term = undefined
  }

  /**
   * Read `<root>/workers` in `term`, leaving `watch`; `<root>/workers` is made again when
   * someone deleted it. Returns the change to report (always, for a term's first read), or
   * undefined when nothing changed or `current()` says the term ended meanwhile.
   */
  async read(
    client: CoordinatorClient,
    root: string,
    term: number,
    watch: Watcher,
    current: () => boolean,
  ): Promise<WorkersChanged | undefined> {
    const dir = joinPath(root, 'workers')
    const known = this.#term === term ? this.#workers : new Map<string, WorkerInfo>()
    let next: Map<string, WorkerInfo>
    try {
      next = await readWorkers(client, dir, known, watch)
    } catch (error) {
      if (!isLogkeeperError(error, 'NO_NODE')) throw error
      await bootstrap(client, root)
      next = await readWorkers(client, dir, known, watch)
    }
    if (!current()) return undefined
    const first = this.#term !== term
    const added = [...next.keys()].filter((id) => !known.has(id))
    const removed = [...known.keys()].filter((id) => !next.has(id))
    this.#workers = next
    this.#term = term
    if (!first && added.length === 0 && removed.length === 0) return undefined
    return { workers: [...next.values()], added, removed }
  }
}

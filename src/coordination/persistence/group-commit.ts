/**
 * Disk mode's write path: txns applied to the tree wait here until they are in the txn log.
 * Txns that arrive while a batch is being written share the next batch (group commit), so one
 * database write covers many concurrent writes. After each batch the delivery queue is told how
 * many txns are durable, and a snapshot is taken every `snapshotEveryTxns` txns (then older
 * snapshots and the txns they cover are purged, keeping two snapshots).
 */
import type { DataTree } from '../data-tree.js'
import type { DeliveryQueue } from '../delivery-queue.js'
import type { Txn } from '../txn.js'
import { takeSnapshot } from './snapshot.js'
import type { SnapshotStore } from './snapshot-store.js'
import type { TxnLog } from './txn-log.js'

/** Snapshots kept; the txns after the oldest are kept too. */
const SNAPSHOTS_KEPT = 2

/** Batches txns into the log and reports durability to the delivery queue. */
export class GroupCommit {
  readonly #log: TxnLog
  readonly #snapshots: SnapshotStore
  readonly #queue: DeliveryQueue
  readonly #tree: DataTree
  readonly #snapshotEvery: number
  readonly #onFailure: (error: unknown) => void
  #pending: Txn[] = []
  #running: Promise<void> | undefined
  #sinceSnapshot = 0

  constructor(
    log: TxnLog,
    snapshots: SnapshotStore,
    queue: DeliveryQueue,
    tree: DataTree,
    snapshotEveryTxns: number,
    onFailure: (error: unknown) => void,
  ) {
    this.#log = log
    this.#snapshots = snapshots
    this.#queue = queue
    this.#tree = tree
    this.#snapshotEvery = snapshotEveryTxns
    this.#onFailure = onFailure
  }

  /** Queue an applied txn for the log. */
  add(txn: Txn): void {
    this.#pending.push(txn)
    if (this.#running === undefined) this.#running = this.#run()
  }

  /** Resolves once every txn added so far is in the log (or the log failed). */
  async flushed(): Promise<void> {
    while (this.#running !== undefined) await this.#running
  }

  async #run(): Promise<void> {
    await Promise.resolve()
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending
        this.#pending = []
        await this.#log.append(batch)
        this.#queue.durable += batch.length
        this.#queue.drain()
        this.#sinceSnapshot += batch.length
        if (this.#sinceSnapshot >= this.#snapshotEvery) await this.#snapshot()
      }
    } catch (error) {
      this.#pending = []
      this.#onFailure(error)
    } finally {
      this.#running = undefined
    }
  }

  async #snapshot(): Promise<void> {
    this.#sinceSnapshot = 0
    await this.#snapshots.save(takeSnapshot(this.#tree))
    const zxids = await this.#snapshots.list()
    if (zxids.length <= SNAPSHOTS_KEPT) return
    const old = zxids.slice(0, zxids.length - SNAPSHOTS_KEPT)
    for (const zxid of old) await this.#snapshots.remove(zxid)
    const oldestKept = zxids[zxids.length - SNAPSHOTS_KEPT] as number
    await this.#log.purge(oldestKept)
  }
}

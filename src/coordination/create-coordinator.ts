/**
 * The factory: a coordinator in memory, or on an abstract-level database. On a database the
 * newest snapshot is loaded and the later txns replayed; the previous process's sessions are
 * restored and, since no client can resume them, expire after their timeout, taking their
 * ephemerals, as after a ZooKeeper restart.
 */
import { InProcessCoordinator } from './coordinator.js'
import { DataTree } from './data-tree.js'
import { type CoordinatorOptions, resolveOptions } from './options.js'
import { GroupCommit } from './persistence/group-commit.js'
import { restore } from './persistence/restore.js'
import { LevelSnapshotStore } from './persistence/snapshot-store.js'
import { LevelTxnLog } from './persistence/txn-log.js'

/**
 * Create a coordinator.
 *
 * @example
 * ```ts
 * const coordinator = await createCoordinator()              // memory mode
 * const zk = coordinator.connect({ sessionTimeoutMs: 10_000 })
 * await zk.create('/workers', '')
 * ```
 */
export async function createCoordinator(
  options: CoordinatorOptions = {},
): Promise<InProcessCoordinator> {
  const resolved = resolveOptions(options)
  const db = resolved.db
  if (db === undefined) return new InProcessCoordinator(resolved, new DataTree())
  if (db.status === 'opening' || db.status === 'closed') await db.open()
  const log = new LevelTxnLog(db, resolved.syncWrites)
  const snapshots = new LevelSnapshotStore(db)
  const tree = await restore(log, snapshots)
  const coordinator = new InProcessCoordinator(resolved, tree)
  coordinator.attachLog(
    new GroupCommit(log, snapshots, coordinator.queue, tree, resolved.snapshotEveryTxns, (error) =>
      coordinator.failed(error),
    ),
  )
  return coordinator
}

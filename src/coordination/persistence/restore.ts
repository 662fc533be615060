/**
 * Opening a persisted tree (ZooKeeper's `FileTxnSnapLog.restore`): the newest snapshot that
 * loads, then every later txn replayed in zxid order.
 */
import { DataTree } from '../data-tree.js'
import { restoreSnapshot } from './snapshot.js'
import type { SnapshotStore } from './snapshot-store.js'
import type { TxnLog } from './txn-log.js'

/** Rebuild the tree from a snapshot store and a txn log. */
export async function restore(log: TxnLog, snapshots: SnapshotStore): Promise<DataTree> {
  let tree: DataTree | undefined
  const zxids = await snapshots.list()
  for (let i = zxids.length - 1; i >= 0 && tree === undefined; i--) {
    try {
      const snapshot = await snapshots.load(zxids[i] as number)
      if (snapshot !== undefined) tree = restoreSnapshot(snapshot)
    } catch {
      // A damaged snapshot: fall back to the one before, as ZooKeeper does.
    }
  }
  tree ??= new DataTree()
  for await (const txn of log.read(tree.lastZxid)) tree.processTxn(txn)
  return tree
}

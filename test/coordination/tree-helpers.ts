/**
 * Test helpers: a comparable picture of a tree (every node's path, Stat fields, data and
 * sequence counter, plus sessions and the last zxid).
 */
import type { DataTree } from '../../src/coordination/data-tree.js'
import type { InProcessCoordinator } from '../../src/coordination/index.js'
import { takeSnapshot } from '../../src/coordination/persistence/snapshot.js'

/** Everything of a tree, sorted, for `toEqual`. */
export function picture(tree: DataTree) {
  const snapshot = takeSnapshot(tree)
  return {
    zxid: snapshot.zxid,
    sessions: [...snapshot.sessions].sort((a, b) => a[0] - b[0]),
    nodes: [...snapshot.nodes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    ephemerals: [...tree.ephemerals].map(([id, set]) => [id, [...set].sort()]).sort(),
    containers: [...tree.containers].sort(),
    ttls: [...tree.ttls].sort(),
    dataSize: tree.dataSize,
  }
}

/** The picture of a coordinator's tree, without the zxid (failed writes still take one). */
export function nodesOf(coordinator: InProcessCoordinator) {
  const { zxid: _zxid, ...rest } = picture(coordinator.tree)
  return rest
}

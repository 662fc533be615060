/**
 * Snapshots of the tree (ZooKeeper's `SnapShot`/`DataTree.serialize`): every node with its
 * Stat, data and sequence counter, the sessions and the last zxid. Taken synchronously, so a
 * snapshot is the exact state after its zxid; restoring one and replaying the later txns
 * rebuilds the tree.
 */
import type { DataNode } from '../data-node.js'
import { DataTree } from '../data-tree.js'
import { childPath, ROOT } from '../paths.js'
import { ByteReader, ByteWriter } from './bytes.js'

/** One node as a snapshot keeps it. */
export interface SnapshotNode {
  readonly path: string
  readonly data: string | null
  readonly czxid: number
  readonly mzxid: number
  readonly pzxid: number
  readonly ctime: number
  readonly mtime: number
  readonly version: number
  /** The Stat's cversion (kept for dumps; a node derives it from `childCreates`). */
  readonly cversion: number
  readonly childCreates: number
  readonly ephemeralOwner: number
  readonly special: number
}

/** A whole tree at one zxid. */
export interface Snapshot {
  /** The zxid of the last txn the snapshot includes. */
  readonly zxid: number
  /** Live sessions: id and timeout (ms). */
  readonly sessions: ReadonlyArray<readonly [number, number]>
  /** Every node, parents before children, the root first. */
  readonly nodes: readonly SnapshotNode[]
}

function nodeOf(tree: DataTree, path: string, n: DataNode): SnapshotNode {
  return {
    path,
    data: tree.dataString(n),
    czxid: n.czxid,
    mzxid: n.mzxid,
    pzxid: n.pzxid,
    ctime: n.ctime,
    mtime: n.mtime,
    version: n.version,
    cversion: n.cversion,
    childCreates: n.childCreates,
    ephemeralOwner: n.ephemeralOwner,
    special: n.special,
  }
}

/** Take a snapshot of the tree as it is now. */
export function takeSnapshot(tree: DataTree): Snapshot {
  const nodes: SnapshotNode[] = []
  const stack: Array<[string, DataNode]> = [[ROOT, tree.root]]
  while (stack.length > 0) {
    const [path, node] = stack.pop() as [string, DataNode]
    nodes.push(nodeOf(tree, path, node))
    if (node.children === null) continue
    for (const [name, child] of node.children) stack.push([childPath(path, name), child])
  }
  return { zxid: tree.lastZxid, sessions: [...tree.sessions], nodes }
}

/** Build the tree a snapshot holds. */
export function restoreSnapshot(snapshot: Snapshot): DataTree {
  const tree = new DataTree()
  for (const s of snapshot.nodes) {
    const life = tree.lifetime(s.ephemeralOwner, s.special)
    const node = tree.newNode(s.data, s.czxid, s.ctime, life)
    node.mzxid = s.mzxid
    node.pzxid = s.pzxid
    node.mtime = s.mtime
    node.version = s.version
    node.childCreates = s.childCreates
    tree.loadNode(s.path, node)
  }
  for (const [id, timeoutMs] of snapshot.sessions) tree.sessions.set(id, timeoutMs)
  tree.lastZxid = snapshot.zxid
  return tree
}

/** Encode some of a snapshot's nodes. */
export function encodeNodes(nodes: readonly SnapshotNode[]): Uint8Array {
  const w = new ByteWriter(1024)
  w.i32(nodes.length)
  for (const n of nodes) {
    w.str(n.path).data(n.data).f64(n.czxid).f64(n.mzxid).f64(n.pzxid).f64(n.ctime).f64(n.mtime)
    w.f64(n.version).f64(n.cversion).f64(n.childCreates).f64(n.ephemeralOwner).f64(n.special)
  }
  return w.finish()
}

/** Decode nodes written by {@link encodeNodes}. */
export function decodeNodes(bytes: Uint8Array): SnapshotNode[] {
  const r = new ByteReader(bytes)
  const out: SnapshotNode[] = []
  for (let n = r.i32(); n > 0; n--) {
    out.push({
      path: r.str(),
      data: r.data(),
      czxid: r.f64(),
      mzxid: r.f64(),
      pzxid: r.f64(),
      ctime: r.f64(),
      mtime: r.f64(),
      version: r.f64(),
      cversion: r.f64(),
      childCreates: r.f64(),
      ephemeralOwner: r.f64(),
      special: r.f64(),
    })
  }
  return out
}

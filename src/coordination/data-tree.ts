/**
 * The tree of znodes: a pure state machine fed by {@link Txn}s (ZooKeeper's `DataTree`). It
 * knows nothing of storage, sessions' timers or clients; it reports watch triggers to a
 * {@link TreeListener} when one is set (never during replay). Transactions reaching it are
 * already validated (see `prep.ts`): applying one cannot fail.
 */
import { CONTAINER_LIFETIME, ConfigNode, DataNode, Lifetime } from './data-node.js'
import { DataStore, EMPTY_DATA } from './data-store.js'
import { NodeFinder } from './node-finder.js'
import { nameOf, parentOf, ZOOKEEPER, ZOOKEEPER_CONFIG, ZOOKEEPER_QUOTA } from './paths.js'
import { CONTAINER, type Txn, type TxnData, type TxnOp } from './txn.js'
import type { OpResult, WatchedEventType } from './types.js'

/** Receives watch triggers in the order ZooKeeper's DataTree fires them. */
export interface TreeListener {
  /** Whether any watch is set at all (if not, triggers are skipped). */
  readonly watching: boolean
  /** `type` happened to `path`. */
  trigger(type: WatchedEventType, path: string): void
}

/** The result of applying one txn: the node created or changed, or a multi's results. */
export type ApplyResult = DataNode | OpResult[] | undefined

/** The znodes, the ephemerals per session, the sessions and the last zxid. */
export class DataTree {
  /** The data bytes of every node. */
  readonly store = new DataStore()
  /** The root. */
  readonly root = new DataNode(EMPTY_DATA, 0, 0, 0, null)
  readonly #finder = new NodeFinder(this.root)
  /** Number of nodes, the root included. */
  #count = 1
  /** Ephemeral paths per owning session, in creation order. */
  readonly ephemerals = new Map<number, Set<string>>()
  /** The lifetime object each session's ephemerals share. */
  readonly #owners = new Map<number, Lifetime>()
  /** Paths of container nodes. */
  readonly containers = new Set<string>()
  /** Paths of TTL nodes. */
  readonly ttls = new Set<string>()
  /** Live sessions and their timeouts (ms). */
  readonly sessions = new Map<number, number>()
  /** The zxid of the last txn applied. */
  lastZxid = 0
  /** Sum of path lengths and data lengths (`zk_approximate_data_size`). */
  dataSize = 0
  /** Where watch triggers go; `null` during replay. */
  listener: TreeListener | null = null

  /**
   * The tree of a fresh ZooKeeper: the root, `/zookeeper`, `/zookeeper/config` and
   * `/zookeeper/quota`, all with empty data and zero Stats, added without creates (so the root
   * shows cversion -1 and `/zookeeper` -2), `/zookeeper/config` read-only (aversion -1).
   */
  constructor() {
    this.dataSize = 1
    this.#attach(ZOOKEEPER, new DataNode(EMPTY_DATA, 0, 0, 0, null))
    // ZooKeeper lists them in this (hash) order.
    this.#attach(ZOOKEEPER_CONFIG, new ConfigNode(EMPTY_DATA, 0, 0, 0, null))
    this.#attach(ZOOKEEPER_QUOTA, new DataNode(EMPTY_DATA, 0, 0, 0, null))
  }

  #attach(path: string, node: DataNode): void {
    const parent = this.getNode(parentOf(path)) as DataNode
    if (parent.children === null) parent.children = new Map()
    parent.children.set(nameOf(path), node)
    this.#count++
    this.dataSize += path.length + node.dataLength
  }

  /** The node at `path` (`''` and `/` are the root, as in ZooKeeper), or undefined. */
  getNode(path: string): DataNode | undefined {
    return this.#finder.find(path)
  }

  /** A new node holding `data` (not yet in the tree). */
  newNode(data: TxnData, zxid: number, time: number, life: Lifetime | null): DataNode {
    const length = data === null ? 0 : data.length
    return new DataNode(this.store.put(data), length, zxid, time, life)
  }

  /** A copy of a node's data (`null` when created without data). */
  dataBuffer(node: DataNode): Buffer | null {
    return this.store.buffer(node.dataRef, node.dataLength)
  }

  /** A node's data as latin1 (`null` when created without data). */
  dataString(node: DataNode): string | null {
    return this.store.latin1(node.dataRef, node.dataLength)
  }

  /** Number of nodes, the root included. */
  get nodeCount(): number {
    return this.#count
  }

  /** The shared {@link Lifetime} of a node with this owner and special value (`null`: plain). */
  lifetime(owner: number, special: number): Lifetime | null {
    if (owner !== 0) {
      let life = this.#owners.get(owner)
      if (life === undefined) {
        life = new Lifetime(owner, 0)
        this.#owners.set(owner, life)
      }
      return life
    }
    if (special === 0) return null
    return special === CONTAINER ? CONTAINER_LIFETIME : new Lifetime(0, special)
  }

  /** Number of ephemeral nodes. */
  get ephemeralCount(): number {
    let n = 0
    for (const set of this.ephemerals.values()) n += set.size
    return n
  }

  /** Apply one txn and return what it made (the node, or a multi's results). */
  processTxn(txn: Txn): ApplyResult {
    return this.applyOp(txn.op, txn.zxid, txn.time)
  }

  /** Apply the txn `{ zxid, time, op }` without building it (memory mode logs nothing). */
  applyOp(op: TxnOp, zxid: number, time: number): ApplyResult {
    const result = this.#apply(op, zxid, time)
    this.lastZxid = zxid
    return result
  }

  #apply(op: TxnOp, zxid: number, time: number): ApplyResult {
    switch (op.type) {
      case 'create':
        return this.#create(op.path, op.data, op.ephemeralOwner, op.special, zxid, time)
      case 'delete':
        this.#delete(op.path, zxid)
        return undefined
      case 'setData':
        return this.#setData(op.path, op.data, zxid, time)
      case 'multi':
        return this.#multi(op.ops, zxid, time)
      case 'createSession':
        this.sessions.set(op.sessionId, op.timeoutMs)
        return undefined
      case 'closeSession':
        this.#killSession(op.sessionId, zxid)
        return undefined
      default:
        return undefined
    }
  }

  #multi(ops: readonly TxnOp[], zxid: number, time: number): OpResult[] {
    const results: OpResult[] = []
    for (const op of ops) {
      const made = this.#apply(op, zxid, time)
      if (op.type === 'create') {
        results.push({ op: 'create', path: op.path, stat: (made as DataNode).stat() })
      } else if (op.type === 'setData') {
        results.push({ op: 'setData', stat: (made as DataNode).stat() })
      } else if (op.type === 'delete') results.push({ op: 'delete' })
      else results.push({ op: 'check' })
    }
    return results
  }

  #create(
    path: string,
    data: TxnData,
    owner: number,
    special: number,
    zxid: number,
    time: number,
  ): DataNode {
    const slash = path.lastIndexOf('/')
    const parent = this.#finder.find(slash === 0 ? '/' : path.slice(0, slash)) as DataNode
    const life = owner === 0 && special === 0 ? null : this.lifetime(owner, special)
    const node = this.newNode(data, zxid, time, life)
    if (parent.children === null) parent.children = new Map()
    parent.children.set(path.slice(slash + 1), node)
    parent.childCreates++
    parent.pzxid = zxid
    this.#count++
    this.dataSize += path.length + (data === null ? 0 : data.length)
    if (owner !== 0) this.#addEphemeral(owner, path)
    else if (special === CONTAINER) this.containers.add(path)
    else if (special > 0) this.ttls.add(path)
    const listener = this.listener
    if (listener?.watching) {
      listener.trigger('NodeCreated', path)
      listener.trigger('NodeChildrenChanged', slash === 0 ? '/' : path.slice(0, slash))
    }
    return node
  }

  #addEphemeral(owner: number, path: string): void {
    let set = this.ephemerals.get(owner)
    if (set === undefined) {
      set = new Set()
      this.ephemerals.set(owner, set)
    }
    set.add(path)
  }

  #delete(path: string, zxid: number): void {
    const parentPath = parentOf(path)
    const parent = this.#finder.find(parentPath) as DataNode
    const name = nameOf(path)
    const node = parent.children?.get(name)
    if (node === undefined) return
    parent.children?.delete(name)
    parent.pzxid = zxid
    this.#finder.forget(node)
    this.store.free(node.dataRef, node.dataLength)
    this.#count--
    this.dataSize -= path.length + node.dataLength
    if (node.ephemeralOwner !== 0) {
      const set = this.ephemerals.get(node.ephemeralOwner)
      set?.delete(path)
      if (set?.size === 0) this.ephemerals.delete(node.ephemeralOwner)
    } else if (node.special === CONTAINER) this.containers.delete(path)
    else if (node.special > 0) this.ttls.delete(path)
    const listener = this.listener
    if (listener?.watching) {
      listener.trigger('NodeDeleted', path)
      listener.trigger('NodeChildrenChanged', parentPath)
    }
  }

  #setData(path: string, data: TxnData, zxid: number, time: number): DataNode {
    const node = this.#finder.find(path) as DataNode
    const length = data === null ? 0 : data.length
    this.dataSize += length - node.dataLength
    this.store.free(node.dataRef, node.dataLength)
    node.dataRef = this.store.put(data)
    node.dataLength = length
    node.version++
    node.mzxid = zxid
    node.mtime = time
    const listener = this.listener
    if (listener?.watching) listener.trigger('NodeDataChanged', path)
    return node
  }

  #killSession(sessionId: number, zxid: number): void {
    this.sessions.delete(sessionId)
    this.#owners.delete(sessionId)
    const paths = this.ephemerals.get(sessionId)
    if (paths === undefined) return
    for (const path of [...paths]) this.#delete(path, zxid)
    this.ephemerals.delete(sessionId)
  }

  /**
   * Put a node read from a snapshot at `path` (its parent must be loaded already). A node that
   * exists (the root, `/zookeeper`...) takes the loaded fields and keeps its children.
   */
  loadNode(path: string, node: DataNode): void {
    const existing = this.getNode(path)
    if (existing !== undefined) {
      this.dataSize += node.dataLength - existing.dataLength
      this.store.free(existing.dataRef, existing.dataLength)
      existing.assign(node)
      return
    }
    const parent = this.getNode(parentOf(path)) as DataNode
    if (parent.children === null) parent.children = new Map()
    parent.children.set(nameOf(path), node)
    this.#count++
    this.dataSize += path.length + node.dataLength
    if (node.ephemeralOwner !== 0) this.#addEphemeral(node.ephemeralOwner, path)
    else if (node.special === CONTAINER) this.containers.add(path)
    else if (node.special > 0) this.ttls.add(path)
  }

  /** Number of descendants of `path` (ZooKeeper's `getAllChildrenNumber`). */
  descendantCount(path: string): number {
    const node = this.getNode(path)
    if (node === undefined) return 0
    if (path === '') return this.#count
    return countBelow(node)
  }
}

function countBelow(node: DataNode): number {
  if (node.children === null) return 0
  let n = node.children.size
  for (const child of node.children.values()) n += countBelow(child)
  return n
}

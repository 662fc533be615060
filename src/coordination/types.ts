/**
 * The coordinator's public surface: ZooKeeper 3.8's client API in TypeScript. Every
 * operation maps onto a ZooKeeper opcode and every failure onto a KeeperException code, so the
 * same contract suite runs against the in-process coordinator and against a real ZooKeeper
 * (through an adapter over a ZooKeeper client library).
 */
import type { BytesInput } from '../common/validate.js'

/**
 * The znode's metadata, as ZooKeeper's `Stat`. Zxids are numbers: a zxid is
 * `epoch * 2^32 + counter` and stays a safe integer for 2^21 epochs.
 */
export interface Stat {
  /** Zxid of the create. */
  readonly czxid: number
  /** Zxid of the last setData (the create's, until then). */
  readonly mzxid: number
  /** Zxid of the last change to the children (a create or delete of a child). */
  readonly pzxid: number
  /** Creation time, ms since the epoch (the coordinator's clock). */
  readonly ctime: number
  /** Time of the last setData, ms since the epoch. */
  readonly mtime: number
  /** Number of setData calls on the node. */
  readonly version: number
  /**
   * Changes to the children: creates plus deletes for ordinary nodes. Derived as ZooKeeper
   * derives it (`2 × child creates − children`), so a fresh `/` shows -1 and `/zookeeper` -2.
   */
  readonly cversion: number
  /** Number of ACL changes (always 0: ACLs are not modelled). */
  readonly aversion: number
  /** Session id of the owner of an ephemeral node; 0 for other nodes. */
  readonly ephemeralOwner: number
  /** Length of the data in bytes (0 for null data). */
  readonly dataLength: number
  /** Number of children. */
  readonly numChildren: number
}

/**
 * How a node is created, as ZooKeeper's `CreateMode`. TTL nodes are `persistent` or
 * `persistent-sequential` with a `ttlMs`.
 */
export type CreateMode =
  | 'persistent'
  | 'ephemeral'
  | 'persistent-sequential'
  | 'ephemeral-sequential'
  | 'container'

/** Options of {@link CoordinatorClient.create}. */
export interface CreateOptions {
  /** Default `persistent`. */
  mode?: CreateMode
  /**
   * Time to live of a `persistent` or `persistent-sequential` node: it is removed once it has
   * not been changed for `ttlMs` and has no children (ZooKeeper's `*_WITH_TTL` modes).
   */
  ttlMs?: number
}

/** What a create returns: the actual path (with any sequence suffix) and the new node's Stat. */
export interface CreateResult {
  /** The path created, e.g. `/locks/lock-0000000003`. */
  readonly path: string
  /** The Stat of the new node. */
  readonly stat: Stat
}

/** Event types of ZooKeeper's `Watcher.Event.EventType`. */
export type WatchedEventType =
  | 'NodeCreated'
  | 'NodeDeleted'
  | 'NodeDataChanged'
  | 'NodeChildrenChanged'
  | 'DataWatchRemoved'
  | 'ChildWatchRemoved'
  | 'PersistentWatchRemoved'

/** A watch notification, as ZooKeeper's `WatchedEvent`. */
export interface WatchedEvent {
  /** What happened. */
  readonly type: WatchedEventType
  /** The znode it happened to. */
  readonly path: string
}

/** A function called with watch notifications. */
export type Watcher = (event: WatchedEvent) => void

/** Options of the reads that can leave a watch. */
export interface WatchOptions {
  /** A one-shot watch to leave on the node. */
  watch?: Watcher
}

/** Options of the writes that check a version. */
export interface VersionOptions {
  /** The expected version; -1 (the default) matches any. */
  version?: number
}

/** Modes of {@link CoordinatorClient.addWatch} (ZooKeeper 3.6+ `AddWatchMode`). */
export type AddWatchMode = 'persistent' | 'persistent-recursive'

/** Which watches {@link CoordinatorClient.removeWatches} removes (ZooKeeper's `WatcherType`). */
export type WatcherType = 'children' | 'data' | 'persistent' | 'persistent-recursive' | 'any'

/** One operation of a {@link CoordinatorClient.multi}. */
export type Op =
  | { op: 'create'; path: string; data?: BytesInput | null; mode?: CreateMode; ttlMs?: number }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: BytesInput | null; version?: number }
  | { op: 'check'; path: string; version: number }

/** The result of one operation of a successful multi, as ZooKeeper's `OpResult`. */
export type OpResult =
  | { op: 'create'; path: string; stat: Stat }
  | { op: 'delete' }
  | { op: 'setData'; stat: Stat }
  | { op: 'check' }

/**
 * The result of one operation of a failed multi: 0 before the failing op, its code at the
 * failing op, RUNTIME_INCONSISTENCY (-2) after it. Attached to the thrown error as `results`.
 */
export interface OpError {
  /** The ZooKeeper code: 0 for ok. */
  readonly err: number
}

/** Session states a client goes through. */
export type SessionState = 'connecting' | 'connected' | 'expired' | 'closed'

/** Events of a {@link CoordinatorClient}. */
export interface CoordinatorClientEvents {
  /** The session is established. */
  connected: (event: { sessionId: number }) => void
  /** The session expired: its ephemerals are gone; every later call fails with SESSION_EXPIRED. */
  expired: (event: { sessionId: number }) => void
  /** The client was closed by its owner. */
  closed: (event: { sessionId: number }) => void
  /** A watcher threw; the error was caught and the coordinator carried on. */
  'watcher-error': (event: { error: unknown; event: WatchedEvent }) => void
}

/** Options of {@link Coordinator.connect}. */
export interface ConnectOptions {
  /** The session timeout, ms. Clamped to [2, 20] ticks as ZooKeeper does (default 10,000). */
  sessionTimeoutMs?: number
}

/**
 * A ZooKeeper client handle with its own session. Every call after `close()` or expiry fails
 * with a coded error and changes nothing.
 */
export interface CoordinatorClient {
  /** The session id (0 until connected, for clients that connect asynchronously). */
  readonly sessionId: number
  /** The negotiated session timeout, ms. */
  readonly sessionTimeoutMs: number
  /** The session's state. */
  readonly state: SessionState
  /** Create a node. Fails with NODE_EXISTS, NO_NODE (no parent), NO_CHILDREN_FOR_EPHEMERALS, BAD_ARGUMENTS. */
  create(path: string, data?: BytesInput | null, options?: CreateOptions): Promise<CreateResult>
  /** Delete a node. Fails with NO_NODE, BAD_VERSION, NOT_EMPTY, BAD_ARGUMENTS. */
  delete(path: string, options?: VersionOptions): Promise<void>
  /** The node's Stat, or null when it does not exist (a watch is left in both cases). */
  exists(path: string, options?: WatchOptions): Promise<Stat | null>
  /** The node's data (null when created without data) and Stat. Fails with NO_NODE. */
  getData(path: string, options?: WatchOptions): Promise<{ data: Buffer | null; stat: Stat }>
  /** Replace the node's data. Returns the new Stat. Fails with NO_NODE, BAD_VERSION. */
  setData(path: string, data: BytesInput | null, options?: VersionOptions): Promise<Stat>
  /**
   * The names of the node's children, in no promised order (logkeeper returns creation order,
   * ZooKeeper hash order: sort when order matters). Fails with NO_NODE.
   */
  getChildren(path: string, options?: WatchOptions): Promise<string[]>
  /** The children and the node's Stat (ZooKeeper's getChildren2). */
  getChildrenWithStat(
    path: string,
    options?: WatchOptions,
  ): Promise<{ children: string[]; stat: Stat }>
  /** All operations or none; throws the first failure's error with per-op `results`. */
  multi(ops: readonly Op[]): Promise<OpResult[]>
  /** Wait until this client has seen every write committed before the call. Returns the path. */
  sync(path: string): Promise<string>
  /** Paths of this session's ephemeral nodes, optionally under a prefix. */
  getEphemerals(prefix?: string): Promise<string[]>
  /** The number of all descendants of a node (not counting the node). */
  getAllChildrenNumber(path: string): Promise<number>
  /** Add a persistent (or persistent-recursive) watch that fires until removed. */
  addWatch(path: string, options: { mode: AddWatchMode }, watcher: Watcher): Promise<void>
  /**
   * Remove the client's watches of a type on a path (for `watcher`, or all of that type when
   * `watcher` is omitted). Fails with NO_WATCHER when none matches.
   */
  removeWatches(path: string, type: WatcherType, watcher?: Watcher): Promise<void>
  /** Listen for session events. */
  on<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this
  /** Stop listening. */
  off<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this
  /** Close the session: its ephemeral nodes go and their watches fire. Idempotent. */
  close(): Promise<void>
}

/** Counts as ZooKeeper's `mntr` four-letter word gives them. */
export interface CoordinatorStats {
  /** `zk_znode_count`: nodes in the tree, the root and `/zookeeper` subtree included. */
  readonly znodeCount: number
  /** `zk_watch_count`: watches set, one per (path, type, client). */
  readonly watchCount: number
  /** `zk_ephemerals_count`. */
  readonly ephemeralsCount: number
  /** `zk_approximate_data_size`: bytes of paths and data. */
  readonly approximateDataSize: number
  /** Live sessions. */
  readonly sessionCount: number
  /** `zk_outstanding_requests`: requests received and not yet answered. */
  readonly outstandingRequests: number
  /** The last zxid. */
  readonly lastZxid: number
}

/** The coordinator service: sessions, the tree, persistence. */
export interface Coordinator {
  /** Open a client with a new session. */
  connect(options?: ConnectOptions): CoordinatorClient
  /** Expire a session now, as if its client had stopped heartbeating (a test hook). */
  expireSession(sessionId: number): Promise<void>
  /** The `mntr` counts. */
  stats(): CoordinatorStats
  /** Close every session's client (without deleting ephemerals in disk mode), then the store. */
  close(): Promise<void>
}

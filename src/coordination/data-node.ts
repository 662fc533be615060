/**
 * One znode. Fields are ZooKeeper's `StatPersisted` plus the data and the children. As in
 * ZooKeeper, the node counts only its child creates (the source of sequential suffixes) and the
 * Stat shows `cversion = 2 * creates - numChildren` (`DataNode.copyStat`): creates plus deletes
 * for children made by creates, and -1 for the root and -2 for `/zookeeper`, whose children were
 * there from the start. The data bytes live in the tree's {@link DataStore} (off the
 * JavaScript heap); the node keeps their handle and length. Requests and txns carry data as
 * latin1 strings (one character per byte, immutable); reads copy it into a new Buffer.
 */
import { loadTime, type StoredTime, storeTime } from './node-time.js'
import { CONTAINER } from './txn.js'
import type { Stat } from './types.js'

/**
 * What makes a node other than persistent: its owning session (ephemeral) or its special
 * lifetime (a container, or a TTL in ms). Plain nodes have none (`null`), so the node object
 * holds one pointer instead of two numbers (a session id does not fit a small integer, and a
 * field that once held one costs every node a boxed number). One object is shared per session
 * and by all containers.
 */
export class Lifetime {
  constructor(
    /** The owning session of an ephemeral node, else 0. */
    readonly ephemeralOwner: number,
    /** 0, a container ({@link CONTAINER}) or a TTL in ms. */
    readonly special: number,
  ) {}
}

/** The lifetime every container shares. */
export const CONTAINER_LIFETIME = new Lifetime(0, CONTAINER)

/** A node of the {@link DataTree}. */
export class DataNode {
  /** The data's handle in its tree's {@link DataStore} (`NULL_DATA` when created without). */
  dataRef: number
  /** Bytes of data (0 for null data). */
  dataLength: number
  /** Children by name; `null` until the first child. */
  children: Map<string, DataNode> | null = null
  czxid: number
  mzxid: number
  pzxid: number
  /** ctime and mtime in their compact form (see `node-time.ts`). */
  ct: StoredTime
  mt: StoredTime
  version = 0
  /** Child creates only: the source of sequential suffixes (ZooKeeper's stored cversion). */
  childCreates = 0
  /** Ephemeral owner or special lifetime; `null` for a plain persistent node. */
  life: Lifetime | null

  constructor(
    dataRef: number,
    dataLength: number,
    zxid: number,
    time: number,
    life: Lifetime | null,
  ) {
    this.dataRef = dataRef
    this.dataLength = dataLength
    this.czxid = zxid
    this.mzxid = zxid
    this.pzxid = zxid
    const t = storeTime(time)
    this.ct = t
    this.mt = t
    this.life = life
  }

  /** Creation time, ms. */
  get ctime(): number {
    return loadTime(this.ct)
  }

  /** Time of the last setData, ms. */
  get mtime(): number {
    return loadTime(this.mt)
  }

  set mtime(ms: number) {
    this.mt = storeTime(ms)
  }

  /** The owning session of an ephemeral node, else 0. */
  get ephemeralOwner(): number {
    return this.life === null ? 0 : this.life.ephemeralOwner
  }

  /** 0, a container (-1) or a TTL in ms. */
  get special(): number {
    return this.life === null ? 0 : this.life.special
  }

  /** Number of children. */
  get numChildren(): number {
    return this.children === null ? 0 : this.children.size
  }

  /** The Stat's cversion: child creates plus deletes, as ZooKeeper derives it. */
  get cversion(): number {
    return 2 * this.childCreates - this.numChildren
  }

  /** A fresh copy of the node's Stat. */
  stat(): Stat {
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      pzxid: this.pzxid,
      ctime: loadTime(this.ct),
      mtime: loadTime(this.mt),
      version: this.version,
      cversion: 2 * this.childCreates - (this.children === null ? 0 : this.children.size),
      aversion: 0,
      ephemeralOwner: this.life === null ? 0 : this.life.ephemeralOwner,
      dataLength: this.dataLength,
      numChildren: this.children === null ? 0 : this.children.size,
    }
  }

  /** Take every field but the children from `other` (a node loaded from a snapshot). */
  assign(other: DataNode): void {
    this.dataRef = other.dataRef
    this.dataLength = other.dataLength
    this.czxid = other.czxid
    this.mzxid = other.mzxid
    this.pzxid = other.pzxid
    this.ct = other.ct
    this.mt = other.mt
    this.version = other.version
    this.childCreates = other.childCreates
    this.life = other.life
  }
}

/**
 * `/zookeeper/config`, whose ACL ZooKeeper sets once at startup (`DataTree.addConfigNode`:
 * read-only, `setACL(..., -1)`), so its Stat shows aversion -1.
 */
export class ConfigNode extends DataNode {
  override stat(): Stat {
    return { ...super.stat(), aversion: -1 }
  }
}

/** Turn user bytes into the latin1 form requests and txns carry. */
export function toLatin1(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null
  if (Buffer.isBuffer(bytes)) return bytes.toString('latin1')
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1')
}

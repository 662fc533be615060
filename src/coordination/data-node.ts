/**
 * One znode. Fields are ZooKeeper's `StatPersisted` plus the data and the children. Data is kept
 * as a latin1 string (one character per byte): immutable, so reads never expose the tree's bytes,
 * and about half the memory of a Buffer object for small values. Reads copy it into a new Buffer.
 */
import type { Stat } from './types.js'

/** A node of the {@link DataTree}. */
export class DataNode {
  /** The data as latin1, or `null` when created without data. */
  data: string | null
  /** Children by name; `null` until the first child. */
  children: Map<string, DataNode> | null = null
  czxid: number
  mzxid: number
  pzxid: number
  ctime: number
  mtime: number
  version = 0
  /** Child creates plus deletes. */
  cversion = 0
  /** Child creates only: the source of sequential suffixes (see FACTS). */
  childCreates = 0
  ephemeralOwner: number
  /** 0, a container (-1) or a TTL in ms. */
  special: number

  constructor(
    data: string | null,
    zxid: number,
    time: number,
    ephemeralOwner: number,
    special: number,
  ) {
    this.data = data
    this.czxid = zxid
    this.mzxid = zxid
    this.pzxid = zxid
    this.ctime = time
    this.mtime = time
    this.ephemeralOwner = ephemeralOwner
    this.special = special
  }

  /** Number of children. */
  get numChildren(): number {
    return this.children === null ? 0 : this.children.size
  }

  /** Bytes of data. */
  get dataLength(): number {
    return this.data === null ? 0 : this.data.length
  }

  /** A fresh copy of the node's Stat. */
  stat(): Stat {
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      pzxid: this.pzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      cversion: this.cversion,
      aversion: 0,
      ephemeralOwner: this.ephemeralOwner,
      dataLength: this.data === null ? 0 : this.data.length,
      numChildren: this.children === null ? 0 : this.children.size,
    }
  }

  /** A copy of the data as a Buffer (`null` for null data). */
  dataBuffer(): Buffer | null {
    return this.data === null ? null : Buffer.from(this.data, 'latin1')
  }
}

/** Turn user bytes into the tree's latin1 form. */
export function toLatin1(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1')
}

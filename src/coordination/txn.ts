/**
 * Transactions: the records that feed the {@link DataTree}. Each carries its own zxid and time,
 * so replaying the txn log into an empty tree (or onto a snapshot) rebuilds the same tree, as
 * ZooKeeper's `DataTree.processTxn` does. Data is held as a latin1 string: one character per
 * byte, immutable, compact (see `data-node.ts`).
 */

/**
 * A node's data in a txn: latin1 (one character per byte, immutable; the form the txn log
 * keeps), or, in memory mode where nothing is logged, the caller's bytes, which are copied into
 * the tree while the call runs. `null`: no data.
 */
export type TxnData = string | Uint8Array | null

/** A node's special lifetime: 0 none, {@link CONTAINER} a container, > 0 a TTL in ms. */
export type Special = number

/** The {@link Special} value of a container node. */
export const CONTAINER = -1

/** One change to the tree. */
export type TxnOp =
  | { readonly type: 'createSession'; readonly sessionId: number; readonly timeoutMs: number }
  | { readonly type: 'closeSession'; readonly sessionId: number }
  | {
      readonly type: 'create'
      readonly path: string
      readonly data: TxnData
      /** The owning session of an ephemeral node, else 0. */
      readonly ephemeralOwner: number
      readonly special: Special
    }
  | { readonly type: 'delete'; readonly path: string }
  | { readonly type: 'setData'; readonly path: string; readonly data: TxnData }
  /** A multi's `check`: changes nothing. */
  | { readonly type: 'check'; readonly path: string }
  /** A failed request: it takes a zxid and changes nothing (ZooKeeper's `ErrorTxn`). */
  | { readonly type: 'error'; readonly err: number }
  | { readonly type: 'multi'; readonly ops: readonly TxnOp[] }

/** A transaction: one zxid, the time it was made and the session that made it (0: the server). */
export interface Txn {
  readonly zxid: number
  readonly time: number
  readonly sessionId: number
  readonly op: TxnOp
}

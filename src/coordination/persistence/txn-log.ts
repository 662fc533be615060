/**
 * The txn log (ZooKeeper's `TxnLog`): every transaction, in zxid order, durable before its
 * result is told to anyone. {@link LevelTxnLog} keeps one key per txn in an abstract-level
 * database: the zxid as 16 hex digits (so keys sort by zxid), the encoded txn as the value.
 */
import type { AbstractLevel } from 'abstract-level'
import type { AnyLevel } from '../../storage/level-tables.js'
import type { Txn } from '../txn.js'
import { decodeTxn, encodeTxn } from './txn-codec.js'

/** Where transactions are logged. */
export interface TxnLog {
  /** Append txns (ascending zxids) in one atomic write; resolves once they are durable. */
  append(txns: readonly Txn[]): Promise<void>
  /** The txns with a zxid greater than `afterZxid`, ascending. */
  read(afterZxid: number): AsyncIterable<Txn>
  /** Forget the txns with a zxid up to `throughZxid` (they are in a snapshot). */
  purge(throughZxid: number): Promise<void>
}

/** A key that sorts by zxid. */
export function zxidKey(zxid: number): string {
  return zxid.toString(16).padStart(16, '0')
}

/** A {@link TxnLog} in an abstract-level database (a sublevel of the caller's). */
export class LevelTxnLog implements TxnLog {
  readonly #db: AbstractLevel<unknown, string, Uint8Array>
  readonly #sync: boolean

  /**
   * A transaction log in the caller's database.
   *
   * @param db - a database or sublevel of the caller's; the log uses its sublevel `txn`
   * @param sync - ask the store to flush to disk before a write resolves (classic-level `sync`)
   */
  constructor(db: AnyLevel, sync = true) {
    this.#db = db.sublevel<string, Uint8Array>('txn', {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    })
    this.#sync = sync
  }

  async append(txns: readonly Txn[]): Promise<void> {
    const ops = txns.map((txn) => ({
      type: 'put' as const,
      key: zxidKey(txn.zxid),
      value: encodeTxn(txn),
    }))
    await this.#db.batch(ops, { sync: this.#sync } as object)
  }

  async *read(afterZxid: number): AsyncIterable<Txn> {
    for await (const value of this.#db.values({ gt: zxidKey(afterZxid) })) {
      yield decodeTxn(value)
    }
  }

  async purge(throughZxid: number): Promise<void> {
    await this.#db.clear({ lte: zxidKey(throughZxid) })
  }
}

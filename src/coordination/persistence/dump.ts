/**
 * Text dumps of the txn log and of snapshots, one line per txn or node, in the spirit of
 * ZooKeeper's `zkTxnLogToolkit` and `zkSnapShotToolkit` (for the CLI's `dump-log`).
 */
import type { Txn, TxnOp } from '../txn.js'
import { CONTAINER } from '../txn.js'
import type { Snapshot, SnapshotNode } from './snapshot.js'
import type { SnapshotStore } from './snapshot-store.js'
import type { TxnLog } from './txn-log.js'

/** A zxid or session id as ZooKeeper prints them: `0x` and lowercase hex. */
export function hex(n: number): string {
  return '0x' + n.toString(16)
}

function quoted(data: string | Uint8Array | null): string {
  if (data === null) return 'null'
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data)
  const text = bytes.toString('utf8')
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + '…' : text)
}

function opText(op: TxnOp): string {
  switch (op.type) {
    case 'createSession':
      return `createSession ${hex(op.sessionId)} timeout=${op.timeoutMs}`
    case 'closeSession':
      return `closeSession ${hex(op.sessionId)}`
    case 'create': {
      const kind =
        op.ephemeralOwner !== 0
          ? ` ephemeral=${hex(op.ephemeralOwner)}`
          : op.special === CONTAINER
            ? ' container'
            : op.special > 0
              ? ` ttl=${op.special}`
              : ''
      return `create '${op.path}' data=${quoted(op.data)}${kind}`
    }
    case 'delete':
      return `delete '${op.path}'`
    case 'setData':
      return `setData '${op.path}' data=${quoted(op.data)}`
    case 'check':
      return `check '${op.path}'`
    case 'error':
      return `error ${op.err}`
    case 'multi':
      return `multi [${op.ops.map(opText).join('; ')}]`
  }
}

/** One txn as a line: time, session, zxid, operation. */
export function formatTxn(txn: Txn): string {
  const time = new Date(txn.time).toISOString()
  return `${time} session ${hex(txn.sessionId)} zxid ${hex(txn.zxid)} ${opText(txn.op)}`
}

function nodeLines(n: SnapshotNode): string[] {
  return [
    n.path,
    `  cZxid = ${hex(n.czxid)}`,
    `  ctime = ${new Date(n.ctime).toISOString()}`,
    `  mZxid = ${hex(n.mzxid)}`,
    `  mtime = ${new Date(n.mtime).toISOString()}`,
    `  pZxid = ${hex(n.pzxid)}`,
    `  cversion = ${n.cversion}`,
    `  dataVersion = ${n.version}`,
    `  aclVersion = 0`,
    `  ephemeralOwner = ${hex(n.ephemeralOwner)}`,
    `  dataLength = ${n.data === null ? 0 : n.data.length}`,
  ]
}

/** A snapshot as text lines: each node with its Stat, then the sessions. */
export function* formatSnapshot(snapshot: Snapshot): Iterable<string> {
  yield `ZNode Details (count=${snapshot.nodes.length}), zxid ${hex(snapshot.zxid)}:`
  for (const node of snapshot.nodes) {
    yield '----'
    yield* nodeLines(node)
  }
  yield '----'
  yield `Session Details (sid, timeout, ephemeralCount):`
  for (const [id, timeoutMs] of snapshot.sessions) {
    const count = snapshot.nodes.filter((n) => n.ephemeralOwner === id).length
    yield `${hex(id)}, ${timeoutMs}, ${count}`
  }
}

/** Every txn of a log after `afterZxid`, as lines. */
export async function* dumpTxnLog(log: TxnLog, afterZxid = 0): AsyncIterable<string> {
  for await (const txn of log.read(afterZxid)) yield formatTxn(txn)
}

/** The newest snapshot (or the one at `zxid`) as lines; nothing when there is none. */
export async function* dumpSnapshot(store: SnapshotStore, zxid?: number): AsyncIterable<string> {
  const zxids = await store.list()
  const at = zxid ?? zxids[zxids.length - 1]
  if (at === undefined) return
  const snapshot = await store.load(at)
  if (snapshot !== undefined) yield* formatSnapshot(snapshot)
}

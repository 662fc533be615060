/**
 * The txn log's record format: `version(1) zxid time sessionId op`, where an op is a tag byte
 * and its fields. A multi nests its ops.
 */
import type { Txn, TxnOp } from '../txn.js'
import { ByteReader, ByteWriter } from './bytes.js'

const VERSION = 1
const TAGS = [
  'createSession',
  'closeSession',
  'create',
  'delete',
  'setData',
  'check',
  'error',
  'multi',
] as const

function writeOp(w: ByteWriter, op: TxnOp): void {
  w.u8(TAGS.indexOf(op.type))
  switch (op.type) {
    case 'createSession':
      w.f64(op.sessionId).f64(op.timeoutMs)
      return
    case 'closeSession':
      w.f64(op.sessionId)
      return
    case 'create':
      w.str(op.path).data(op.data).f64(op.ephemeralOwner).f64(op.special)
      return
    case 'setData':
      w.str(op.path).data(op.data)
      return
    case 'delete':
    case 'check':
      w.str(op.path)
      return
    case 'error':
      w.i32(op.err)
      return
    case 'multi':
      w.i32(op.ops.length)
      for (const sub of op.ops) writeOp(w, sub)
  }
}

function readOp(r: ByteReader): TxnOp {
  const type = TAGS[r.u8()]
  switch (type) {
    case 'createSession':
      return { type, sessionId: r.f64(), timeoutMs: r.f64() }
    case 'closeSession':
      return { type, sessionId: r.f64() }
    case 'create':
      return { type, path: r.str(), data: r.data(), ephemeralOwner: r.f64(), special: r.f64() }
    case 'setData':
      return { type, path: r.str(), data: r.data() }
    case 'delete':
    case 'check':
      return { type, path: r.str() }
    case 'error':
      return { type, err: r.i32() }
    case 'multi': {
      const ops: TxnOp[] = []
      for (let n = r.i32(); n > 0; n--) ops.push(readOp(r))
      return { type, ops }
    }
    default:
      throw new RangeError(`unknown txn op tag`)
  }
}

/** Encode a txn. */
export function encodeTxn(txn: Txn): Uint8Array {
  const w = new ByteWriter(64)
  w.u8(VERSION).f64(txn.zxid).f64(txn.time).f64(txn.sessionId)
  writeOp(w, txn.op)
  return w.finish()
}

/** Decode a txn written by {@link encodeTxn}. */
export function decodeTxn(bytes: Uint8Array): Txn {
  const r = new ByteReader(bytes)
  const version = r.u8()
  if (version !== VERSION) throw new RangeError(`unknown txn record version ${version}`)
  const zxid = r.f64()
  const time = r.f64()
  const sessionId = r.f64()
  return { zxid, time, sessionId, op: readOp(r) }
}

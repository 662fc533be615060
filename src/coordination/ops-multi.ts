/**
 * `multi`: every op is validated in order against the tree plus the earlier ops' changes; the
 * first failure fails the whole multi (one error txn, nothing applied) with per-op results as
 * ZooKeeper reports them; otherwise all ops are applied as one txn with one zxid, their watch
 * events fired in op order.
 */
import type { ErrorCode } from '../common/errors.js'
import { InvalidArgumentError, isLogkeeperError } from '../common/errors.js'
import { describe, toBuffer } from '../common/validate.js'
import { checkMode, checkPath, checkTtl, checkVersion, frameTooLarge } from './args.js'
import type { InProcessClient } from './client.js'
import { toLatin1 } from './data-node.js'
import { MAX_FRAME_BYTES, multiFrameBytes } from './frame-size.js'
import { MultiError } from './multi-error.js'
import { MultiView } from './multi-view.js'
import { prepCheck, prepCreate, prepDelete, prepSetData } from './prep.js'
import type { TxnOp } from './txn.js'
import type { Op, OpError, OpResult } from './types.js'

interface Normalised {
  readonly op: Op
  readonly data: Buffer | null
}

function normalise(op: unknown, i: number): Normalised {
  if (typeof op !== 'object' || op === null) {
    throw new InvalidArgumentError(`ops[${i}] must be an object, got ${describe(op)}`)
  }
  const o = op as Op
  checkPath(o.path, `ops[${i}].path`)
  switch (o.op) {
    case 'create':
      checkMode(o.mode)
      checkTtl(o.ttlMs)
      return { op: o, data: toBuffer(o.data, `ops[${i}].data`) }
    case 'setData':
      checkVersion(o.version)
      return { op: o, data: toBuffer(o.data, `ops[${i}].data`) }
    case 'delete':
      checkVersion(o.version)
      return { op: o, data: null }
    case 'check':
      checkVersion(o.version)
      return { op: o, data: null }
    default:
      throw new InvalidArgumentError(`ops[${i}].op must be create, delete, setData or check`)
  }
}

function prep(view: MultiView, n: Normalised, sessionId: number, logged: boolean): TxnOp {
  const op = n.op
  const data = logged ? toLatin1(n.data) : n.data
  switch (op.op) {
    case 'create': {
      const req = {
        path: op.path,
        data,
        mode: checkMode(op.mode),
        ttlMs: op.ttlMs,
      }
      return prepCreate(view, req, sessionId)
    }
    case 'setData':
      return prepSetData(view, op.path, data, checkVersion(op.version))
    case 'delete':
      return prepDelete(view, op.path, checkVersion(op.version))
    default:
      return prepCheck(view, op.path, checkVersion(op.version))
  }
}

function failure(error: unknown, index: number, count: number): MultiError {
  if (!isLogkeeperError(error) || error.zookeeperCode === undefined) throw error
  const code = error.zookeeperCode
  const results: OpError[] = []
  for (let j = 0; j < count; j++) results.push({ err: j < index ? 0 : j === index ? code : -2 })
  return new MultiError(error.code as ErrorCode, error.message, results, index)
}

/** `multi`: all ops or none. */
export function multi(c: InProcessClient, ops: readonly Op[]): Promise<OpResult[]> {
  if (!Array.isArray(ops))
    throw new InvalidArgumentError(`ops must be an array, got ${describe(ops)}`)
  // Array.from, not map: a hole in a sparse array is checked (and refused) as `undefined`.
  const normalised = Array.from(ops, (op, i) => normalise(op, i))
  const frame = multiFrameBytes(
    ops,
    normalised.map((n) => (n.data === null ? null : n.data.length)),
  )
  if (frame > MAX_FRAME_BYTES) throw frameTooLarge(frame)
  const server = c.server
  const view = new MultiView(server.tree)
  const txnOps: TxnOp[] = []
  for (let i = 0; i < normalised.length; i++) {
    try {
      const op = prep(view, normalised[i] as Normalised, c.sessionId, server.logged)
      view.record(op)
      txnOps.push(op)
    } catch (error) {
      return server.fail(c.sessionId, failure(error, i, normalised.length))
    }
  }
  const results = server.apply(c.sessionId, { type: 'multi', ops: txnOps }) as OpResult[]
  return server.settle(results)
}

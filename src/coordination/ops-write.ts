/**
 * create, delete and setData: check arguments, check the frame size, validate against the
 * tree (a failure still takes a zxid), apply.
 */
import { toBuffer } from '../common/validate.js'
import {
  checkMode,
  checkOptions,
  checkPath,
  checkTtl,
  checkVersion,
  frameTooLarge,
} from './args.js'
import type { InProcessClient } from './client.js'
import { type DataNode, toLatin1 } from './data-node.js'
import { createFrameBytes, MAX_FRAME_BYTES, setDataFrameBytes } from './frame-size.js'
import { prepCreate, prepDelete, prepSetData } from './prep.js'
import type { TxnOp } from './txn.js'
import type { CreateOptions, CreateResult, Stat, VersionOptions } from './types.js'

/** `create` (ZooKeeper's create2: the path and the new node's Stat). */
export function create(
  c: InProcessClient,
  path: string,
  data: unknown,
  options: CreateOptions | undefined,
): Promise<CreateResult> {
  checkPath(path)
  const bytes = toBuffer(data, 'data')
  const opts = checkOptions<CreateOptions>(options, 'options')
  const mode = checkMode(opts.mode)
  const ttlMs = checkTtl(opts.ttlMs)
  const frame = createFrameBytes(path, bytes === null ? null : bytes.length, mode, ttlMs)
  if (frame > MAX_FRAME_BYTES) throw frameTooLarge(frame)
  const server = c.server
  let op: TxnOp
  try {
    const payload = server.logged ? toLatin1(bytes) : bytes
    op = prepCreate(server.tree, { path, data: payload, mode, ttlMs }, c.sessionId)
  } catch (error) {
    return server.fail(c.sessionId, error)
  }
  const node = server.apply(c.sessionId, op) as DataNode
  return server.settle({ path: (op as { path: string }).path, stat: node.stat() })
}

/** `delete`. */
export function remove(
  c: InProcessClient,
  path: string,
  options: VersionOptions | undefined,
): Promise<void> {
  checkPath(path)
  const version = checkVersion(checkOptions<VersionOptions>(options, 'options').version)
  const server = c.server
  let op: TxnOp
  try {
    op = prepDelete(server.tree, path, version)
  } catch (error) {
    return server.fail(c.sessionId, error)
  }
  server.apply(c.sessionId, op)
  return server.settle(undefined)
}

/** `setData`: returns the new Stat. */
export function setData(
  c: InProcessClient,
  path: string,
  data: unknown,
  options: VersionOptions | undefined,
): Promise<Stat> {
  checkPath(path)
  const bytes = toBuffer(data, 'data')
  const version = checkVersion(checkOptions<VersionOptions>(options, 'options').version)
  const frame = setDataFrameBytes(path, bytes === null ? null : bytes.length)
  if (frame > MAX_FRAME_BYTES) throw frameTooLarge(frame)
  const server = c.server
  let op: TxnOp
  try {
    op = prepSetData(server.tree, path, server.logged ? toLatin1(bytes) : bytes, version)
  } catch (error) {
    return server.fail(c.sessionId, error)
  }
  const node = server.apply(c.sessionId, op) as DataNode
  return server.settle(node.stat())
}

/**
 * Request validation, in ZooKeeper's order (`PrepRequestProcessor`): each `prep*` checks a
 * request against the current nodes and returns the txn op that applies it, or throws a
 * {@link CoordinationError} with the code ZooKeeper would answer. Nothing is changed here.
 */
import { type CoordinationError, type ErrorCode, fromCode } from '../common/errors.js'
import { isSpecialPath, parentOf, pathProblem, sequenceSuffix, ZOOKEEPER_CONFIG } from './paths.js'
import { CONTAINER, type TxnData, type TxnOp } from './txn.js'
import type { CreateMode } from './types.js'

/** What validation needs to know of a node (a DataNode, or a multi's pending change). */
export interface NodeRecord {
  readonly version: number
  readonly ephemeralOwner: number
  readonly numChildren: number
  readonly childCreates: number
}

/** The nodes as validation sees them. */
export interface NodeView {
  /** The record at `path` (`''` is the root), or undefined. */
  getNode(path: string): NodeRecord | undefined
}

/** A create as the client asked for it (types already checked). */
export interface CreateRequest {
  readonly path: string
  readonly data: TxnData
  readonly mode: CreateMode
  /** A TTL, ms (validated here, as ZooKeeper's `EphemeralType.validateTTL`). */
  readonly ttlMs: number | undefined
}

/** The longest TTL ZooKeeper accepts (`EphemeralType.TTL` max, 2^40 - 1 ms). */
export const MAX_TTL_MS = 0xff_ffff_ffff

/** Throw the coded error ZooKeeper answers. */
export function fail(code: ErrorCode, path: string): never {
  throw fromCode(code, `${code}: ${path}`) as CoordinationError
}

function need(view: NodeView, path: string): NodeRecord {
  const node = view.getNode(path)
  if (node === undefined) fail('NO_NODE', path)
  return node
}

function checkVersion(node: NodeRecord, expected: number, path: string): void {
  if (expected !== -1 && expected !== node.version) fail('BAD_VERSION', path)
}

/** Validate a create; the returned op carries the final (sequential) path. */
export function prepCreate(view: NodeView, req: CreateRequest, sessionId: number): TxnOp {
  let path = req.path
  const special = specialOf(req)
  const slash = path.lastIndexOf('/')
  if (slash === -1 || path.includes('\0')) fail('BAD_ARGUMENTS', path)
  const parentPath = parentOf(path)
  const parent = need(view, parentPath)
  if (parentPath === ZOOKEEPER_CONFIG) fail('NO_AUTH', path)
  if (req.mode.endsWith('sequential')) path += sequenceSuffix(parent.childCreates)
  if (pathProblem(path) !== undefined) fail('BAD_ARGUMENTS', path)
  if (view.getNode(path) !== undefined) fail('NODE_EXISTS', path)
  if (parent.ephemeralOwner !== 0) fail('NO_CHILDREN_FOR_EPHEMERALS', path)
  const owner = req.mode.startsWith('ephemeral') ? sessionId : 0
  return { type: 'create', path, data: req.data, ephemeralOwner: owner, special }
}

function specialOf(req: CreateRequest): number {
  if (req.mode === 'container')
    return req.ttlMs === undefined ? CONTAINER : fail('BAD_ARGUMENTS', req.path)
  if (req.ttlMs === undefined) return 0
  const ttlMode = req.mode === 'persistent' || req.mode === 'persistent-sequential'
  if (!ttlMode || !Number.isInteger(req.ttlMs) || req.ttlMs <= 0 || req.ttlMs > MAX_TTL_MS) {
    fail('BAD_ARGUMENTS', req.path)
  }
  return req.ttlMs
}

/** Validate a delete. */
export function prepDelete(view: NodeView, path: string, version: number): TxnOp {
  if (path.lastIndexOf('/') === -1 || path.includes('\0') || isSpecialPath(path)) {
    fail('BAD_ARGUMENTS', path)
  }
  need(view, parentOf(path))
  const node = need(view, path)
  checkVersion(node, version, path)
  if (node.numChildren > 0) fail('NOT_EMPTY', path)
  return { type: 'delete', path }
}

/** Validate a setData. */
export function prepSetData(view: NodeView, path: string, data: TxnData, version: number): TxnOp {
  if (pathProblem(path) !== undefined) fail('BAD_ARGUMENTS', path)
  const node = need(view, path)
  if (path === ZOOKEEPER_CONFIG) fail('NO_AUTH', path)
  checkVersion(node, version, path)
  return { type: 'setData', path, data }
}

/** Validate a multi's check. */
export function prepCheck(view: NodeView, path: string, version: number): TxnOp {
  if (pathProblem(path) !== undefined) fail('BAD_ARGUMENTS', path)
  checkVersion(need(view, path), version, path)
  return { type: 'check', path }
}

/**
 * Validate the server's own delete of an empty container or expired TTL node
 * (`OpCode.deleteContainer`).
 */
export function prepDeleteContainer(view: NodeView, path: string): TxnOp {
  if (path.lastIndexOf('/') === -1 || isSpecialPath(path)) fail('BAD_ARGUMENTS', path)
  const node = need(view, path)
  if (node.numChildren > 0) fail('NOT_EMPTY', path)
  if (node.ephemeralOwner !== 0) fail('BAD_VERSION', path)
  need(view, parentOf(path))
  return { type: 'delete', path }
}

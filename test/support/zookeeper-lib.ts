/**
 * Typed access to node-zookeeper-client 1.1.3 (a CommonJS package without types) and to the
 * internals the adapter uses to bypass its client-side checks: its jute records, its
 * `ConnectionManager.queue` and its watcher table. Plus conversions of its values (longs are
 * 8-byte Buffers) to ours.
 */
import { createRequire } from 'node:module'
import { codeFromNumeric, fromCode, type LogkeeperError } from '../../src/common/errors.js'
import type { Stat, WatchedEventType } from '../../src/coordination/types.js'

/** A jute record of the library: plain fields set by name, serialised by the library. */
export type JuteRecord = Record<string, unknown>

/** The library's `Exception`. */
export interface LibException extends Error {
  readonly code: number
  getCode(): number
}

/** The library's Stat record: longs are 8-byte big-endian Buffers. */
export interface LibStat {
  czxid: Buffer
  mzxid: Buffer
  ctime: Buffer
  mtime: Buffer
  version: number
  cversion: number
  aversion: number
  ephemeralOwner: Buffer
  dataLength: number
  numChildren: number
  pzxid: Buffer
}

/** A reply as the library hands it to a queued request's callback. */
export interface LibResponse {
  header: { xid: number; zxid: Buffer; err: number }
  payload: JuteRecord | null
}

/** One result of a multi as the library decodes it (`type` -1 = error result). */
export interface LibMultiResult {
  type: number
  path?: string
  stat?: LibStat
  err?: number
}

/** The library's ConnectionManager (one per client; owns the socket and the queues). */
export interface LibConnectionManager {
  state: number
  watcherManager: unknown
  queue(
    request: unknown,
    callback?: (error: LibException | null, response?: LibResponse) => void,
  ): void
  getSessionId(): Buffer
  getSessionPassword(): Buffer
  getSessionTimeout(): number
  on(event: 'state', listener: (state: number) => void): unknown
  off(event: 'state', listener: (state: number) => void): unknown
}

/** The library's Client. */
export interface LibClient {
  connectionManager: LibConnectionManager
  connect(): void
  close(): void
  on(event: string, listener: (...args: unknown[]) => void): unknown
}

/** Options of the library's `createClient`. */
export interface LibClientOptions {
  sessionTimeout?: number
  spinDelay?: number
  retries?: number
  sessionId?: Buffer
  sessionPassword?: Buffer
}

interface Lib {
  createClient(connectionString: string, options?: LibClientOptions): LibClient
  ACL: { OPEN_ACL_UNSAFE: unknown[] }
}

interface Jute {
  OP_CODES: Record<string, number>
  protocol: Record<string, new () => JuteRecord>
  Request: new (header: JuteRecord | null, payload: unknown) => unknown
  TransactionRequest: new (ops: readonly JuteRecord[]) => unknown
}

interface LibPath {
  validate(path: string): void
}

const require = createRequire(import.meta.url)

/** The library itself. */
export const lib = require('node-zookeeper-client') as Lib
/** Its jute protocol records (the wire format). */
export const jute = require('node-zookeeper-client/lib/jute/index.js') as Jute
/** Its client-side path check (throws an AssertionError). */
export const libPath = require('node-zookeeper-client/lib/Path.js') as LibPath

/** The library's data size limit, checked client-side (1 MiB). */
export const LIB_DATA_SIZE_LIMIT = 1_048_576

/** ConnectionManager states of the library. */
export const LIB_STATES = {
  DISCONNECTED: 0,
  CONNECTING: 1,
  CONNECTED: 2,
  CONNECTED_READ_ONLY: 3,
  CLOSING: -1,
  CLOSED: -2,
  SESSION_EXPIRED: -3,
  AUTHENTICATION_FAILED: -4,
} as const

/**
 * ZooKeeper opcodes the adapter sends. Those the library lacks (SYNC, CREATE2, ...) are encoded
 * and their replies decoded by the adapter (see zookeeper-frames.ts).
 */
export const OP = {
  CREATE: 1,
  DELETE: 2,
  EXISTS: 3,
  GET_DATA: 4,
  SET_DATA: 5,
  GET_CHILDREN2: 12,
  SYNC: 9,
  CHECK: 13,
  MULTI: 14,
  CREATE2: 15,
  CREATE_CONTAINER: 19,
  CREATE_TTL: 21,
  CHECK_WATCHES: 17,
  REMOVE_WATCHES: 18,
  GET_EPHEMERALS: 103,
  GET_ALL_CHILDREN_NUMBER: 104,
  ADD_WATCH: 106,
  ERROR: -1,
} as const

/** A big-endian 64-bit long as a number (zxids, times: safe integers). */
export function longToNumber(buffer: Buffer): number {
  return Number(buffer.readBigInt64BE(0))
}

const LOW_53 = (1n << 53n) - 1n

/**
 * A session id as a number. ZooKeeper's ids are 64-bit (`serverId << 56 | time-based counter`)
 * and exceed 2^53, so the adapter keeps the low 53 bits: the same for `sessionId` and
 * `ephemeralOwner`, and distinct among the sessions of one server run (ids count up by one).
 */
export function sessionIdToNumber(buffer: Buffer): number {
  return Number(buffer.readBigUInt64BE(0) & LOW_53)
}

/**
 * A Stat's ephemeralOwner as a number: a session id as {@link sessionIdToNumber} gives it, and
 * ZooKeeper's negative markers (containers: Long.MIN_VALUE; TTL nodes: 0xFF << 56 | ttl) as
 * the nearest number to the signed long, so they stay recognisable.
 */
export function ephemeralOwnerToNumber(buffer: Buffer): number {
  const signed = buffer.readBigInt64BE(0)
  return signed < 0n ? Number(signed) : sessionIdToNumber(buffer)
}

/** The library's Stat as ours (longs converted to numbers). */
export function toStat(stat: LibStat): Stat {
  return {
    czxid: longToNumber(stat.czxid),
    mzxid: longToNumber(stat.mzxid),
    pzxid: longToNumber(stat.pzxid),
    ctime: longToNumber(stat.ctime),
    mtime: longToNumber(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: ephemeralOwnerToNumber(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  }
}

/** Watcher event types by ZooKeeper's numeric `EventType`. */
export const EVENT_TYPES: Readonly<Record<number, WatchedEventType>> = {
  1: 'NodeCreated',
  2: 'NodeDeleted',
  3: 'NodeDataChanged',
  4: 'NodeChildrenChanged',
  5: 'DataWatchRemoved',
  6: 'ChildWatchRemoved',
  7: 'PersistentWatchRemoved',
}

/** Our coded error for a ZooKeeper numeric code (unknown codes become SYSTEM_ERROR). */
export function errorFromNumeric(
  numeric: number,
  context: string,
  cause?: unknown,
): LogkeeperError {
  const code = codeFromNumeric('zookeeper', numeric)
  const options = cause === undefined ? {} : { cause }
  if (code === undefined)
    return fromCode('SYSTEM_ERROR', `${context}: ZooKeeper code ${numeric}`, options)
  return fromCode(code, `${context}: ${code} (${numeric})`, options)
}

/** Our coded error for whatever the library reported (an Exception, or anything else). */
export function errorFromLib(error: unknown, context: string): LogkeeperError {
  const numeric = (error as { code?: unknown }).code
  if (typeof numeric === 'number') return errorFromNumeric(numeric, context, error)
  return fromCode('SYSTEM_ERROR', `${context}: ${String(error)}`, { cause: error })
}

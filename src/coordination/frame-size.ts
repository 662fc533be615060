/**
 * ZooKeeper's request size limit. A server refuses any request frame longer than
 * `jute.maxbuffer` (0xfffff bytes by default) by dropping the connection: the client sees
 * CONNECTION_LOSS and the write is not applied. The sizes below are the jute encodings of the
 * requests ZooKeeper's Java client sends (create2 with the open ACL, setData, multi), so the
 * limits match a real server's: a setData frame is 20 + path + data bytes and a create's
 * 47 + path + data, so setData `/sem/big` takes up to 1,048,547 bytes of data and create
 * `/sem/big2` up to 1,048,519 (measured against ZooKeeper 3.8 in
 * `test/coordination/zookeeper-differential.test.ts`; FACTS.md's 1,048,515 is 4 bytes short).
 */
import { utf8Length } from './paths.js'
import type { CreateMode, Op } from './types.js'

/** The largest request frame a ZooKeeper server accepts (jute.maxbuffer). */
export const MAX_FRAME_BYTES = 0xfffff

/** Request header: xid and opcode. */
const HEADER = 8
/** The ACL vector `[{perms, {world, anyone}}]`: count 4 + perms 4 + "world" 9 + "anyone" 10. */
const OPEN_ACL = 27
/** Multi op header: type 4, done 1, err 4. */
const MULTI_HEADER = 9

function dataBytes(length: number | null): number {
  return 4 + (length ?? 0)
}

/** Bytes of a CreateRequest record (path, data, acl, flags, and ttl for TTL creates). */
export function createRecordBytes(
  path: string,
  dataLength: number | null,
  mode: CreateMode | undefined,
  ttlMs: number | undefined,
): number {
  const ttl = ttlMs !== undefined && mode !== 'container' ? 8 : 0
  return 4 + utf8Length(path) + dataBytes(dataLength) + OPEN_ACL + 4 + ttl
}

/** Bytes of a SetDataRequest record (path, data, version). */
export function setDataRecordBytes(path: string, dataLength: number | null): number {
  return 4 + utf8Length(path) + dataBytes(dataLength) + 4
}

/** The frame of a single create. */
export function createFrameBytes(
  path: string,
  dataLength: number | null,
  mode?: CreateMode,
  ttlMs?: number,
): number {
  return HEADER + createRecordBytes(path, dataLength, mode, ttlMs)
}

/** The frame of a single setData. */
export function setDataFrameBytes(path: string, dataLength: number | null): number {
  return HEADER + setDataRecordBytes(path, dataLength)
}

/** The frame of a multi whose ops have these data lengths. */
export function multiFrameBytes(ops: readonly Op[], lengths: readonly (number | null)[]): number {
  let n = HEADER + MULTI_HEADER
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Op
    n += MULTI_HEADER
    if (op.op === 'create') n += createRecordBytes(op.path, lengths[i] ?? null, op.mode, op.ttlMs)
    else if (op.op === 'setData') n += setDataRecordBytes(op.path, lengths[i] ?? null)
    else n += 4 + utf8Length(op.path) + 4
  }
  return n
}

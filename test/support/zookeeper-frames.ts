/**
 * Replies node-zookeeper-client cannot decode, decoded by the adapter.
 *
 * The library reads each reply frame and picks a decoder by the opcode of the request waiting
 * at the head of its pending queue; for opcodes it does not know it drops the connection, and
 * for error codes it does not know (e.g. NO_WATCHER, -121) it throws inside its socket handler.
 * {@link interceptReplies} wraps that handler on one client: it cuts the byte stream into frames
 * and answers the frames of requests that carry their own `decode` itself; every other frame
 * goes to the library unchanged.
 */
import {
  type JuteRecord,
  jute,
  LIB_STATES,
  type LibConnectionManager,
  type LibResponse,
  type LibStat,
  OP,
} from './zookeeper-lib.js'

/** Decodes a reply body (the bytes after the 16-byte reply header) of a successful reply. */
export type ReplyDecoder = (body: Buffer) => JuteRecord

interface PendingPacket {
  request: { header: { xid: number }; decode?: ReplyDecoder }
  callback?: (error: null, response: LibResponse) => void
}

interface Internals {
  state: number
  zxid: Buffer
  pendingQueue: PendingPacket[]
  onSocketData(buffer: Buffer): void
}

const REPLY_HEADER = 16

/** Install the frame interceptor on a client's ConnectionManager (before it connects). */
export function interceptReplies(cm: LibConnectionManager): void {
  const internals = cm as unknown as Internals
  const original = internals.onSocketData
  let rest: Buffer | null = null
  // `connect()` binds `this.onSocketData` when it opens a socket, so an own property wins.
  internals.onSocketData = (chunk: Buffer): void => {
    let buffer = rest === null ? chunk : Buffer.concat([rest, chunk])
    rest = null
    while (buffer.length >= 4) {
      const size = buffer.readInt32BE(0)
      if (buffer.length < size + 4) break
      const frame = buffer.subarray(0, size + 4)
      buffer = buffer.subarray(size + 4)
      if (!answer(internals, frame)) original.call(internals, Buffer.from(frame))
    }
    if (buffer.length > 0) rest = Buffer.from(buffer)
  }
}

function answer(cm: Internals, frame: Buffer): boolean {
  if (cm.state === LIB_STATES.CONNECTING || frame.length < 4 + REPLY_HEADER) return false
  const xid = frame.readInt32BE(4)
  const head = cm.pendingQueue[0]
  const decode = head?.request.decode
  if (head === undefined || decode === undefined || head.request.header.xid !== xid) return false
  cm.pendingQueue.shift()
  const zxid = Buffer.from(frame.subarray(8, 16))
  if (zxid.readBigInt64BE(0) > 0n) cm.zxid = zxid
  const err = frame.readInt32BE(16)
  const payload = err === 0 ? decode(frame.subarray(4 + REPLY_HEADER)) : null
  head.callback?.(null, { header: { xid, zxid, err }, payload })
  return true
}

/** A request the interceptor answers: `opcode` on the wire, `body` after the header, `decode` for the reply. */
export function customRequest(opcode: number, body: Buffer, decode: ReplyDecoder): unknown {
  const header = {
    xid: 0,
    type: opcode,
    byteLength: () => 8,
    serialize(buffer: Buffer, offset: number): number {
      buffer.writeInt32BE(header.xid, offset)
      buffer.writeInt32BE(opcode, offset + 4)
      return 8
    },
  }
  const payload = {
    byteLength: () => body.length,
    serialize(buffer: Buffer, offset: number): number {
      body.copy(buffer, offset)
      return body.length
    },
    setChrootPath() {},
  }
  return Object.assign(new jute.Request(header, payload) as object, { decode })
}

/** Jute encoding helpers for request bodies. */
export const encode = {
  ustring(s: string): Buffer {
    const bytes = Buffer.from(s, 'utf8')
    const len = Buffer.alloc(4)
    len.writeInt32BE(bytes.length)
    return Buffer.concat([len, bytes])
  },
  int(n: number): Buffer {
    const b = Buffer.alloc(4)
    b.writeInt32BE(n)
    return b
  },
}

/** Jute decoding helpers for reply bodies. */
export const decode = {
  none: (): JuteRecord => ({}),
  int: (body: Buffer): JuteRecord => ({ value: body.readInt32BE(0) }),
  ustring: (body: Buffer): JuteRecord => ({ value: readUstring(body, 0)[0] }),
  ustrings(body: Buffer): JuteRecord {
    const count = body.readInt32BE(0)
    const values: string[] = []
    let offset = 4
    for (let i = 0; i < count; i++) {
      const len = body.readInt32BE(offset)
      offset += 4
      values.push(body.toString('utf8', offset, offset + len))
      offset += len
    }
    return { values }
  },
}

/** A Stat record: 68 bytes, longs kept as 8-byte Buffers as the library keeps them. */
function readStat(body: Buffer, offset: number): LibStat {
  const long = (at: number): Buffer => Buffer.from(body.subarray(offset + at, offset + at + 8))
  return {
    czxid: long(0),
    mzxid: long(8),
    ctime: long(16),
    mtime: long(24),
    version: body.readInt32BE(offset + 32),
    cversion: body.readInt32BE(offset + 36),
    aversion: body.readInt32BE(offset + 40),
    ephemeralOwner: long(44),
    dataLength: body.readInt32BE(offset + 52),
    numChildren: body.readInt32BE(offset + 56),
    pzxid: long(60),
  }
}

const STAT_BYTES = 68

function readUstring(body: Buffer, offset: number): [string, number] {
  const len = body.readInt32BE(offset)
  if (len < 0) return ['', offset + 4]
  return [body.toString('utf8', offset + 4, offset + 4 + len), offset + 4 + len]
}

/** Create2Response {ustring path, Stat stat} (create2, createContainer, createTTL). */
export function decodeCreate2(body: Buffer): JuteRecord {
  const [path, at] = readUstring(body, 0)
  return { path, stat: readStat(body, at) }
}

/** A multi's MultiHeader {int type, boolean done, int err}. */
export function multiHeader(type: number, done: boolean): Buffer {
  const b = Buffer.alloc(9)
  b.writeInt32BE(type, 0)
  b.writeUInt8(done ? 1 : 0, 4)
  b.writeInt32BE(-1, 5)
  return b
}

/** One result of a multi. */
export interface MultiResult {
  type: number
  path?: string
  stat?: LibStat
  err?: number
}

/** MultiResponse: a MultiHeader and a result record per op, until a header with done. */
export function decodeMultiReply(body: Buffer): JuteRecord {
  const results: MultiResult[] = []
  let at = 0
  for (;;) {
    const type = body.readInt32BE(at)
    const done = body.readUInt8(at + 4) === 1
    at += 9
    if (done) break
    switch (type) {
      case OP.CREATE2:
      case OP.CREATE_CONTAINER:
      case OP.CREATE_TTL: {
        const [path, next] = readUstring(body, at)
        results.push({ type, path, stat: readStat(body, next) })
        at = next + STAT_BYTES
        break
      }
      case OP.CREATE: {
        const [path, next] = readUstring(body, at)
        results.push({ type, path })
        at = next
        break
      }
      case OP.SET_DATA:
        results.push({ type, stat: readStat(body, at) })
        at += STAT_BYTES
        break
      case OP.ERROR:
        results.push({ type, err: body.readInt32BE(at) })
        at += 4
        break
      default:
        results.push({ type })
    }
  }
  return { results }
}

/**
 * A {@link CoordinatorClient} over a real ZooKeeper, through node-zookeeper-client 1.1.3, so the
 * coordinator's contract suite and differential tests can run against Apache ZooKeeper.
 *
 * Requests are built from the library's own jute records and queued on its ConnectionManager,
 * which bypasses the library's client-side checks by default (`clientChecks: false`): malformed
 * paths, NUL bytes and versions 0 in multis reach the server, whose own answers come back (as
 * FACTS.md measured them). Its Transaction builder's version 0 → -1 bug is avoided that way too.
 *
 * What the library cannot do is listed in {@link ZOOKEEPER_CLIENT_SUPPORTS} and fails with
 * UNIMPLEMENTED rather than being imitated.
 */
import { EventEmitter } from 'node:events'
import { fromCode } from '../../src/common/errors.js'
import { type BytesInput, toBuffer } from '../../src/common/validate.js'
import type {
  AddWatchMode,
  CoordinatorClient,
  CoordinatorClientEvents,
  CreateMode,
  CreateOptions,
  CreateResult,
  Op,
  OpError,
  OpResult,
  SessionState,
  Stat,
  VersionOptions,
  Watcher,
  WatcherType,
  WatchOptions,
} from '../../src/coordination/types.js'
import {
  customRequest,
  decode,
  decodeCreate2,
  decodeMultiReply,
  encode,
  interceptReplies,
  type MultiResult,
  multiHeader,
  type ReplyDecoder,
} from './zookeeper-frames.js'
import {
  errorFromLib,
  errorFromNumeric,
  type JuteRecord,
  jute,
  LIB_DATA_SIZE_LIMIT,
  LIB_STATES,
  type LibClient,
  type LibConnectionManager,
  type LibResponse,
  type LibStat,
  lib,
  libPath,
  longToNumber,
  OP,
  sessionIdToNumber,
  toStat,
} from './zookeeper-lib.js'
import { WatchTable } from './zookeeper-watches.js'

/**
 * What this adapter can and cannot do against a real ZooKeeper 3.8 over node-zookeeper-client
 * 1.1.3. Checked in its source: it decodes replies only for create, delete, exists, getData,
 * setData, getACL, setACL, getChildren2, multi and closeSession, and drops the connection on any
 * other reply. The adapter sends those other opcodes itself (create2, createContainer,
 * createTTL, multi with create2 ops, sync, getEphemerals, getAllChildrenNumber, addWatch,
 * checkWatches, removeWatches) and decodes their replies (see zookeeper-frames.ts).
 */
export const ZOOKEEPER_CLIENT_SUPPORTS = {
  /** create goes as create2 and returns the server's Stat (atomic). */
  atomicCreateStat: true,
  /**
   * ZooKeeper 3.8 returns no Stat for a create inside a multi (even sent as create2; containers
   * and TTL nodes excepted). The adapter derives it (see createdInMulti): exact for zxids,
   * versions, counts and owner; ctime/mtime read back afterwards (NaN if the node is gone).
   */
  createStatInMulti: 'derived',
  /** Container nodes by createContainer (19). Reaping runs on the server's clock (60 s default). */
  containers: true,
  /** TTL nodes by createTTL (21); the server needs -Dzookeeper.extendedTypesEnabled=true (zk-start.sh sets it). */
  ttl: true,
  /** sync (9). */
  sync: true,
  /** getEphemerals (103). */
  getEphemerals: true,
  /** getAllChildrenNumber (104). */
  getAllChildrenNumber: true,
  /**
   * addWatch (106): persistent and persistent-recursive watches, dispatched by the adapter's
   * watch table. Not restored after a reconnect (the library's SetWatches has no such lists).
   */
  addWatch: true,
  /**
   * removeWatches: as the Java client, checkWatches (17) for one watcher, removeWatches (18) for
   * all of a type; NO_WATCHER when the client holds no such watch; *WatchRemoved events are
   * made client-side, as Java does.
   */
  removeWatches: true,
  /** Session expiry on demand: by a second connection closing the session (see ZooKeeperCoordinator). */
  expireSession: true,
  /** Virtual clock (heartbeat-loss expiry, container/TTL reaping on demand): a real server runs on wall-clock time. */
  virtualClock: false,
  /** `stats()` (mntr counts) synchronously: not available from a remote server. */
  stats: false,
  /** Session ids are ZooKeeper's 64-bit ids cut to their low 53 bits (see sessionIdToNumber). */
  exactSessionIds: false,
} as const

/** Options of {@link ZooKeeperClient}. */
export interface ZooKeeperClientOptions {
  /** Requested session timeout, ms (the server clamps it to [2, 20] ticks: 4–40 s). Default 10,000. */
  sessionTimeoutMs?: number
  /**
   * Run the library's client-side checks (path syntax, 1 MiB data) before sending; they fail
   * with INVALID_ARGUMENT. Default false: everything goes to the server.
   */
  clientChecks?: boolean
  /** Delay before reconnecting after a lost connection, ms (the library's spinDelay). Default 10. */
  reconnectDelayMs?: number
  /** Resume this session (with `sessionPassword`) instead of creating one. */
  sessionId?: Buffer
  /** The password of `sessionId`. */
  sessionPassword?: Buffer
}

/** ZooKeeper's numeric WatcherType. */
const WATCHER_TYPES: Record<WatcherType, number> = {
  children: 1,
  data: 2,
  any: 3,
  persistent: 4,
  'persistent-recursive': 5,
}

/** CreateMode flags with a TTL (PERSISTENT_WITH_TTL, PERSISTENT_SEQUENTIAL_WITH_TTL). */
const TTL_FLAGS: Partial<Record<CreateMode, number>> = { persistent: 5, 'persistent-sequential': 6 }

const CREATE_FLAGS: Record<CreateMode, number> = {
  persistent: 0,
  ephemeral: 1,
  'persistent-sequential': 2,
  'ephemeral-sequential': 3,
  container: 4,
}

function record(name: string, fields: JuteRecord): JuteRecord {
  const ctor = jute.protocol[name]
  if (ctor === undefined) throw new Error(`node-zookeeper-client has no jute record ${name}`)
  return Object.assign(new ctor(), fields)
}

function openAcl(): unknown[] {
  return lib.ACL.OPEN_ACL_UNSAFE
}

function aclRecords(): unknown[] {
  return openAcl().map((acl) => (acl as { toRecord(): unknown }).toRecord())
}

/** Data for a jute record: a Buffer, or undefined for null (sent as length -1). */
function wireData(data: BytesInput | null | undefined): Buffer | undefined {
  return toBuffer(data, 'data') ?? undefined
}

/** Serialise one of the library's jute records. */
function recordBytes(rec: JuteRecord): Buffer {
  const r = rec as unknown as { byteLength(): number; serialize(b: Buffer, o: number): number }
  const bytes = Buffer.alloc(r.byteLength())
  r.serialize(bytes, 0)
  return bytes
}

/** A {@link CoordinatorClient} with its own session on a real ZooKeeper server. */
export class ZooKeeperClient implements CoordinatorClient {
  /** The underlying library client (for tests that need it). */
  readonly lib: LibClient
  /** Resolves once the session is established; rejects if it never is (expired, closed). */
  readonly ready: Promise<void>
  private readonly cm: LibConnectionManager
  private readonly watches: WatchTable
  private readonly events = new EventEmitter()
  private readonly clientChecks: boolean
  private currentState: SessionState = 'connecting'
  private currentSessionId = 0
  private closing: Promise<void> | undefined

  constructor(connectString: string, options: ZooKeeperClientOptions = {}) {
    this.clientChecks = options.clientChecks ?? false
    this.lib = lib.createClient(connectString, {
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      spinDelay: options.reconnectDelayMs ?? 10,
      retries: 0,
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      ...(options.sessionPassword === undefined
        ? {}
        : { sessionPassword: options.sessionPassword }),
    })
    this.cm = this.lib.connectionManager
    this.watches = new WatchTable((error, event) => {
      if (this.events.listenerCount('watcher-error') === 0) throw error
      this.events.emit('watcher-error', { error, event })
    })
    this.cm.watcherManager = this.watches
    this.ready = new Promise<void>((resolve, reject) => {
      this.lib.on('connected', () => {
        this.currentState = 'connected'
        this.currentSessionId = sessionIdToNumber(this.cm.getSessionId())
        resolve()
        this.events.emit('connected', { sessionId: this.currentSessionId })
      })
      this.lib.on('disconnected', () => {
        if (this.currentState === 'connected') this.currentState = 'connecting'
      })
      this.lib.on('expired', () => {
        this.currentState = 'expired'
        this.watches.clear()
        reject(fromCode('SESSION_EXPIRED', 'the session expired before it was established'))
        this.events.emit('expired', { sessionId: this.currentSessionId })
      })
    })
    this.ready.catch(() => {})
    interceptReplies(this.cm)
    this.lib.connect()
  }

  /** The session id's low 53 bits (0 until connected). */
  get sessionId(): number {
    return this.currentSessionId
  }

  /** The session id as the server knows it (8 bytes). */
  get sessionIdBuffer(): Buffer {
    return this.cm.getSessionId()
  }

  /** The session password (16 bytes), to resume or kill the session from another connection. */
  get sessionPassword(): Buffer {
    return this.cm.getSessionPassword()
  }

  /**
   * Drop the TCP connection (not the session): the library reconnects and resumes the session,
   * or learns that it expired. A test hook (see ZooKeeperCoordinator.expireSession).
   */
  dropConnection(): void {
    ;(this.cm as unknown as { socket?: { destroy(): void } }).socket?.destroy()
  }

  /**
   * Hold the library's reconnects until the returned function is called (which reconnects if a
   * reconnect was held back, or else drops the connection so that one happens). A test hook:
   * while another connection takes over and closes this session, this client must not take it
   * back (the server moves a session to whichever connection claimed it last).
   */
  holdReconnects(): () => void {
    const cm = this.cm as unknown as { connect(): void }
    let held = false
    cm.connect = () => {
      held = true
    }
    return () => {
      delete (cm as { connect?: unknown }).connect
      if (held) cm.connect()
      else this.dropConnection()
    }
  }

  /** The negotiated session timeout (the requested one until connected). */
  get sessionTimeoutMs(): number {
    return this.cm.getSessionTimeout()
  }

  get state(): SessionState {
    return this.currentState
  }

  /**
   * Queue one request with one of the library's records; the library decodes the reply.
   * Resolve with the reply (also for error replies) or reject on no reply.
   */
  /**
   * Send a request. `onReply` runs synchronously when the reply is decoded, before any
   * notification that follows it in the same socket read is dispatched: watches must be
   * registered there, as the Java client does, or an event arriving right behind the reply
   * would find no watcher (a lost wakeup).
   */
  private send(
    type: number,
    payload: unknown,
    context: string,
    onReply?: (response: LibResponse) => void,
  ): Promise<LibResponse> {
    const refusal = this.refusal(context)
    if (refusal !== undefined) return Promise.reject(refusal)
    return new Promise((resolve, reject) => {
      const header = record('RequestHeader', { type })
      this.cm.queue(new jute.Request(header, payload), (error, response) => {
        if (response !== undefined) {
          onReply?.(response)
          resolve(response)
        } else reject(errorFromLib(error, context))
      })
    })
  }

  /**
   * Why calls fail now: CLOSED after close() (logkeeper's client code, as the in-process
   * client; the Java client says SESSION_EXPIRED here), SESSION_EXPIRED after expiry.
   */
  private refusal(context: string): Error | undefined {
    if (this.closing !== undefined || this.currentState === 'closed') {
      return fromCode('CLOSED', `${context}: the client is closed`)
    }
    if (this.currentState === 'expired')
      return fromCode('SESSION_EXPIRED', `${context}: the session expired`)
    return undefined
  }

  /** Send a request whose reply the adapter decodes itself; fail on any error reply. */
  private callCustom(
    opcode: number,
    body: Buffer,
    decoder: ReplyDecoder,
    context: string,
    onOk?: () => void,
  ): Promise<JuteRecord> {
    const refusal = this.refusal(context)
    if (refusal !== undefined) return Promise.reject(refusal)
    return new Promise((resolve, reject) => {
      this.cm.queue(customRequest(opcode, body, decoder), (error, response) => {
        if (response === undefined) reject(errorFromLib(error, context))
        else if (response.header.err !== 0) reject(errorFromNumeric(response.header.err, context))
        else {
          onOk?.()
          resolve({ ...response.payload, replyZxid: longToNumber(response.header.zxid) })
        }
      })
    })
  }

  /** Send and fail on any error reply. */
  private async call(
    type: number,
    payload: unknown,
    context: string,
    onReply?: (response: LibResponse) => void,
  ): Promise<JuteRecord> {
    const response = await this.send(type, payload, context, onReply)
    if (response.header.err !== 0) throw errorFromNumeric(response.header.err, context)
    return response.payload ?? {}
  }

  private check(path: string, data?: Buffer): void {
    if (!this.clientChecks) return
    try {
      libPath.validate(path)
    } catch (error) {
      throw fromCode('INVALID_ARGUMENT', `invalid path ${JSON.stringify(path)}`, { cause: error })
    }
    if (data !== undefined && data.length > LIB_DATA_SIZE_LIMIT) {
      throw fromCode('INVALID_ARGUMENT', `data over ${LIB_DATA_SIZE_LIMIT} bytes`)
    }
  }

  /**
   * A create's opcode and request bytes: create2, createContainer, or createTTL (CreateRequest's
   * fields + long ttl; flags 5/6 = PERSISTENT(_SEQUENTIAL)_WITH_TTL, other modes keep their flag
   * and get the server's own answer).
   */
  private createRequest(
    path: string,
    data: Buffer | undefined,
    options: CreateOptions = {},
  ): [number, Buffer] {
    const mode = options.mode ?? 'persistent'
    const ttlMs = options.ttlMs
    const flags = ttlMs === undefined ? CREATE_FLAGS[mode] : (TTL_FLAGS[mode] ?? CREATE_FLAGS[mode])
    const create = recordBytes(record('CreateRequest', { path, data, acl: aclRecords(), flags }))
    if (ttlMs !== undefined) {
      const ttl = Buffer.alloc(8)
      ttl.writeBigInt64BE(BigInt(Math.trunc(ttlMs)))
      return [OP.CREATE_TTL, Buffer.concat([create, ttl])]
    }
    return [mode === 'container' ? OP.CREATE_CONTAINER : OP.CREATE2, create]
  }

  async create(
    path: string,
    data?: BytesInput | null,
    options?: CreateOptions,
  ): Promise<CreateResult> {
    const bytes = wireData(data)
    this.check(path, bytes)
    const [opcode, body] = this.createRequest(path, bytes, options)
    const reply = await this.callCustom(opcode, body, decodeCreate2, `create ${path}`)
    return { path: reply.path as string, stat: toStat(reply.stat as LibStat) }
  }

  async delete(path: string, options?: VersionOptions): Promise<void> {
    this.check(path)
    const payload = record('DeleteRequest', { path, version: options?.version ?? -1 })
    await this.call(OP.DELETE, payload, `delete ${path}`)
  }

  async exists(path: string, options?: WatchOptions): Promise<Stat | null> {
    this.check(path)
    const watch = options?.watch
    const payload = record('ExistsRequest', { path, watch: watch !== undefined })
    const response = await this.send(OP.EXISTS, payload, `exists ${path}`, (reply) => {
      const err = reply.header.err
      if (watch !== undefined && (err === 0 || err === -101)) {
        this.watches.add(err === 0 ? 'data' : 'exist', path, watch)
      }
    })
    const err = response.header.err
    if (err !== 0 && err !== -101) throw errorFromNumeric(err, `exists ${path}`)
    return err === 0 ? toStat((response.payload as { stat: LibStat }).stat) : null
  }

  async getData(
    path: string,
    options?: WatchOptions,
  ): Promise<{ data: Buffer | null; stat: Stat }> {
    this.check(path)
    const watch = options?.watch
    const payload = record('GetDataRequest', { path, watch: watch !== undefined })
    const reply = await this.call(OP.GET_DATA, payload, `getData ${path}`, (response) => {
      if (watch !== undefined && response.header.err === 0) this.watches.add('data', path, watch)
    })
    const data = reply.data as Buffer | undefined
    return { data: data ?? null, stat: toStat(reply.stat as LibStat) }
  }

  async setData(path: string, data: BytesInput | null, options?: VersionOptions): Promise<Stat> {
    const bytes = wireData(data)
    this.check(path, bytes)
    const payload = record('SetDataRequest', { path, data: bytes, version: options?.version ?? -1 })
    const reply = await this.call(OP.SET_DATA, payload, `setData ${path}`)
    return toStat(reply.stat as LibStat)
  }

  async getChildren(path: string, options?: WatchOptions): Promise<string[]> {
    return (await this.getChildrenWithStat(path, options)).children
  }

  async getChildrenWithStat(
    path: string,
    options?: WatchOptions,
  ): Promise<{ children: string[]; stat: Stat }> {
    this.check(path)
    const watch = options?.watch
    const payload = record('GetChildren2Request', { path, watch: watch !== undefined })
    const reply = await this.call(OP.GET_CHILDREN2, payload, `getChildren ${path}`, (response) => {
      if (watch !== undefined && response.header.err === 0) this.watches.add('child', path, watch)
    })
    return {
      children: (reply.children as string[] | undefined) ?? [],
      stat: toStat(reply.stat as LibStat),
    }
  }

  /**
   * A multi, encoded and decoded by the adapter (the library's Transaction knows only plain
   * CREATE, whose result has no Stat): creates go as create2 / createContainer / createTTL, so
   * each create result carries the Stat the server made it with.
   */
  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const parts: Buffer[] = []
    for (const op of ops) {
      const [type, body] = this.multiOp(op)
      parts.push(multiHeader(type, false), body)
    }
    parts.push(multiHeader(-1, true))
    const reply = await this.callCustom(OP.MULTI, Buffer.concat(parts), decodeMultiReply, 'multi')
    const results = reply.results as MultiResult[]
    const failed = results.find((r) => r.type === OP.ERROR && r.err !== 0)
    if (failed !== undefined) {
      const error = errorFromNumeric(failed.err ?? -1, 'multi')
      const perOp: OpError[] = results.map((r) => ({ err: r.type === OP.ERROR ? (r.err ?? 0) : 0 }))
      throw Object.assign(error, { results: perOp })
    }
    const out: OpResult[] = []
    for (const [i, r] of results.entries()) {
      switch (r.type) {
        case OP.CREATE:
          out.push({
            op: 'create',
            path: r.path as string,
            stat: await this.createdInMulti(r.path as string, ops[i], reply.replyZxid as number),
          })
          break
        case OP.CREATE2:
        case OP.CREATE_CONTAINER:
        case OP.CREATE_TTL:
          out.push({ op: 'create', path: r.path as string, stat: toStat(r.stat as LibStat) })
          break
        case OP.DELETE:
          out.push({ op: 'delete' })
          break
        case OP.SET_DATA:
          out.push({ op: 'setData', stat: toStat(r.stat as LibStat) })
          break
        case OP.CHECK:
          out.push({ op: 'check' })
          break
        default:
          throw fromCode('SYSTEM_ERROR', `multi: unexpected result type ${r.type}`)
      }
    }
    return out
  }

  /**
   * The Stat of a node a multi created. ZooKeeper 3.8 answers a create inside a multi without a
   * Stat (its MultiOperationRecord turns create2 into a plain create), so the adapter derives the
   * Stat every fresh node has: czxid = mzxid = pzxid = the multi's zxid (the reply's), versions
   * 0, numChildren 0, dataLength from the op, ephemeralOwner this session for ephemeral modes;
   * ctime = mtime = the multi's time, read back with exists (NaN if the node is gone by then).
   */
  private async createdInMulti(path: string, op: Op | undefined, zxid: number): Promise<Stat> {
    const create = op?.op === 'create' ? op : undefined
    const after = await this.exists(path)
    const time = after?.ctime ?? Number.NaN
    const ephemeral = create?.mode === 'ephemeral' || create?.mode === 'ephemeral-sequential'
    return {
      czxid: zxid,
      mzxid: zxid,
      pzxid: zxid,
      ctime: time,
      mtime: time,
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: ephemeral ? this.sessionId : 0,
      dataLength: wireData(create?.data)?.length ?? 0,
      numChildren: 0,
    }
  }

  /** One op of a multi: its opcode and its request record's bytes. */
  private multiOp(op: Op): [number, Buffer] {
    switch (op.op) {
      case 'create': {
        const data = wireData(op.data)
        this.check(op.path, data)
        return this.createRequest(op.path, data, op)
      }
      case 'delete':
        this.check(op.path)
        return [
          OP.DELETE,
          recordBytes(record('DeleteRequest', { path: op.path, version: op.version ?? -1 })),
        ]
      case 'setData': {
        const data = wireData(op.data)
        this.check(op.path, data)
        const rec = record('SetDataRequest', { path: op.path, data, version: op.version ?? -1 })
        return [OP.SET_DATA, recordBytes(rec)]
      }
      case 'check':
        this.check(op.path)
        return [
          OP.CHECK,
          recordBytes(record('CheckVersionRequest', { path: op.path, version: op.version })),
        ]
      default:
        throw fromCode('INVALID_ARGUMENT', `unknown multi op ${JSON.stringify(op)}`)
    }
  }

  async sync(path: string): Promise<string> {
    this.check(path)
    const reply = await this.callCustom(
      OP.SYNC,
      encode.ustring(path),
      decode.ustring,
      `sync ${path}`,
    )
    return reply.value as string
  }

  async getEphemerals(prefix = '/'): Promise<string[]> {
    const reply = await this.callCustom(
      OP.GET_EPHEMERALS,
      encode.ustring(prefix),
      decode.ustrings,
      'getEphemerals',
    )
    return reply.values as string[]
  }

  async getAllChildrenNumber(path: string): Promise<number> {
    this.check(path)
    const reply = await this.callCustom(
      OP.GET_ALL_CHILDREN_NUMBER,
      encode.ustring(path),
      decode.int,
      `getAllChildrenNumber ${path}`,
    )
    return reply.value as number
  }

  async addWatch(path: string, options: { mode: AddWatchMode }, watcher: Watcher): Promise<void> {
    this.check(path)
    const mode = options.mode === 'persistent-recursive' ? 1 : 0
    const body = Buffer.concat([encode.ustring(path), encode.int(mode)])
    // Registered as the reply is decoded (see `send`), so no event behind it is missed.
    await this.callCustom(OP.ADD_WATCH, body, decode.none, `addWatch ${path}`, () =>
      this.watches.add(mode === 1 ? 'recursive' : 'persistent', path, watcher),
    )
  }

  async removeWatches(path: string, type: WatcherType, watcher?: Watcher): Promise<void> {
    this.check(path)
    const context = `removeWatches ${path}`
    const refusal = this.refusal(context)
    if (refusal !== undefined) throw refusal
    if (!this.watches.has(path, type, watcher))
      throw fromCode('NO_WATCHER', `${context}: no such watch`)
    const body = Buffer.concat([encode.ustring(path), encode.int(WATCHER_TYPES[type])])
    await this.callCustom(
      watcher === undefined ? OP.REMOVE_WATCHES : OP.CHECK_WATCHES,
      body,
      decode.none,
      context,
    )
    this.watches.remove(path, type, watcher)
  }

  on<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.events.on(event, fn)
    return this
  }

  off<E extends keyof CoordinatorClientEvents>(event: E, fn: CoordinatorClientEvents[E]): this {
    this.events.off(event, fn)
    return this
  }

  /**
   * Close the session (the server deletes its ephemerals and fires their watches before it
   * replies). Resolves once the library reports the connection closed. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow()
    return this.closing
  }

  private async closeNow(): Promise<void> {
    const wasExpired = this.currentState === 'expired'
    if (!wasExpired) {
      if (this.currentState === 'connecting') await this.ready.catch(() => {})
      if (this.cm.state !== LIB_STATES.CLOSED && this.cm.state !== LIB_STATES.SESSION_EXPIRED) {
        await new Promise<void>((resolve) => {
          const onState = (state: number): void => {
            if (state !== LIB_STATES.CLOSED) return
            this.cm.off('state', onState)
            resolve()
          }
          this.cm.on('state', onState)
          this.lib.close()
        })
      }
    }
    this.watches.clear()
    this.currentState = 'closed'
    this.events.emit('closed', { sessionId: this.currentSessionId })
  }
}

/** Open a client and wait until its session is established. */
export async function connectZooKeeper(
  connectString: string,
  options: ZooKeeperClientOptions = {},
): Promise<ZooKeeperClient> {
  const client = new ZooKeeperClient(connectString, options)
  await client.ready
  return client
}

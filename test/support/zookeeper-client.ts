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
  errorFromLib,
  errorFromNumeric,
  type JuteRecord,
  jute,
  LIB_DATA_SIZE_LIMIT,
  LIB_STATES,
  type LibClient,
  type LibConnectionManager,
  type LibMultiResult,
  type LibResponse,
  type LibStat,
  lib,
  libPath,
  OP,
  sessionIdToNumber,
  toStat,
  UNKNOWN_STAT,
} from './zookeeper-lib.js'
import { WatchTable } from './zookeeper-watches.js'

/**
 * What this adapter can and cannot do against a real ZooKeeper 3.8 over node-zookeeper-client
 * 1.1.3. Checked in its source: it decodes replies only for create, delete, exists, getData,
 * setData, getACL, setACL, getChildren2, multi and closeSession, and drops the connection on any
 * other reply. Opcodes whose replies share a layout with one of those are sent anyway (see
 * wireHeader); the others fail with UNIMPLEMENTED.
 */
export const ZOOKEEPER_CLIENT_SUPPORTS = {
  /** create returns the Stat of create2's reply (atomic). */
  atomicCreateStat: true,
  /**
   * A create inside a multi returns no Stat on the wire (the library's multi decoder knows only
   * CREATE results, not create2's): the adapter fetches it with `exists` after the multi, which
   * is not atomic (a later op of the same multi may have changed or deleted the node: then the
   * Stat shows that, or is UNKNOWN_STAT).
   */
  atomicCreateStatInMulti: false,
  /** Container nodes by createContainer (19). Reaping runs on the server's wall clock (60 s). */
  containers: true,
  /** Containers or TTL nodes inside a multi: not decodable. */
  containersOrTtlInMulti: false,
  /** TTL nodes by createTTL (21); the server needs -Dzookeeper.extendedTypesEnabled=true (zk-start.sh sets it). */
  ttl: true,
  /** sync (9), its reply decoded as CreateResponse. */
  sync: true,
  /** getEphemerals (103): reply {vector<ustring>} matches no record of the library. */
  getEphemerals: false,
  /** getAllChildrenNumber (104): reply {int} matches no record of the library. */
  getAllChildrenNumber: false,
  /** addWatch (106, persistent watches): the library's watch table cannot dispatch them. */
  addWatch: false,
  /** removeWatches (18): a NO_WATCHER reply (-121) would crash the library (unknown code). */
  removeWatches: false,
  /** Session expiry on demand: by a second connection closing the session (see ZooKeeperCoordinator). */
  expireSession: true,
  /** Virtual clock (instant expiry, TTL): a real server runs on wall-clock time. */
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

/**
 * A request header that puts opcode `wire` on the wire while the library, which picks the
 * reply decoder by `header.type`, decodes the reply as that of `decodeAs`. Used where the
 * library lacks an opcode but has a reply record of the identical layout: sync's reply
 * `{ustring path}` is CreateResponse's; create2's `{ustring path, Stat}` is GetDataResponse's
 * `{buffer data, Stat}` (a ustring and a buffer are both int length + bytes). The server runs
 * the real operation; nothing is imitated.
 */
function wireHeader(wire: number, decodeAs: number): JuteRecord {
  return {
    xid: 0,
    type: decodeAs,
    byteLength: () => 8,
    serialize(buffer: Buffer, offset: number): number {
      buffer.writeInt32BE(this.xid as number, offset)
      buffer.writeInt32BE(wire, offset + 4)
      return 8
    },
  }
}

/** A request payload given as bytes (for records the library lacks, e.g. CreateTTLRequest). */
function rawPayload(bytes: Buffer): JuteRecord {
  return {
    byteLength: () => bytes.length,
    serialize(buffer: Buffer, offset: number): number {
      bytes.copy(buffer, offset)
      return bytes.length
    },
    setChrootPath() {},
  }
}

/** Serialise one of the library's jute records. */
function recordBytes(rec: JuteRecord): Buffer {
  const r = rec as unknown as { byteLength(): number; serialize(b: Buffer, o: number): number }
  const bytes = Buffer.alloc(r.byteLength())
  r.serialize(bytes, 0)
  return bytes
}

function unimplemented(what: string): Promise<never> {
  return Promise.reject(
    fromCode(
      'UNIMPLEMENTED',
      `${what} is not supported by node-zookeeper-client 1.1.3 (see ZOOKEEPER_CLIENT_SUPPORTS)`,
    ),
  )
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

  /** The negotiated session timeout (the requested one until connected). */
  get sessionTimeoutMs(): number {
    return this.cm.getSessionTimeout()
  }

  get state(): SessionState {
    return this.currentState
  }

  /**
   * Queue one request; resolve with the reply (also for error replies) or reject on no reply.
   * `decodeAs`: the opcode whose reply record the library should decode the reply with, for
   * opcodes it does not know but whose reply has the same wire layout as one it does (see
   * {@link wireHeader}).
   */
  private send(
    type: number,
    payload: unknown,
    context: string,
    decodeAs = type,
  ): Promise<LibResponse> {
    if (
      this.currentState === 'closed' ||
      this.currentState === 'expired' ||
      this.closing !== undefined
    ) {
      return Promise.reject(
        fromCode('SESSION_EXPIRED', `${context}: the client is ${this.currentState}`),
      )
    }
    return new Promise((resolve, reject) => {
      const header =
        decodeAs === type ? record('RequestHeader', { type }) : wireHeader(type, decodeAs)
      this.cm.queue(new jute.Request(header, payload), (error, response) => {
        if (response !== undefined) resolve(response)
        else reject(errorFromLib(error, context))
      })
    })
  }

  /** Send and fail on any error reply. */
  private async call(
    type: number,
    payload: unknown,
    context: string,
    decodeAs = type,
  ): Promise<JuteRecord> {
    const response = await this.send(type, payload, context, decodeAs)
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

  /** The Stat of a node created in a multi (a separate exists: not atomic with the multi). */
  private async statAfterCreate(path: string): Promise<Stat> {
    return (await this.exists(path)) ?? UNKNOWN_STAT
  }

  /** Flags of a create inside a multi (plain CREATE only, see ZOOKEEPER_CLIENT_SUPPORTS). */
  private multiFlags(op: { mode?: CreateMode; ttlMs?: number }): number {
    if (op.ttlMs !== undefined || op.mode === 'container') {
      throw fromCode('UNIMPLEMENTED', 'containers and TTL nodes in a multi are not decodable')
    }
    return CREATE_FLAGS[op.mode ?? 'persistent']
  }

  async create(
    path: string,
    data?: BytesInput | null,
    options?: CreateOptions,
  ): Promise<CreateResult> {
    const bytes = wireData(data)
    this.check(path, bytes)
    const mode = options?.mode ?? 'persistent'
    const ttlMs = options?.ttlMs
    const create = record('CreateRequest', {
      path,
      data: bytes,
      acl: aclRecords(),
      flags: CREATE_FLAGS[mode],
    })
    let opcode: number = mode === 'container' ? OP.CREATE_CONTAINER : OP.CREATE2
    let payload: unknown = create
    if (ttlMs !== undefined) {
      // CreateTTLRequest = CreateRequest's fields + long ttl; flags 5/6 = PERSISTENT(_SEQUENTIAL)_WITH_TTL.
      // Other modes keep their flag and get the server's own answer.
      create.flags = TTL_FLAGS[mode] ?? create.flags
      const ttl = Buffer.alloc(8)
      ttl.writeBigInt64BE(BigInt(Math.trunc(ttlMs)))
      opcode = OP.CREATE_TTL
      payload = rawPayload(Buffer.concat([recordBytes(create), ttl]))
    }
    const reply = await this.call(opcode, payload, `create ${path}`, OP.GET_DATA)
    const created = (reply.data as Buffer | undefined)?.toString('utf8') ?? ''
    return { path: created, stat: toStat(reply.stat as LibStat) }
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
    const response = await this.send(OP.EXISTS, payload, `exists ${path}`)
    const err = response.header.err
    if (err !== 0 && err !== -101) throw errorFromNumeric(err, `exists ${path}`)
    if (watch !== undefined) this.watches.add(err === 0 ? 'data' : 'exist', path, watch)
    return err === 0 ? toStat((response.payload as { stat: LibStat }).stat) : null
  }

  async getData(
    path: string,
    options?: WatchOptions,
  ): Promise<{ data: Buffer | null; stat: Stat }> {
    this.check(path)
    const watch = options?.watch
    const payload = record('GetDataRequest', { path, watch: watch !== undefined })
    const reply = await this.call(OP.GET_DATA, payload, `getData ${path}`)
    if (watch !== undefined) this.watches.add('data', path, watch)
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
    const reply = await this.call(OP.GET_CHILDREN2, payload, `getChildren ${path}`)
    if (watch !== undefined) this.watches.add('child', path, watch)
    return {
      children: (reply.children as string[] | undefined) ?? [],
      stat: toStat(reply.stat as LibStat),
    }
  }

  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const wireOps = ops.map((op): JuteRecord => {
      switch (op.op) {
        case 'create': {
          const data = wireData(op.data)
          const mode = this.multiFlags(op)
          this.check(op.path, data)
          return { type: OP.CREATE, path: op.path, data, acls: openAcl(), mode }
        }
        case 'delete':
          this.check(op.path)
          return { type: OP.DELETE, path: op.path, version: op.version ?? -1 }
        case 'setData': {
          const data = wireData(op.data)
          this.check(op.path, data)
          return { type: OP.SET_DATA, path: op.path, data, version: op.version ?? -1 }
        }
        case 'check':
          this.check(op.path)
          return { type: OP.CHECK, path: op.path, version: op.version }
        default:
          throw fromCode('INVALID_ARGUMENT', `unknown multi op ${JSON.stringify(op)}`)
      }
    })
    const reply = await this.call(OP.MULTI, new jute.TransactionRequest(wireOps), 'multi')
    const results = (reply as unknown as { results: LibMultiResult[] }).results
    const failed = results.find((r) => r.type === OP.ERROR && r.err !== 0)
    if (failed !== undefined) {
      const error = errorFromNumeric(failed.err ?? -1, 'multi')
      const perOp: OpError[] = results.map((r) => ({ err: r.type === OP.ERROR ? (r.err ?? 0) : 0 }))
      throw Object.assign(error, { results: perOp })
    }
    const out: OpResult[] = []
    for (const r of results) {
      switch (r.type) {
        case OP.CREATE:
          out.push({
            op: 'create',
            path: r.path as string,
            stat: await this.statAfterCreate(r.path as string),
          })
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

  async sync(path: string): Promise<string> {
    this.check(path)
    // SyncRequest and SyncResponse are both {ustring path}, as CreateResponse.
    const reply = await this.call(
      OP.SYNC,
      record('CreateResponse', { path }),
      `sync ${path}`,
      OP.CREATE,
    )
    return (reply.path as string | undefined) ?? path
  }

  getEphemerals(_prefix?: string): Promise<string[]> {
    return unimplemented('getEphemerals')
  }

  getAllChildrenNumber(_path: string): Promise<number> {
    return unimplemented('getAllChildrenNumber')
  }

  addWatch(_path: string, _options: { mode: AddWatchMode }, _watcher: Watcher): Promise<void> {
    return unimplemented('addWatch')
  }

  removeWatches(_path: string, _type: WatcherType, _watcher?: Watcher): Promise<void> {
    return unimplemented('removeWatches')
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

/**
 * Master-worker, the example of "ZooKeeper: Distributed Process Coordination" (chapter 4).
 * A candidate runs for master by creating the ephemeral `<root>/master` with its id and
 * address; on NODE_EXISTS, or on a lost reply (CONNECTION_LOSS after a create that may have
 * happened), it reads the node back and watches it (the book's `checkMaster`), and runs again
 * when it is deleted. Workers register the ephemeral `<root>/workers/<id>` with their address.
 * The master reads `<root>/workers` with a child watch, set again on every event, and reports
 * each change; a new master reads the same node, so it takes over with the same worker view.
 *
 * Mastership is derived from the node: {@link MasterWorker.isMaster} is true only while
 * `<root>/master`, as last read, is owned by this client's live session (its `ephemeralOwner`
 * is our `sessionId`), never from a flag set once. Every answer is checked against the
 * generation it was asked in, so a late reply about an old session cannot make a second
 * master. After a session ends, with a client factory the candidate and the worker rejoin on a
 * fresh session; with a plain client the recipe goes to state `lost`.
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode, InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { Stat, WatchedEvent, Watcher } from '../types.js'
import { type ClientSource, SessionHolder } from './client-source.js'
import type { RevokeReason } from './leader-election.js'
import {
  bootstrap,
  checkRoot,
  createWorkerNode,
  deleteIfOwned,
  encodeMaster,
  isLostReply,
  type MasterInfo,
  readMaster,
  type WorkerInfo,
} from './master-worker-nodes.js'
import { type WorkersChanged, WorkerView } from './master-worker-view.js'
import { type RecipeOptions, type ResolvedRecipeOptions, resolveRecipeOptions } from './options.js'
import { SerialTasks } from './serial-tasks.js'
import { isAlive, type SessionEnd, sessionError } from './session.js'
import { checkWaitOptions, type WaitOptions, WaitScope, waitForElected } from './wait-scope.js'
import { joinPath } from './znode-paths.js'

/** States of a {@link MasterWorker}: `open` → `closed`, or `open` → `lost` (session over). */
export type MasterWorkerState = 'open' | 'lost' | 'closed'

/** Options of {@link MasterWorker}. */
export interface MasterWorkerOptions extends RecipeOptions {
  /** This process's id: the master's id in `<root>/master`, the worker's node name. */
  id: string
  /** How to reach this process (e.g. `host:port`). Default null. */
  address?: string | null
  /** The node under which `master` and `workers` live. Default `/`. */
  root?: string
}

/** Events of a {@link MasterWorker}. */
export interface MasterWorkerEvents {
  /**
   * This process became master. Its first `workers-changed` of the term follows once the
   * workers are read; until then {@link MasterWorker.workers} is empty.
   */
  elected: (event: { readonly id: string; readonly address: string | null }) => void
  /** This process stopped being master. */
  revoked: (event: { readonly reason: RevokeReason }) => void
  /** As master: the worker set was read for the first time in this term, or changed. */
  'workers-changed': (event: WorkersChanged) => void
  /** The session ended and there is no factory for a new one. */
  lost: (event: { readonly reason: SessionEnd }) => void
  /** A background step failed (it is tried again at the next watch or session change). */
  error: (event: { readonly error: unknown }) => void
}

/** Rounds of create → NODE_EXISTS → gone before a run for master gives up (heavy churn). */
const MAX_ROUNDS = 16

/**
 * One process of a master-worker system: a candidate for master, a worker, or both.
 *
 * @example
 * ```ts
 * const node = new MasterWorker(() => coordinator.connect(), { id: 'm1', address: 'h1:2181', clock })
 * node.on('workers-changed', ({ workers }) => assign(workers))
 * await node.runForMaster()
 * ```
 */
export class MasterWorker extends EventEmitter<MasterWorkerEvents> {
  /** This process's id. */
  readonly id: string
  /** This process's address. */
  readonly address: string | null
  /** The recipe's root. */
  readonly root: string
  /** `<root>/master`. */
  readonly masterPath: string
  /** `<root>/workers`. */
  readonly workersPath: string
  readonly #data: string
  readonly #options: ResolvedRecipeOptions
  readonly #session: SessionHolder
  readonly #closed = new AbortController()
  #state: MasterWorkerState = 'open'
  #candidate = false
  #worker = false
  #generation = 0
  /** `<root>/master` as last read in this generation; undefined once deleted. */
  #master: { info: MasterInfo; stat: Stat } | undefined
  /** The czxid of the `/master` node of the term this process reported `elected` for. */
  #term: number | undefined
  readonly #view = new WorkerView()
  #masterWatch: { generation: number; fn: Watcher } | undefined
  readonly #tasks = new SerialTasks(
    (generation) => generation === this.#generation && this.#state === 'open',
    (error, generation) => {
      if (generation === this.#generation && isAlive(this.#session.client)) {
        this.emit('error', { error })
      }
    },
  )

  /**
   * A candidate for master and/or a worker under `options.root`; nothing happens until
   * {@link MasterWorker.runForMaster} or {@link MasterWorker.registerWorker}.
   *
   * @param client - a client, or a factory of clients so the instance can rejoin after its session expires
   * @param options - the instance's `id` and `address`, the root path, clock, random and retries
   */
  constructor(client: ClientSource, options: MasterWorkerOptions) {
    super()
    if (typeof options?.id !== 'string' || options.id === '' || options.id.includes('/')) {
      throw new InvalidArgumentError('options.id must be a non-empty node name without /')
    }
    this.id = options.id
    this.address = options.address ?? null
    this.root = checkRoot(options.root ?? '/')
    this.masterPath = joinPath(this.root, 'master')
    this.workersPath = joinPath(this.root, 'workers')
    this.#data = encodeMaster(this.id, this.address)
    this.#options = resolveRecipeOptions(options)
    this.#session = new SessionHolder(client, (how) => this.#sessionEnded(how))
  }

  /** The state. */
  get state(): MasterWorkerState {
    return this.#state
  }

  /** Whether this process is master: `<root>/master` is owned by our live session. */
  get isMaster(): boolean {
    const client = this.#session.client
    return (
      this.#state === 'open' &&
      this.#candidate &&
      isAlive(client) &&
      this.#master !== undefined &&
      this.#master.stat.ephemeralOwner === client.sessionId
    )
  }

  /** As master, the workers as last read, sorted by id; empty when not master. */
  workers(): WorkerInfo[] {
    return this.isMaster ? this.#view.list(this.#term) : []
  }

  /** The current master as `<root>/master` says now, or undefined when there is none. */
  async master(): Promise<MasterInfo | undefined> {
    this.#checkOpen()
    return (await readMaster(this.#session.client, this.masterPath))?.info
  }

  /**
   * Run for master: resolves once this process is master or watches the one that is.
   * Fails with INVALID_ARGUMENT when already running, CLOSED or SESSION_EXPIRED when over.
   */
  async runForMaster(): Promise<void> {
    this.#checkOpen()
    if (this.#candidate) throw new InvalidArgumentError('already running for master')
    this.#candidate = true
    const generation = this.#generation
    await this.#tasks.run(generation, () => this.#run(generation), true)
  }

  /**
   * Register as a worker (`<root>/workers/<id>` holding the address). Fails with NODE_EXISTS
   * when another session holds that id, INVALID_ARGUMENT when already registered.
   */
  async registerWorker(): Promise<WorkerInfo> {
    this.#checkOpen()
    if (this.#worker) throw new InvalidArgumentError('already registered as a worker')
    this.#worker = true
    try {
      await this.#tasks.run(this.#generation, () => this.#register(), true)
    } catch (error) {
      this.#worker = false
      throw error
    }
    return { id: this.id, address: this.address, path: joinPath(this.workersPath, this.id) }
  }

  #checkOpen(): void {
    if (this.#state === 'closed') throw fromCode('CLOSED', 'the master-worker is closed')
    if (this.#state === 'lost') throw fromCode('SESSION_EXPIRED', 'the session is over')
    if (isAlive(this.#session.client)) return
    if (!this.#session.renewable) throw sessionError(this.#session.client)
    this.#generation++
    this.#session.renew()
  }

  async #register(): Promise<void> {
    const client = this.#session.client
    await bootstrap(client, this.root)
    const path = joinPath(this.workersPath, this.id)
    await createWorkerNode(client, path, this.address, this.#options.retries)
  }

  /** Create `<root>/master`; whatever the answer, read it back and watch it (checkMaster). */
  async #run(generation: number): Promise<void> {
    const client = this.#session.client
    let lostReplies = 0
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        await client.create(this.masterPath, this.#data, { mode: 'ephemeral' })
      } catch (error) {
        if (isLogkeeperError(error, 'NO_NODE')) await bootstrap(client, this.root)
        else if (isLostReply(error) && lostReplies++ < this.#options.retries) {
          // The create may have happened: reading the node back tells.
        } else if (!isLogkeeperError(error, 'NODE_EXISTS')) throw error
      }
      if (generation !== this.#generation) return
      const node = await readMaster(client, this.masterPath, this.#masterWatcher(generation))
      if (generation !== this.#generation) return
      if (node !== undefined) return this.#observe(node, generation)
    }
    throw fromCode('OPERATION_TIMEOUT', `${this.masterPath} kept changing; gave up for now`)
  }

  #masterWatcher(generation: number): Watcher {
    if (this.#masterWatch?.generation !== generation) {
      const fn = (event: WatchedEvent) => this.#masterChanged(event, generation)
      this.#masterWatch = { generation, fn }
    }
    return this.#masterWatch.fn
  }

  #masterChanged(event: WatchedEvent, generation: number): void {
    if (generation !== this.#generation || event.type.endsWith('Removed')) return
    if (event.type === 'NodeDeleted') {
      this.#master = undefined
      this.#stepDown('deleted')
    }
    void this.#tasks.run(generation, () => this.#run(generation))
  }

  async #observe(node: { info: MasterInfo; stat: Stat }, generation: number): Promise<void> {
    this.#master = node
    if (!this.isMaster) return this.#stepDown('deleted')
    if (this.#term === node.stat.czxid) return
    this.#term = node.stat.czxid
    this.emit('elected', { id: this.id, address: this.address })
    await this.#refreshWorkers(generation, node.stat.czxid)
  }

  /** Read the workers again (leaving a child watch) and report what changed. */
  async #refreshWorkers(generation: number, term: number): Promise<void> {
    if (this.#term !== term || !this.isMaster) return
    const watch = (event: WatchedEvent) => {
      if (!event.type.endsWith('Removed')) {
        void this.#tasks.run(generation, () => this.#refreshWorkers(generation, term))
      }
    }
    const current = () => generation === this.#generation && this.#term === term
    const change = await this.#view.read(this.#session.client, this.root, term, watch, current)
    if (change !== undefined && this.isMaster && this.listenerCount('workers-changed') > 0) {
      this.emit('workers-changed', change)
    }
  }

  #stepDown(reason: RevokeReason): void {
    const was = this.#term !== undefined
    this.#term = undefined
    this.#view.clear()
    if (was) this.emit('revoked', { reason })
  }

  #sessionEnded(how: SessionEnd): void {
    if (this.#state !== 'open') return
    this.#generation++
    this.#master = undefined
    this.#stepDown(how)
    if (!this.#session.renewable) {
      this.#state = 'lost'
      this.emit('lost', { reason: how })
      return
    }
    this.#session.renew()
    const generation = this.#generation
    if (this.#worker) void this.#tasks.run(generation, () => this.#register())
    if (this.#candidate) void this.#tasks.run(generation, () => this.#run(generation))
  }

  /**
   * Resolve once this process is master. Fails with TIMEOUT, ABORTED, CLOSED (closed, or not
   * running for master) or SESSION_EXPIRED (the recipe was lost).
   */
  async waitUntilMaster(options?: WaitOptions): Promise<void> {
    const wait = checkWaitOptions(options)
    if (this.isMaster) return
    if (this.#state === 'lost') throw fromCode('SESSION_EXPIRED', 'the session is over')
    if (this.#state !== 'open' || !this.#candidate) {
      throw fromCode('CLOSED', 'not running for master')
    }
    if (wait.timeoutMs === 0) throw fromCode('TIMEOUT', 'not the master')
    const scope = new WaitScope({
      clock: this.#options.clock,
      options: wait,
      closed: this.#closed.signal,
    })
    await waitForElected(this, scope, 'the session is over')
  }

  /** Resign: stop, delete `<root>/master` if ours and our worker node. Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return
    const wasOpen = this.#state === 'open'
    this.#state = 'closed'
    this.#generation++
    this.#closed.abort()
    this.#master = undefined
    this.#stepDown('resigned')
    await this.#tasks.idle()
    const client = this.#session.client
    if (wasOpen && isAlive(client)) {
      const retries = this.#options.retries
      if (this.#candidate) await deleteIfOwned(client, this.masterPath, retries).catch(() => {})
      if (this.#worker) {
        await deleteIfOwned(client, joinPath(this.workersPath, this.id), retries).catch(() => {})
      }
    }
    await this.#session.close()
  }
}

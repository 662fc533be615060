/**
 * Leader election (Curator's `LeaderLatch`). Each participant creates an ephemeral-sequential
 * node; the lowest node leads, every other participant watches only its predecessor. The
 * leadership is read from the tree, never kept as a free-standing flag: `isLeader` is true
 * only while the participant's own node is the one last seen lowest and its session is alive,
 * and every answer from the coordinator is checked against the generation (own node) it was
 * asked for, so a late reply about an old node cannot make a second leader (the cause of
 * Curator's apache/curator#980 and #740).
 *
 * States: `latent` → `started` → `closed`, and `started` → `lost` when the session ends and
 * no client factory was given (an expired client cannot be used again). With a factory the
 * election gets a fresh client and rejoins at the back of the line.
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode, InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { WatchedEvent } from '../types.js'
import { type ClientSource, SessionHolder } from './client-source.js'
import {
  encodeParticipant,
  LATCH_MARKER,
  type Participant,
  readParticipants,
} from './election-participants.js'
import { type RecipeOptions, type ResolvedRecipeOptions, resolveRecipeOptions } from './options.js'
import { createProtected, deleteOwned } from './protected-create.js'
import { SerialTasks } from './serial-tasks.js'
import { isAlive, type SessionEnd, sessionError } from './session.js'
import { checkWaitOptions, type WaitOptions, WaitScope, waitForElected } from './wait-scope.js'
import { checkBasePath, joinPath, nodeName, sortBySequence } from './znode-paths.js'

/** The states of an election. */
export type ElectionState = 'latent' | 'started' | 'lost' | 'closed'

/** Why leadership ended. */
export type RevokeReason = SessionEnd | 'deleted' | 'resigned'

/** Options of {@link LeaderElection}. */
export interface ElectionOptions extends RecipeOptions {
  /** This participant's id, stored in its node. */
  id: string
  /** Text stored beside the id (e.g. `host:port`). Default null. */
  data?: string | null
}

/** Events of a {@link LeaderElection}. */
export interface ElectionEvents {
  /** This participant became the leader. */
  elected: (event: { readonly path: string }) => void
  /** This participant stopped being the leader. */
  revoked: (event: { readonly path: string; readonly reason: RevokeReason }) => void
  /** The session ended and there is no factory for a new one: the election stopped. */
  lost: (event: { readonly reason: SessionEnd }) => void
  /** A background step failed (it is not retried until the next watch or session change). */
  error: (event: { readonly error: unknown }) => void
}

/**
 * One participant of a leader election on `path`.
 *
 * @example
 * ```ts
 * const election = new LeaderElection(() => coordinator.connect(), '/election/master',
 *   { id: 'node-1', data: 'host:8888', clock })
 * election.on('elected', () => startServing())
 * await election.start()
 * await election.waitForLeadership({ timeoutMs: 30_000 })
 * ```
 */
export class LeaderElection extends EventEmitter<ElectionEvents> {
  /** The election's node. */
  readonly path: string
  /** This participant's id. */
  readonly id: string
  readonly #data: string
  readonly #options: ResolvedRecipeOptions
  readonly #session: SessionHolder
  readonly #closed = new AbortController()
  #state: ElectionState = 'latent'
  #generation = 0
  #ours: string | undefined
  #leader: string | undefined
  readonly #tasks = new SerialTasks(
    (generation) => generation === this.#generation && this.#state === 'started',
    (error, generation) => {
      if (generation === this.#generation && isAlive(this.#session.client)) {
        this.emit('error', { error })
      }
    },
  )

  /**
   * A participant in the election under `path`; nothing happens until {@link LeaderElection.start}.
   *
   * @param client - a client, or a factory of clients so the participant can rejoin after its session expires
   * @param path - the election's node; participants are its ephemeral-sequential children
   * @param options - the participant's `id`, its `data`, clock, random and retries
   */
  constructor(client: ClientSource, path: string, options: ElectionOptions) {
    super()
    this.path = checkBasePath(path)
    if (typeof options?.id !== 'string')
      throw new InvalidArgumentError('options.id must be a string')
    const data: unknown = options.data
    if (data !== undefined && data !== null && typeof data !== 'string')
      throw new InvalidArgumentError('options.data must be a string or null')
    this.id = options.id
    this.#data = encodeParticipant(options.id, options.data ?? null)
    this.#options = resolveRecipeOptions(options)
    this.#session = new SessionHolder(client, (how) => this.#sessionEnded(how))
  }

  /** The election's state. */
  get state(): ElectionState {
    return this.#state
  }

  /** Whether this participant leads now: its own node is the lowest and its session alive. */
  get isLeader(): boolean {
    return (
      this.#state === 'started' &&
      this.#ours !== undefined &&
      this.#leader === this.#ours &&
      isAlive(this.#session.client)
    )
  }

  /** This participant's node, while it has one. */
  get nodePath(): string | undefined {
    return this.#ours
  }

  /** Join the election. Fails with INVALID_ARGUMENT unless the state is `latent`. */
  async start(): Promise<void> {
    if (this.#state === 'closed') throw fromCode('CLOSED', 'the election is closed')
    if (this.#state !== 'latent') {
      throw new InvalidArgumentError(`start() needs state latent, not ${this.#state}`)
    }
    const client = this.#session.client
    if (!isAlive(client) && !this.#session.renewable) {
      this.#state = 'lost'
      throw sessionError(client)
    }
    if (!isAlive(client)) this.#session.renew()
    this.#state = 'started'
    await this.#tasks.run(this.#generation, () => this.#join(), true)
  }

  async #join(): Promise<void> {
    const generation = this.#generation
    const client = this.#session.client
    const node = await createProtected(
      client,
      { parent: this.path, name: LATCH_MARKER, data: this.#data, mode: 'ephemeral-sequential' },
      this.#options,
    )
    if (generation !== this.#generation || this.#state !== 'started') {
      await deleteOwned(client, node.path, this.#options.retries)
      return
    }
    this.#ours = node.path
    await this.#check(generation)
  }

  /** Read the line and lead, or watch the predecessor. */
  async #check(generation: number): Promise<void> {
    const client = this.#session.client
    for (;;) {
      const ours = this.#ours
      if (ours === undefined) return
      const sorted = sortBySequence(await client.getChildren(this.path), LATCH_MARKER)
      if (generation !== this.#generation || ours !== this.#ours) return
      const index = sorted.indexOf(nodeName(ours))
      if (index < 0) return this.#nodeGone(ours)
      if (index === 0) return this.#lead(ours, generation)
      this.#follow(ours)
      const watch = () => void this.#tasks.run(generation, () => this.#check(generation))
      try {
        await client.getData(joinPath(this.path, sorted[index - 1]!), { watch })
        return
      } catch (error) {
        if (!isLogkeeperError(error, 'NO_NODE')) throw error
      }
    }
  }

  async #lead(ours: string, generation: number): Promise<void> {
    const client = this.#session.client
    const watch = (event: WatchedEvent) => {
      if (event.type === 'NodeDeleted')
        void this.#tasks.run(generation, () => this.#check(generation))
    }
    try {
      await client.getData(ours, { watch })
    } catch (error) {
      if (isLogkeeperError(error, 'NO_NODE')) return this.#nodeGone(ours)
      throw error
    }
    if (generation !== this.#generation || this.#leader === ours) return
    this.#leader = ours
    if (this.isLeader) this.emit('elected', { path: ours })
  }

  #follow(ours: string): void {
    if (this.#leader !== ours) return
    this.#leader = undefined
    this.emit('revoked', { path: ours, reason: 'deleted' })
  }

  /** Someone deleted our node: step down and join again. */
  async #nodeGone(ours: string): Promise<void> {
    this.#generation++
    this.#ours = undefined
    this.#revoke(ours, 'deleted')
    if (isAlive(this.#session.client)) void this.#tasks.run(this.#generation, () => this.#join())
  }

  #revoke(ours: string, reason: RevokeReason): void {
    const wasLeader = this.#leader === ours
    this.#leader = undefined
    if (wasLeader) this.emit('revoked', { path: ours, reason })
  }

  #sessionEnded(how: SessionEnd): void {
    if (this.#state !== 'started') return
    this.#generation++
    const ours = this.#ours
    this.#ours = undefined
    if (ours !== undefined) this.#revoke(ours, how)
    if (this.#session.renewable) {
      this.#session.renew()
      void this.#tasks.run(this.#generation, () => this.#join())
      return
    }
    this.#state = 'lost'
    this.emit('lost', { reason: how })
  }

  /**
   * Resolve once this participant leads. Fails with TIMEOUT, ABORTED, CLOSED (closed, or
   * never started) or SESSION_EXPIRED (the election was lost).
   */
  async waitForLeadership(options?: WaitOptions): Promise<void> {
    const wait = checkWaitOptions(options)
    if (this.isLeader) return
    if (this.#state === 'lost') throw fromCode('SESSION_EXPIRED', 'the election was lost')
    if (this.#state !== 'started') throw fromCode('CLOSED', `the election is ${this.#state}`)
    if (wait.timeoutMs === 0) throw fromCode('TIMEOUT', 'not the leader')
    const scope = new WaitScope({
      clock: this.#options.clock,
      options: wait,
      closed: this.#closed.signal,
    })
    await waitForElected(this, scope, 'the election was lost')
  }

  /** Every participant, leader first. */
  getParticipants(): Promise<Participant[]> {
    return readParticipants(this.#session.client, this.path)
  }

  /** The leader, or undefined when nobody takes part. */
  async getLeader(): Promise<Participant | undefined> {
    return (await this.getParticipants())[0]
  }

  /** Resign: delete this participant's node and stop. Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#generation++
    this.#closed.abort()
    const ours = this.#ours
    this.#ours = undefined
    const client = this.#session.client
    if (ours !== undefined) {
      this.#revoke(ours, 'resigned')
      if (isAlive(client)) await deleteOwned(client, ours, this.#options.retries).catch(() => {})
    }
    await this.#tasks.idle()
    await this.#session.close()
  }
}

/**
 * A granted lock or lease. Ownership is the handle's own ephemeral node: the handle is held
 * while that node is there and its session alive, and it is revoked the moment either goes
 * (the session's `expired`/`closed` event, or a watch on the node firing NodeDeleted), with a
 * `lost` event and an aborted {@link LockHandle.signal}. `held` also reads the session state
 * synchronously, so it is false from the instant the session is lost, before any event.
 */
import { EventEmitter } from 'eventemitter3'
import { fromCode, isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient, WatchedEvent } from '../types.js'
import { deleteOwned, type ProtectedNode } from './protected-create.js'
import { isAlive, onSessionEnd } from './session.js'

/** Why a handle was revoked. */
export type LockLostReason = 'expired' | 'closed' | 'deleted'

/** Events of a {@link LockHandle}. */
export interface LockHandleEvents {
  /** The lock was taken away: the session ended or the node was deleted by someone else. */
  lost: (event: { readonly path: string; readonly reason: LockLostReason }) => void
}

/** Where a handle reports its end to the recipe that granted it. */
export type HandleEndListener = (handle: LockHandle, reason: LockLostReason | 'released') => void

/**
 * A held lock (or semaphore lease). Release it with {@link LockHandle.release} or
 * `await using`.
 */
export class LockHandle extends EventEmitter<LockHandleEvents> implements AsyncDisposable {
  /** The path of the handle's own ephemeral-sequential node. */
  readonly path: string
  /**
   * The fencing token: the czxid of the handle's node (the zxid of its create). Zxids grow
   * with every write to the coordinator, so each grant of a lock gets a larger token than
   * every earlier grant, also across deletion and re-creation of the lock's parent, which
   * would restart sequence numbers. Pass it to the guarded resource, which refuses any token
   * smaller than the largest it has seen.
   */
  readonly fencingToken: number
  /** The session that owns the node. */
  readonly sessionId: number
  readonly #client: CoordinatorClient
  readonly #retries: number
  readonly #onEnd: HandleEndListener
  /** Made on the first read of {@link LockHandle.signal}: most handles are never asked. */
  #controller: AbortController | undefined
  /** Why the handle ended (released or lost), as the signal's abort reason will say. */
  #ended: { code: 'CLOSED' | 'SESSION_EXPIRED' | 'NO_NODE'; message: string } | undefined
  readonly #unsubscribe: () => void
  #state: 'held' | 'released' | 'lost' = 'held'
  #releasing: Promise<void> | undefined

  /** @internal Handles are made by the lock recipes. */
  constructor(
    client: CoordinatorClient,
    node: ProtectedNode,
    retries: number,
    onEnd: HandleEndListener,
  ) {
    super()
    this.path = node.path
    this.fencingToken = node.czxid
    this.sessionId = client.sessionId
    this.#client = client
    this.#retries = retries
    this.#onEnd = onEnd
    this.#unsubscribe = onSessionEnd(client, (how) => this.#lose(how))
  }

  /** Whether the lock is held now: not released, node not lost, session alive. */
  get held(): boolean {
    return this.#state === 'held' && isAlive(this.#client)
  }

  /** Aborts when the lock is released or lost: hand it to the work the lock guards. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#ended !== undefined) this.#abort()
    }
    return this.#controller.signal
  }

  #end(code: 'CLOSED' | 'SESSION_EXPIRED' | 'NO_NODE', message: string): void {
    if (this.#ended !== undefined) return
    this.#ended = { code, message }
    if (this.#controller !== undefined) this.#abort()
  }

  #abort(): void {
    const ended = this.#ended
    if (ended !== undefined) this.#controller?.abort(fromCode(ended.code, ended.message))
  }

  /** @internal Watch the handle's own node so a deletion by someone else revokes it. */
  async watchOwnNode(): Promise<void> {
    const watcher = (event: WatchedEvent) => {
      if (event.type === 'NodeDeleted') this.#lose('deleted')
    }
    try {
      await this.#client.getData(this.path, { watch: watcher })
    } catch (error) {
      if (isLogkeeperError(error, 'NO_NODE')) this.#lose('deleted')
      else throw error
    }
  }

  #lose(reason: LockLostReason): void {
    if (this.#state !== 'held') return
    this.#state = 'lost'
    this.#unsubscribe()
    const code =
      reason === 'expired' ? 'SESSION_EXPIRED' : reason === 'closed' ? 'CLOSED' : 'NO_NODE'
    this.#end(code, `lock ${this.path} lost: ${reason}`)
    this.#onEnd(this, reason)
    this.emit('lost', { path: this.path, reason })
  }

  /**
   * Give the lock up: delete the node. Idempotent: later calls return the first call's
   * promise; releasing a lost handle does nothing.
   */
  release(): Promise<void> {
    if (this.#releasing !== undefined) return this.#releasing
    const wasHeld = this.#state === 'held'
    this.#state = 'released'
    this.#unsubscribe()
    this.#end('CLOSED', `lock ${this.path} released`)
    if (wasHeld) this.#onEnd(this, 'released')
    this.#releasing = wasHeld
      ? deleteOwned(this.#client, this.path, this.#retries)
      : Promise.resolve()
    return this.#releasing
  }

  /** `await using handle = await lock.acquire()` releases at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release()
  }
}

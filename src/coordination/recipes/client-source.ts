/**
 * Where a long-lived recipe (election, caches, registry) gets its client. An expired session
 * cannot be revived (ZooKeeper's rule: after expiry a client handle is dead), so a recipe
 * that should outlive its session takes a factory and asks it for a fresh client; given a
 * plain client, the recipe stops when that client's session ends.
 */
import { InvalidArgumentError } from '../../common/errors.js'
import type { CoordinatorClient } from '../types.js'
import { onSessionEnd, type SessionEnd } from './session.js'

/** A client, or a factory of fresh clients (each call opens a new session). */
export type ClientSource = CoordinatorClient | (() => CoordinatorClient)

/** Holds a recipe's current client and renews it from a factory after its session ends. */
export class SessionHolder {
  readonly #factory: (() => CoordinatorClient) | undefined
  readonly #onEnd: (how: SessionEnd) => void
  #client: CoordinatorClient
  #unsubscribe: () => void
  #closed = false

  /** `onEnd` hears when the current client's session ends (not when {@link close}d). */
  constructor(source: ClientSource, onEnd: (how: SessionEnd) => void) {
    if (typeof source === 'function') this.#factory = source
    else if (typeof source !== 'object' || source === null) {
      throw new InvalidArgumentError('client must be a CoordinatorClient or a factory of them')
    }
    this.#onEnd = onEnd
    this.#client = this.#factory?.() ?? (source as CoordinatorClient)
    this.#unsubscribe = this.#subscribe()
  }

  #subscribe(): () => void {
    const client = this.#client
    return onSessionEnd(client, (how) => {
      if (!this.#closed && client === this.#client) this.#onEnd(how)
    })
  }

  /** The current client. */
  get client(): CoordinatorClient {
    return this.#client
  }

  /** Whether a fresh client can be had ({@link renew}). */
  get renewable(): boolean {
    return this.#factory !== undefined && !this.#closed
  }

  /** Replace the client with a fresh one from the factory; closes the old one. */
  renew(): CoordinatorClient {
    if (this.#factory === undefined || this.#closed) {
      throw new InvalidArgumentError('no client factory to renew the session from')
    }
    this.#unsubscribe()
    const old = this.#client
    void old.close().catch(() => {})
    this.#client = this.#factory()
    this.#unsubscribe = this.#subscribe()
    return this.#client
  }

  /** Stop listening; close the client when it came from the factory. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#unsubscribe()
    if (this.#factory !== undefined) await this.#client.close().catch(() => {})
  }
}

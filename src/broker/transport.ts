/**
 * How requests reach brokers. Clients (producer, consumer, admin) and brokers (followers
 * fetching, the controller sending LeaderAndIsr) call {@link Transport.send}; the
 * {@link InProcessTransport} hands the request object to the broker's {@link RequestHandler}
 * directly, and can be told to delay, drop or cut traffic, for tests. A later wire listener
 * is another transport: the request objects of `api.ts` stay the same.
 */
import type { Clock } from '../common/clock.js'
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import type { ApiName, ApiRequests, ApiResponses, BrokerId, RequestHandler } from './api.js'

/**
 * Who sends or receives: a broker id (a number), or a client's name (a string such as
 * `producer-1`, or `client` for clients that gave none).
 */
export type NodeId = BrokerId | string

/** Sends requests to brokers. */
export interface Transport {
  /**
   * Send `request` from `from` to broker `to`. Rejects with `NETWORK_EXCEPTION` (retriable)
   * when the broker is down or the link is cut, or when the response is lost.
   */
  send<K extends ApiName>(
    from: NodeId,
    to: BrokerId,
    api: K,
    request: ApiRequests[K],
  ): Promise<ApiResponses[K]>
}

/** Which messages a drop rule matches. Every field given must match; none given matches all. */
export interface DropRule {
  /** The sender. */
  readonly from?: NodeId
  /** The broker. */
  readonly to?: BrokerId
  /** The API. */
  readonly api?: ApiName
  /**
   * `request`: the broker never sees it; `response` (default): the broker serves it and the
   * answer is lost, so the sender cannot know whether it took effect.
   */
  readonly direction?: 'request' | 'response'
  /** Drop this many matching messages, then the rule ends. Default: until removed. */
  readonly count?: number
  /** Drop each matching message with this probability (default 1), using the given random. */
  readonly probability?: number
}

/** A rule in force; `remove()` ends it. */
export interface FaultHandle {
  /** End the fault. */
  remove(): void
}

interface Registration {
  readonly handler: RequestHandler
  readonly pending: Set<(err: Error) => void>
}

interface ActiveDrop extends DropRule {
  left: number
}

function unreachable(from: NodeId, to: BrokerId, why: string): Error {
  return fromCode('NETWORK_EXCEPTION', `broker ${to} is not reachable from ${String(from)}: ${why}`)
}

function linkKey(a: NodeId, b: NodeId): string {
  const [x, y] = [String(a), String(b)].sort()
  return `${x}\u0000${y}`
}

/**
 * The in-process transport: a direct call to the broker's handler, with faults on demand.
 * Without faults a send is one map lookup and the handler's own promise.
 */
export class InProcessTransport implements Transport {
  readonly #brokers = new Map<BrokerId, Registration>()
  readonly #cuts = new Set<string>()
  readonly #isolated = new Set<NodeId>()
  readonly #slow = new Map<NodeId, number>()
  readonly #drops = new Set<ActiveDrop>()
  /** Messages held by a slow link, by the broker they go to (unregistering it ends them). */
  readonly #delayed = new Map<BrokerId, Set<AbortController>>()
  #faulty = false

  /**
   * A transport whose delays run on `clock`, and whose probabilistic drops draw from `chance`
   * (a function returning a float in [0, 1), e.g. a seeded `Random`'s `next`).
   */
  constructor(
    private readonly clock: Clock,
    private readonly chance: () => number = () => 0,
  ) {}

  /** Make broker `id` reachable through `handler` (a broker starting). */
  register(id: BrokerId, handler: RequestHandler): void {
    if (this.#brokers.has(id)) throw new InvalidArgumentError(`broker ${id} is already registered`)
    this.#brokers.set(id, { handler, pending: new Set() })
  }

  /**
   * Make broker `id` unreachable (a broker stopping or crashing): every request in flight to
   * it fails with `NETWORK_EXCEPTION` at once, as a closed connection does.
   */
  unregister(id: BrokerId): void {
    const reg = this.#brokers.get(id)
    if (!reg) return
    this.#brokers.delete(id)
    const err = unreachable('anyone', id, 'the broker went away')
    for (const reject of reg.pending) reject(err)
    reg.pending.clear()
    const delayed = this.#delayed.get(id)
    this.#delayed.delete(id)
    for (const held of delayed ?? []) held.abort(err)
  }

  /** Whether broker `id` is registered (up). */
  isUp(id: BrokerId): boolean {
    return this.#brokers.has(id)
  }

  /** Cut the link between `a` and `b` (both directions) until {@link heal}. */
  cut(a: NodeId, b: NodeId): void {
    this.#cuts.add(linkKey(a, b))
    this.#update()
  }

  /** Cut `node` off from every other node until {@link heal}. */
  isolate(node: NodeId): void {
    this.#isolated.add(node)
    this.#update()
  }

  /** Heal the link between `a` and `b`, or with no arguments every cut and isolation. */
  heal(a?: NodeId, b?: NodeId): void {
    if (a === undefined) {
      this.#cuts.clear()
      this.#isolated.clear()
    } else if (b === undefined) {
      this.#isolated.delete(a)
      for (const key of [...this.#cuts])
        if (key.split('\u0000').includes(String(a))) this.#cuts.delete(key)
    } else {
      this.#cuts.delete(linkKey(a, b))
    }
    this.#update()
  }

  /** Delay every message sent by or to `node` by `ms` each way (0 ends it): a slow node. */
  slow(node: NodeId, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new InvalidArgumentError(`delay must be ≥ 0 ms, got ${describe(ms)}`)
    if (ms === 0) this.#slow.delete(node)
    else this.#slow.set(node, ms)
    this.#update()
  }

  /** Drop messages matching `rule` until it is removed or its `count` is used up. */
  drop(rule: DropRule = {}): FaultHandle {
    const p = rule.probability ?? 1
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw new InvalidArgumentError(`probability must be in [0, 1], got ${describe(p)}`)
    const active: ActiveDrop = { ...rule, left: rule.count ?? Number.POSITIVE_INFINITY }
    this.#drops.add(active)
    this.#update()
    return {
      remove: () => {
        this.#drops.delete(active)
        this.#update()
      },
    }
  }

  /** Whether a message between `a` and `b` would get through the cuts now. */
  connected(a: NodeId, b: NodeId): boolean {
    return !(this.#isolated.has(a) || this.#isolated.has(b) || this.#cuts.has(linkKey(a, b)))
  }

  #update(): void {
    this.#faulty =
      this.#cuts.size > 0 || this.#isolated.size > 0 || this.#slow.size > 0 || this.#drops.size > 0
  }

  send<K extends ApiName>(
    from: NodeId,
    to: BrokerId,
    api: K,
    request: ApiRequests[K],
  ): Promise<ApiResponses[K]> {
    const reg = this.#brokers.get(to)
    if (!reg) return Promise.reject(unreachable(from, to, 'the broker is down'))
    if (!this.#faulty) return this.#call(reg, api, request, from, to)
    return this.#sendWithFaults(from, to, api, request)
  }

  #call<K extends ApiName>(
    reg: Registration,
    api: K,
    request: ApiRequests[K],
    from: NodeId,
    to: BrokerId,
  ): Promise<ApiResponses[K]> {
    return new Promise<ApiResponses[K]>((resolve, reject) => {
      reg.pending.add(reject)
      reg.handler.handle(api, request).then(
        (response) => {
          if (!reg.pending.delete(reject)) return
          // A link cut while the broker worked loses the answer.
          if (this.#faulty && !this.connected(from, to)) {
            reject(unreachable(from, to, 'the link was cut before the answer'))
          } else resolve(response)
        },
        (err: unknown) => {
          if (reg.pending.delete(reject)) reject(err)
        },
      )
    })
  }

  #dropMatch(from: NodeId, to: BrokerId, api: ApiName, direction: 'request' | 'response'): boolean {
    for (const rule of this.#drops) {
      if ((rule.direction ?? 'response') !== direction) continue
      if (rule.from !== undefined && rule.from !== from) continue
      if (rule.to !== undefined && rule.to !== to) continue
      if (rule.api !== undefined && rule.api !== api) continue
      if (rule.probability !== undefined && this.chance() >= rule.probability) continue
      rule.left--
      if (rule.left <= 0) this.#drops.delete(rule)
      this.#update()
      return true
    }
    return false
  }

  /**
   * Hold a message on a slow link for `ms`. The broker it goes to going away ends the wait
   * with `NETWORK_EXCEPTION` at once (a closed connection), so no timer outlives the broker.
   */
  async #hold(to: BrokerId, ms: number): Promise<void> {
    const held = new AbortController()
    let set = this.#delayed.get(to)
    if (set === undefined) {
      set = new Set()
      this.#delayed.set(to, set)
    }
    set.add(held)
    try {
      await this.clock.sleep(ms, held.signal)
    } finally {
      set.delete(held)
      if (set.size === 0 && this.#delayed.get(to) === set) this.#delayed.delete(to)
    }
  }

  async #sendWithFaults<K extends ApiName>(
    from: NodeId,
    to: BrokerId,
    api: K,
    request: ApiRequests[K],
  ): Promise<ApiResponses[K]> {
    const delay = (this.#slow.get(from) ?? 0) + (from === to ? 0 : (this.#slow.get(to) ?? 0))
    if (delay > 0) await this.#hold(to, delay)
    if (!this.connected(from, to)) throw unreachable(from, to, 'the link is cut')
    if (this.#dropMatch(from, to, api, 'request'))
      throw unreachable(from, to, 'the request was lost')
    const reg = this.#brokers.get(to)
    if (!reg) throw unreachable(from, to, 'the broker is down')
    const response = await this.#call(reg, api, request, from, to)
    if (delay > 0) await this.#hold(to, delay)
    if (!this.connected(from, to)) throw unreachable(from, to, 'the link was cut before the answer')
    if (this.#dropMatch(from, to, api, 'response'))
      throw unreachable(from, to, 'the response was lost')
    return response
  }
}

/**
 * The controller's requests to brokers (Kafka's `ControllerChannelManager`): one queue per
 * live broker, sent in order through the transport, one at a time. A request that fails
 * (the broker is unreachable) is sent again after a backoff while the broker is live; when the
 * broker dies its queue is dropped (the controller sends it its full state when it returns).
 */
import type { Clock } from '../../common/clock.js'
import { fromCode } from '../../common/errors.js'
import type { ApiName, ApiRequests, ApiResponses, BrokerId } from '../api.js'
import type { Transport } from '../transport.js'

/** How long the controller waits before sending a failed request again. */
export const CONTROLLER_RETRY_BACKOFF_MS = 100

interface Item {
  readonly api: ApiName
  readonly request: unknown
  readonly settle: (response: unknown, error?: unknown) => void
}

class BrokerQueue {
  readonly items: Item[] = []
  readonly stop = new AbortController()
  running = false
}

/** Per-broker request queues of one controller. */
export class ControllerChannel {
  readonly #queues = new Map<BrokerId, BrokerQueue>()
  readonly #drainWaiters = new Set<() => void>()
  #closed = false

  /** Sends as broker `from` through `transport`, waiting on `clock` between retries. */
  constructor(
    private readonly transport: Transport,
    private readonly from: BrokerId,
    private readonly clock: Clock,
  ) {}

  /** Start a queue for broker `id` (it became live). */
  addBroker(id: BrokerId): void {
    if (!this.#closed && !this.#queues.has(id)) this.#queues.set(id, new BrokerQueue())
  }

  /** Drop broker `id`'s queue (it died): what was queued fails with `BROKER_NOT_AVAILABLE`. */
  removeBroker(id: BrokerId): void {
    const queue = this.#queues.get(id)
    if (queue === undefined) return
    this.#queues.delete(id)
    queue.stop.abort()
    const err = fromCode('BROKER_NOT_AVAILABLE', `broker ${id} is not live`)
    for (const item of queue.items.splice(0)) item.settle(undefined, err)
    this.#checkDrained()
  }

  /** Whether every queue is empty and idle. */
  get isDrained(): boolean {
    for (const queue of this.#queues.values()) {
      if (queue.running || queue.items.length > 0) return false
    }
    return true
  }

  /** Resolves once every queue is empty: every broker live now has what was sent to it. */
  drained(): Promise<void> {
    if (this.isDrained) return Promise.resolve()
    return new Promise((resolve) => this.#drainWaiters.add(resolve))
  }

  #checkDrained(): void {
    if (this.#drainWaiters.size === 0 || !this.isDrained) return
    const waiters = [...this.#drainWaiters]
    this.#drainWaiters.clear()
    for (const resolve of waiters) resolve()
  }

  /** Whether broker `id` has a queue. */
  has(id: BrokerId): boolean {
    return this.#queues.has(id)
  }

  /**
   * Queue a request to broker `to`; the promise settles with its response, or rejects when
   * the broker dies or the channel closes first. Callers that do not care may ignore it.
   */
  send<K extends ApiName>(to: BrokerId, api: K, request: ApiRequests[K]): Promise<ApiResponses[K]> {
    const queue = this.#queues.get(to)
    if (queue === undefined) {
      return Promise.reject(fromCode('BROKER_NOT_AVAILABLE', `broker ${to} is not live`))
    }
    const result = new Promise<ApiResponses[K]>((resolve, reject) => {
      queue.items.push({
        api,
        request,
        settle: (response, error) =>
          error === undefined ? resolve(response as ApiResponses[K]) : reject(error),
      })
    })
    result.catch(() => undefined)
    if (!queue.running) void this.#run(to, queue)
    return result
  }

  async #run(to: BrokerId, queue: BrokerQueue): Promise<void> {
    queue.running = true
    try {
      while (queue.items.length > 0 && !queue.stop.signal.aborted) {
        const item = queue.items[0]!
        try {
          const response = await this.transport.send(
            this.from,
            to,
            item.api,
            item.request as ApiRequests[ApiName],
          )
          if (queue.stop.signal.aborted) return
          queue.items.shift()
          item.settle(response)
        } catch {
          if (queue.stop.signal.aborted) return
          try {
            await this.clock.sleep(CONTROLLER_RETRY_BACKOFF_MS, queue.stop.signal)
          } catch {
            return
          }
        }
      }
    } finally {
      queue.running = false
      this.#checkDrained()
    }
  }

  /** Drop every queue (the controller resigned). */
  close(): void {
    this.#closed = true
    for (const id of [...this.#queues.keys()]) this.removeBroker(id)
    this.#checkDrained()
  }
}

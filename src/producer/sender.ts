/**
 * The sender (Kafka's Sender, without a thread): drains ready batches into produce requests,
 * one per leader, and handles the answers. A drain runs in a microtask after records arrive
 * with `lingerMs` 0, when a batch fills, when a response comes back, and on one timer set at the
 * next moment something falls due (a linger, a retry backoff, a delivery deadline).
 *
 * Order: a partition has at most `maxInFlightRequests` batches in flight; a batch sent again
 * goes only when nothing else of its partition is in flight, so batches behind it that fail
 * in turn (an idempotent leader answers them `OUT_OF_ORDER_SEQUENCE_NUMBER`) follow it in order.
 */

import type { EventEmitter } from 'eventemitter3'
import type { ProduceResponse } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { isRetriable } from '../client/retry.js'
import type { Clock, Timer } from '../common/clock.js'
import { fromCode, isLogkeeperError } from '../common/errors.js'
import type { Accumulator, PartitionQueue } from './accumulator.js'
import type { ProducerBatch } from './batch.js'
import type { ProducerEvents } from './events.js'
import { NO_IDENTITY, type ProducerIdManager } from './idempotence.js'
import type { ResolvedProducerOptions } from './options.js'
import { answerFor, PendingRequest } from './produce-request.js'

/** Errors after which the leader may have moved: refresh the metadata before the retry. */
const STALE_METADATA = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'REQUEST_TIMED_OUT',
  'KAFKA_STORAGE_ERROR',
])

const noop = () => {}

/** What the sender works with. */
export interface SenderContext {
  /** The cluster client. */
  readonly client: ClusterClient
  /** Time. */
  readonly clock: Clock
  /** The batches. */
  readonly accumulator: Accumulator
  /** The options. */
  readonly options: ResolvedProducerOptions
  /** The producer id, when idempotent. */
  readonly idempotence: ProducerIdManager | undefined
  /** Where events go. */
  readonly events: EventEmitter<ProducerEvents>
}

/** Sends what the accumulator holds. */
export class Sender {
  readonly #c: SenderContext
  #scheduled = false
  #wake: Timer | undefined
  #forceClose = false
  #stopped = false
  #metadataStale = false
  #metadataBusy = false
  #metadataRetryAt = 0
  #pidRetryAt = 0
  #pidAttempts = 0

  /**
   * A sender over `context`.
   *
   * @param context - client, clock, accumulator, options, idempotence and events
   */
  constructor(context: SenderContext) {
    this.#c = context
  }

  /** Drain in a microtask (several calls in one turn drain once). */
  schedule(): void {
    if (this.#scheduled || this.#stopped) return
    this.#scheduled = true
    queueMicrotask(() => {
      this.#scheduled = false
      this.drain()
    })
  }

  /** Drain at clock time `at` at the latest. */
  wakeAt(at: number): void {
    if (this.#stopped || (this.#wake !== undefined && this.#wake.deadline <= at)) return
    const clock = this.#c.clock
    clock.clearTimeout(this.#wake)
    this.#wake = clock.setTimeout(
      () => {
        this.#wake = undefined
        this.drain()
      },
      Math.max(0, at - clock.now()),
      { ref: true },
    )
  }

  /** Close every open batch and send (flush). */
  flush(): void {
    this.#forceClose = true
    this.drain()
  }

  /** Stop: clear the timer; nothing is sent any more. */
  stop(): void {
    this.#stopped = true
    this.#c.clock.clearTimeout(this.#wake)
    this.#wake = undefined
  }

  /** Send what can be sent now; set the timer for what falls due later. */
  drain(): void {
    if (this.#stopped) return
    const { accumulator, clock } = this.#c
    const now = clock.now()
    const forceClose = this.#forceClose
    this.#forceClose = false
    let next = Number.POSITIVE_INFINITY
    const canSend = this.#idempotenceReady(now)
    // Waiting for in-flight batches or an InitProducerId answer needs no timer (both
    // schedule a drain); only a backoff after a failed InitProducerId does.
    if (!canSend && this.#pidRetryAt > now) next = Math.min(next, this.#pidRetryAt)
    const requests = new Map<string, PendingRequest>()
    let needMetadata = this.#metadataStale
    for (const q of accumulator.active) {
      next = Math.min(next, this.#expire(q, now))
      const open = q.open
      if (open !== undefined) {
        const due = open.createdAt + this.#c.options.lingerMs
        if (forceClose || due <= now) accumulator.close(q)
        else next = Math.min(next, due)
      }
      if (!q.busy) {
        accumulator.active.delete(q)
        continue
      }
      if (!canSend) continue
      const r = this.#collect(q, now, requests)
      if (r < 0) needMetadata = true
      else next = Math.min(next, r)
    }
    for (const req of requests.values()) this.#send(req)
    if (needMetadata) next = Math.min(next, this.#refreshMetadata(now))
    if (next < Number.POSITIVE_INFINITY) this.wakeAt(next)
  }

  /** Whether batches may be sent now (idempotence: a producer id is in place). */
  #idempotenceReady(now: number): boolean {
    const pid = this.#c.idempotence
    if (pid === undefined || pid.state === 'ready') return true
    if (pid.state === 'initializing') return false
    if (pid.state === 'reset-pending') {
      for (const q of this.#c.accumulator.active) if (q.inFlight.length > 0) return false
    }
    if (now < this.#pidRetryAt) return false
    pid.init().then(
      () => {
        this.#pidAttempts = 0
        this.schedule()
      },
      () => {
        this.#pidRetryAt = this.#c.clock.now() + this.#backoff(++this.#pidAttempts)
        this.schedule()
      },
    )
    return false
  }

  /** Fail batches past their delivery deadline (not in flight); returns the next deadline. */
  #expire(q: PartitionQueue, now: number): number {
    const { deliveryTimeoutMs } = this.#c.options
    while (q.ready.length > 0 && (q.ready[0] as ProducerBatch).deadline <= now) {
      const batch = q.ready.shift() as ProducerBatch
      this.#failed(batch, () => batch.expire(now, deliveryTimeoutMs))
    }
    if (q.open !== undefined && q.open.deadline <= now) {
      const batch = q.open
      q.open = undefined
      this.#failed(batch, () => batch.expire(now, deliveryTimeoutMs))
    }
    return Math.min(q.ready[0]?.deadline ?? Infinity, q.open?.deadline ?? Infinity)
  }

  /**
   * Take the batches of `q` that may go now into requests. Returns -1 when the leader is
   * unknown, else the time a waiting retry falls due (or Infinity).
   */
  #collect(q: PartitionQueue, now: number, requests: Map<string, PendingRequest>): number {
    const { maxInFlightRequests, maxRequestSize } = this.#c.options
    const pid = this.#c.idempotence
    let round = 0
    while (q.ready.length > 0) {
      const head = q.ready[0] as ProducerBatch
      if (head.retryAt > now) return head.retryAt
      if (head.attempts > 0 && q.inFlight.length > 0) break
      if (q.inFlight.length >= maxInFlightRequests) break
      const leader = this.#c.client.snapshot?.leaderOf(q.topic, q.partition) ?? -1
      if (leader < 0) return -1
      // A batch that failed here is off the queue: the next one may go now.
      if (!this.#encode(q, head, pid)) continue
      const key = `${leader}:${head.acks}:${head.timeoutMs}:${round++}`
      let req = requests.get(key)
      if (req === undefined) {
        req = new PendingRequest(leader, head.acks, head.timeoutMs)
        requests.set(key, req)
      } else if (req.sizeBytes + (head.bytes?.length ?? 0) > maxRequestSize) break
      q.ready.shift()
      req.add(q, head)
      if (head.acks !== 0) q.inFlight.push(head)
    }
    return Number.POSITIVE_INFINITY
  }

  /** Encode a batch on its first send; give it the new producer id after a reset. */
  #encode(q: PartitionQueue, batch: ProducerBatch, pid: ProducerIdManager | undefined): boolean {
    try {
      if (batch.bytes === undefined)
        batch.encode(pid ? pid.next(q, batch.recordCount) : NO_IDENTITY)
      else if (pid && batch.identity?.producerId !== pid.producerId) {
        // A batch already sent under the old id may have been written: sent again under a
        // new id the leader could not recognise it, and it would be written twice. It fails
        // instead, with the error of its last attempt (its fate is unknown, as in Kafka).
        if (batch.attempts > 0) throw batch.lastError ?? unknownFate(batch)
        batch.reidentify(pid.next(q, batch.recordCount))
      }
      return true
    } catch (err) {
      q.ready.shift()
      this.#failed(batch, () => batch.fail(err))
      return false
    }
  }

  #send(req: PendingRequest): void {
    const { client, clock, events, options } = this.#c
    for (const b of req.batches) b.attempts++
    if (events.listenerCount('request') > 0) {
      events.emit('request', {
        broker: req.leader,
        batches: req.batches.length,
        sizeBytes: req.sizeBytes,
        acks: req.acks,
      })
    }
    let sent: Promise<ProduceResponse>
    try {
      sent = client.send(req.leader, 'Produce', req.build())
    } catch (err) {
      sent = Promise.reject(err)
    }
    if (req.acks === 0) {
      sent.catch(noop)
      for (const b of req.batches) b.succeed(-1, -1, -1)
      return
    }
    let settled = false
    const timer = clock.setTimeout(() => {
      if (settled) return
      settled = true
      const err = fromCode(
        'REQUEST_TIMED_OUT',
        `no answer from broker ${req.leader} in ${options.requestTimeoutMs} ms`,
      )
      this.#answered(req, undefined, err)
    }, options.requestTimeoutMs)
    sent.then(
      (response) => {
        if (settled) return
        settled = true
        clock.clearTimeout(timer)
        this.#answered(req, response, undefined)
      },
      (err: unknown) => {
        if (settled) return
        settled = true
        clock.clearTimeout(timer)
        this.#answered(req, undefined, err)
      },
    )
  }

  #answered(req: PendingRequest, response: ProduceResponse | undefined, err: unknown): void {
    for (let i = 0; i < req.batches.length; i++) {
      const batch = req.batches[i] as ProducerBatch
      const q = req.queues[i] as PartitionQueue
      if (batch.done) continue
      if (response === undefined) {
        this.#batchError(q, batch, err)
        continue
      }
      const answer = answerFor(response, batch)
      if (answer === undefined) {
        this.#batchError(q, batch, fromCode('UNKNOWN_SERVER_ERROR', 'no answer for the partition'))
      } else if (answer.error !== undefined) {
        this.#batchError(q, batch, fromCode(answer.error, answer.errorMessage ?? answer.error))
      } else {
        q.landed(batch)
        batch.succeed(answer.baseOffset, answer.logAppendTimeMs, answer.logStartOffset)
      }
    }
    this.schedule()
  }

  #batchError(q: PartitionQueue, batch: ProducerBatch, err: unknown): void {
    const { clock, options, events } = this.#c
    const now = clock.now()
    const code = isLogkeeperError(err) ? err.code : undefined
    batch.lastError = err
    const sequenceError = code === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || code === 'UNKNOWN_PRODUCER_ID'
    if (this.#c.idempotence && sequenceError && q.hasOlderUnacknowledged(batch)) {
      // An earlier batch is being resent: this one follows it, in order.
      if (now < batch.deadline) {
        q.requeue(batch)
        return
      }
    } else if (!sequenceError && isRetriable(err)) {
      if (code !== undefined && STALE_METADATA.has(code)) this.#metadataStale = true
      if (batch.attempts <= options.retries && now < batch.deadline) {
        const backoffMs = this.#backoff(batch.attempts)
        batch.retryAt = now + backoffMs
        q.requeue(batch)
        if (events.listenerCount('retry') > 0) {
          events.emit('retry', {
            topic: batch.topic,
            partition: batch.partition,
            attempt: batch.attempts,
            backoffMs,
            error: err,
          })
        }
        return
      }
    }
    q.landed(batch)
    if (isRetriable(err) && now >= batch.deadline)
      this.#failed(batch, () => batch.expire(now, options.deliveryTimeoutMs))
    else this.#failed(batch, () => batch.fail(err))
  }

  /** Fail a batch for good (via `fail`), reporting it; a sent idempotent batch resets the id. */
  #failed(batch: ProducerBatch, fail: () => void): void {
    fail()
    // Only a batch sent under the current id breaks its sequence chain.
    const pid = this.#c.idempotence
    if (
      pid !== undefined &&
      batch.bytes !== undefined &&
      batch.identity?.producerId === pid.producerId
    ) {
      pid.requestReset()
    }
    const events = this.#c.events
    if (events.listenerCount('batch-failed') > 0) {
      events.emit('batch-failed', {
        topic: batch.topic,
        partition: batch.partition,
        recordCount: batch.recordCount,
        error: batch.lastError,
      })
    }
  }

  #backoff(attempt: number): number {
    const { retryBackoffMs, retryBackoffMaxMs } = this.#c.options
    return Math.min(
      retryBackoffMs * 2 ** Math.max(0, attempt - 1),
      Math.max(retryBackoffMs, retryBackoffMaxMs),
    )
  }

  /** Refresh the metadata of the topics in use (one refresh at a time); returns when to retry. */
  #refreshMetadata(now: number): number {
    if (this.#metadataBusy) return Number.POSITIVE_INFINITY
    if (now < this.#metadataRetryAt) return this.#metadataRetryAt
    this.#metadataBusy = true
    this.#metadataStale = false
    this.#metadataRetryAt = now + this.#c.options.retryBackoffMs
    const topics = new Set<string>()
    for (const q of this.#c.accumulator.active) topics.add(q.topic)
    this.#c.client
      .metadata([...topics], { force: true })
      .catch(noop)
      .finally(() => {
        this.#metadataBusy = false
        this.schedule()
      })
    return this.#metadataRetryAt
  }
}

/** The error of a sent batch that cannot be resent under a new producer id. */
function unknownFate(batch: ProducerBatch): Error {
  return fromCode(
    'UNKNOWN_PRODUCER_ID',
    `${batch.topic}-${batch.partition}: the producer id was reset while this batch's fate was unknown; it may have been written`,
  )
}

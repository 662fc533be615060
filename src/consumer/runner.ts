/**
 * `run()`: the loop that hands fetched records to `eachMessage` or `eachBatch`. Each round
 * takes at most one chunk per partition; up to `partitionsConsumedConcurrently` partitions are
 * processed at once, each strictly in offset order. A record is resolved (the position moves
 * past it) when its handler returns; auto-commit commits resolved positions every
 * `autoCommitIntervalMs` or `autoCommitThreshold` records, and before partitions are revoked.
 *
 * The error policy (kafkajs's): a handler that throws is called again for the same record
 * after `initialRetryTime`, doubling up to `maxRetryTime`, `retries` times; then the consumer
 * crashes: resolved positions are committed, a `crash` event is emitted, and
 * `restartOnFailure(error)` decides: true rejoins the group and goes on from the committed
 * offsets (the failed record comes again), false stops the consumer. Errors that are not the
 * handler's (no offset with `autoOffsetReset: 'none'`, a fatal group error) crash without
 * restart. Nothing loops silently: every crash is an event.
 */
import type { EventEmitter } from 'eventemitter3'
import { isRetriable } from '../client/retry.js'
import type { Clock, Timer } from '../common/clock.js'
import type { ConsumerCore } from './core.js'
import type { ConsumerEvents } from './events.js'
import type { ResolvedConsumerOptions } from './options.js'
import {
  type Chunk,
  type DecodedRecords,
  decodeChunk,
  failPartition,
  PartitionFailure,
  RecordCursor,
} from './records.js'
import type { ResolvedRun } from './run-options.js'
import type { PartitionState } from './subscription-state.js'
import type { ConsumedBatch, EachBatchPayload, EachMessagePayload, RunOptions } from './types.js'

/** A handler failed for good (its retries are spent). */
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

/** The run loop: see the module comment. */
export class Runner {
  readonly #core: ConsumerCore
  readonly #clock: Clock
  readonly #o: ResolvedConsumerOptions
  readonly #run: ResolvedRun
  readonly #events: EventEmitter<ConsumerEvents>
  readonly #stop = new AbortController()
  #running = true
  /**
   * Set by a timer `autoCommitIntervalMs` after the last commit, so the per-record check reads
   * a field rather than the clock (reading the wall clock per record cost more than decoding it).
   */
  #intervalPassed = false
  #commitTimer: Timer | undefined
  #resolvedSinceCommit = 0
  /** Settles when the loop has ended. */
  readonly done: Promise<void>

  /** Start the loop at once. */
  constructor(
    core: ConsumerCore,
    clock: Clock,
    options: ResolvedConsumerOptions,
    run: ResolvedRun,
    events: EventEmitter<ConsumerEvents>,
    onFatal: () => void,
  ) {
    this.#core = core
    this.#clock = clock
    this.#o = options
    this.#run = run
    this.#events = events
    core.autoCommit = run.autoCommit
    this.#armCommitTimer()
    this.done = this.#loop(onFatal).finally(() => this.#clock.clearTimeout(this.#commitTimer))
  }

  /** Whether the loop runs. */
  get running(): boolean {
    return this.#running
  }

  /** End the loop (the current handler call finishes first). */
  stop(): Promise<void> {
    this.#running = false
    this.#clock.clearTimeout(this.#commitTimer)
    this.#stop.abort()
    this.#core.wakeup()
    return this.done
  }

  async #loop(onFatal: () => void): Promise<void> {
    while (this.#running) {
      try {
        const chunks = await this.#core.pollChunks(this.#run.intervalMs, () => this.#running)
        if (!this.#running) break
        await this.#process(chunks)
        this.#core.lastPollAt = this.#clock.now()
        await this.#maybeCommit()
      } catch (err) {
        if (!this.#running) break
        if (isRetriable(err) && !(err instanceof PartitionFailure)) {
          // A dead broker, a moved leader or coordinator: back off and go round again.
          await this.#clock.sleep(this.#o.retryBackoffMs, this.#stop.signal).catch(() => undefined)
          continue
        }
        const restart = await this.#crash(err)
        if (!restart) {
          this.#running = false
          onFatal()
        }
      }
    }
  }

  async #crash(err: unknown): Promise<boolean> {
    const handler = err instanceof HandlerFailure
    const error = handler || err instanceof PartitionFailure ? err.error : err
    if (this.#run.autoCommit) await this.#core.commitPositions().catch(() => undefined)
    let restart = false
    if (handler) restart = await this.#o.restartOnFailure(error).catch(() => false)
    this.#events.emit('crash', { error, groupId: this.#o.groupId, restart })
    if (!restart) return false
    const m = this.#core.membership
    if (m && this.#core.state.mode === 'subscribe') {
      await m.leave('restart after a crash')
      m.requestRejoin('restart after a crash')
    }
    await this.#clock.sleep(this.#o.initialRetryTime, this.#stop.signal).catch(() => undefined)
    return true
  }

  async #process(chunks: Chunk[]): Promise<void> {
    let next = 0
    const worker = async () => {
      while (this.#running && next < chunks.length) {
        const chunk = chunks[next++] as Chunk
        if (this.#run.eachBatch) await this.#batch(chunk)
        else await this.#messages(chunk)
      }
    }
    const n = Math.min(this.#run.concurrency, chunks.length)
    const results = await Promise.allSettled(Array.from({ length: n }, worker))
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }

  /**
   * Whether handing over the record at `expected` must stop: the loop stops, the partition
   * was unassigned, sought, paused, or a rejoin is due. Cheap: a few field reads, no lookup.
   */
  #stale(s: PartitionState, expected: number): boolean {
    return (
      !this.#running ||
      !s.assigned ||
      s.position !== expected ||
      s.paused ||
      (this.#core.membership?.rejoinNeeded === true && this.#core.state.mode === 'subscribe')
    )
  }

  /** Move the position past `offset` (never backwards). */
  #resolve(topic: string, partition: number, offset: number): void {
    const s = this.#core.state.get(topic, partition)
    if (s !== undefined) this.#advance(s, offset)
  }

  #advance(s: PartitionState, offset: number): void {
    if (s.position === undefined || offset < s.position) return
    this.#resolvedSinceCommit += offset + 1 - s.position
    s.position = offset + 1
  }

  /**
   * The hot loop: per record one payload object and one call; the handler's promise is the only
   * await unless the handler fails or a commit is due.
   */
  async #messages(chunk: Chunk): Promise<void> {
    const eachMessage = this.#run.eachMessage as NonNullable<RunOptions['eachMessage']>
    const { topic, partition } = chunk
    const s = this.#core.state.get(topic, partition)
    if (s === undefined) return
    const pause = () => this.#pauseOne(chunk)
    const cursor = new RecordCursor(chunk)
    let expected = chunk.fetchOffset
    for (let message = cursor.next(); message !== undefined; message = cursor.next()) {
      if (this.#stale(s, expected)) return
      const payload: EachMessagePayload = { topic, partition, message, heartbeat, pause }
      try {
        const returned: unknown = eachMessage(payload)
        if (isThenable(returned)) await returned
      } catch (err) {
        if (!(await this.#retry(s, expected, () => eachMessage(payload), err))) return
      }
      const offset = cursor.offset
      if (s.assigned) this.#advance(s, offset)
      else this.#resolve(topic, partition, offset)
      expected = offset + 1
      if (this.#commitDue()) await this.#commitNow()
    }
    failPartition(s, cursor.failure)
  }

  async #batch(chunk: Chunk): Promise<void> {
    const eachBatch = this.#run.eachBatch as NonNullable<RunOptions['eachBatch']>
    const { topic, partition } = chunk
    const s = this.#core.state.get(topic, partition)
    const records = decodeChunk(chunk)
    if (records.messages.length === 0) {
      // Unreadable data right at the position: nothing to hand over.
      failPartition(s, records.failure)
      return
    }
    const batch = toBatch(chunk, records)
    const payload: EachBatchPayload = {
      batch,
      resolveOffset: (offset) => this.#resolve(topic, partition, Number(offset)),
      heartbeat,
      commitOffsetsIfNecessary: () => this.#maybeCommit(),
      isRunning: () => this.#running,
      isStale: () =>
        this.#core.state.get(topic, partition) === undefined ||
        this.#core.membership?.rejoinNeeded === true,
      pause: () => this.#pauseOne(chunk),
    }
    let ok = true
    try {
      await eachBatch(payload)
    } catch (err) {
      ok = await this.#retry(s, chunk.fetchOffset, () => eachBatch(payload), err)
    }
    if (ok && this.#run.autoResolve) {
      this.#resolve(topic, partition, records.offsets[records.offsets.length - 1] as number)
    }
    if (ok) failPartition(s, records.failure)
    await this.#maybeCommit()
  }

  #pauseOne(chunk: Chunk): () => void {
    this.#core.state.setPaused(chunk.topic, [chunk.partition], true)
    return () => this.#core.state.setPaused(chunk.topic, [chunk.partition], false)
  }

  /**
   * A handler failed with `first`: call it again after `initialRetryTime`, doubling up to
   * `maxRetryTime`, `retries` times in all, then throw a {@link HandlerFailure}. False when
   * the loop stopped or the record went stale meanwhile (nothing more to do for the chunk).
   */
  async #retry(
    s: PartitionState | undefined,
    position: number,
    fn: () => unknown,
    first: unknown,
  ): Promise<boolean> {
    let wait = this.#o.initialRetryTime
    let error = first
    for (let attempt = 0; ; attempt++) {
      if (attempt >= this.#o.retries) throw new HandlerFailure(error)
      if (!this.#running) return false
      await this.#clock.sleep(wait, this.#stop.signal).catch(() => undefined)
      wait = Math.min(wait * 2, this.#o.maxRetryTime)
      if (s === undefined || this.#stale(s, position)) return false
      try {
        await fn()
        return true
      } catch (err) {
        error = err
      }
    }
  }

  /** Whether auto-commit is due: its interval passed or its threshold of records was reached. */
  #commitDue(): boolean {
    if (!this.#run.autoCommit || this.#core.membership === undefined) return false
    return this.#intervalPassed || this.#resolvedSinceCommit >= this.#run.threshold
  }

  /** Start the auto-commit interval again (after a commit, and at the start). */
  #armCommitTimer(): void {
    this.#clock.clearTimeout(this.#commitTimer)
    this.#intervalPassed = false
    if (!this.#run.autoCommit || !this.#running) return
    this.#commitTimer = this.#clock.setTimeout(() => {
      this.#intervalPassed = true
    }, this.#run.intervalMs)
  }

  #commitNow(): Promise<void> {
    this.#armCommitTimer()
    this.#resolvedSinceCommit = 0
    return this.#core.commitPositions().catch(() => undefined)
  }

  async #maybeCommit(): Promise<void> {
    if (this.#commitDue()) await this.#commitNow()
  }
}

/** kafkajs's `heartbeat()`: heartbeats run on the clock's timer here, so it has nothing to do. */
const heartbeat = async (): Promise<void> => undefined

/** Whether a handler returned a promise (or any thenable) to wait for. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}

function toBatch(chunk: Chunk, { messages }: DecodedRecords): ConsumedBatch {
  const hw = chunk.highWatermark
  const last = () => (messages.length ? Number(messages[messages.length - 1]?.offset) : hw - 1)
  return {
    topic: chunk.topic,
    partition: chunk.partition,
    highWatermark: String(hw),
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset: () => String(last()),
    offsetLag: () => String(Math.max(0, hw - 1 - last())),
  }
}

/**
 * The pull side of the consumer: `poll()` (Java's `poll(Duration)`: the buffered records,
 * else those that arrive within the timeout, at most `maxRecords`, the rest of a chunk kept for
 * the next poll) and the async iterator (records one at a time). Positions move past what is
 * handed over; auto-commit commits them at a later poll, every `autoCommitIntervalMs`. A
 * partition that meets data it cannot read hands over the records before it, then every round
 * throws its error until a seek (see records.ts).
 */
import type { Clock } from '../common/clock.js'
import type { ConsumerCore } from './core.js'
import type { ResolvedConsumerOptions } from './options.js'
import {
  type Chunk,
  decodeChunk,
  failPartition,
  PartitionFailure,
  RecordCursor,
  restOf,
} from './records.js'
import type { ConsumerRecord } from './types.js'

/** `poll()` and the iterator over one consumer's core. */
export class Puller {
  readonly #core: ConsumerCore
  readonly #clock: Clock
  readonly #o: ResolvedConsumerOptions
  readonly #active: () => boolean
  /** What a poll took of its chunks but could not hand over (`maxRecords`). */
  #leftover: Chunk[] = []
  #lastAutoCommit: number

  /** Pull from `core` while `active()` holds (the consumer is not closing). */
  constructor(
    core: ConsumerCore,
    clock: Clock,
    options: ResolvedConsumerOptions,
    active: () => boolean,
  ) {
    this.#core = core
    this.#clock = clock
    this.#o = options
    this.#active = active
    this.#lastAutoCommit = clock.now()
  }

  /** At most `max` records: those kept or buffered, else those arriving within `timeoutMs`. */
  async poll(timeoutMs: number, max: number): Promise<ConsumerRecord[]> {
    await this.#maybeAutoCommit()
    const state = this.#core.state
    let chunks = this.#leftover.filter(
      (c) => state.get(c.topic, c.partition)?.position === c.fetchOffset,
    )
    this.#leftover = []
    if (chunks.length === 0) {
      chunks = await unwrapFailure(
        this.#core.pollChunks(timeoutMs, this.#active, { bounded: true }),
      )
    }
    const out: ConsumerRecord[] = []
    for (const c of chunks) {
      const room = max - out.length
      const taken =
        room > 0 ? decodeChunk(c, room) : { messages: [], offsets: [], failure: undefined }
      const n = taken.messages.length
      const s = state.get(c.topic, c.partition)
      if (n > 0 && s !== undefined) {
        for (const m of taken.messages) out.push({ topic: c.topic, partition: c.partition, ...m })
        s.position = (taken.offsets[n - 1] as number) + 1
      }
      // Records up to unreadable data are handed over now; the next poll throws.
      failPartition(s, taken.failure)
      if (n < c.count && s !== undefined && taken.failure === undefined) {
        this.#leftover.push(restOf(c, s.position as number, n))
      }
    }
    return out
  }

  /**
   * Records one at a time, as they arrive; a record's position is passed when the next one is
   * asked for (at-least-once with auto-commit).
   */
  async *records(): AsyncGenerator<ConsumerRecord, void, undefined> {
    while (this.#active()) {
      const chunks = await unwrapFailure(
        this.#core.pollChunks(this.#o.autoCommitIntervalMs, this.#active),
      )
      for (const c of chunks) {
        let expected = c.fetchOffset
        const cursor = new RecordCursor(c)
        const s = () => this.#core.state.get(c.topic, c.partition)
        for (let m = cursor.next(); m !== undefined; m = cursor.next()) {
          const state = s()
          if (state === undefined || state.position !== expected || !this.#active()) break
          yield { topic: c.topic, partition: c.partition, ...m }
          const offset = cursor.offset
          expected = offset + 1
          if (state.position === offset) state.position = expected
        }
        failPartition(s(), cursor.failure)
      }
      await this.#maybeAutoCommit()
    }
  }

  /** Forget what was kept of a partition (it was sought). */
  drop(topic: string, partition: number): void {
    this.#leftover = this.#leftover.filter((c) => c.topic !== topic || c.partition !== partition)
  }

  async #maybeAutoCommit(): Promise<void> {
    if (!this.#o.autoCommit || this.#core.membership === undefined) return
    if (this.#clock.now() - this.#lastAutoCommit < this.#o.autoCommitIntervalMs) return
    this.#lastAutoCommit = this.#clock.now()
    await this.#core.commitPositions().catch(() => undefined)
  }
}

/** A poll round's result, or the error of a partition that failed (thrown as it is). */
async function unwrapFailure<T>(round: Promise<T>): Promise<T> {
  try {
    return await round
  } catch (err) {
    throw err instanceof PartitionFailure ? err.error : err
  }
}

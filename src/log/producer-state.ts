/**
 * Per-producer state of one partition, for idempotent appends (Kafka's ProducerStateManager):
 * for each producer id, its epoch and the last five batches' sequence ranges and offsets.
 *
 * Rules (checked for batches with producerId ≥ 0 and a sequence ≥ 0, control batches aside):
 * - an epoch below the producer's is `INVALID_PRODUCER_EPOCH`;
 * - a newer epoch must start at sequence 0 (`OUT_OF_ORDER_SEQUENCE_NUMBER` otherwise);
 * - in the same epoch, a batch whose sequence range equals one of the five cached is a
 *   duplicate: the log returns the original offsets and appends nothing;
 * - otherwise the first sequence must follow the last one (after 2^31-1 comes 0), else
 *   `OUT_OF_ORDER_SEQUENCE_NUMBER`;
 * - a producer the partition does not know (new, or forgotten after truncation) may start at
 *   any sequence.
 */
import { fromCode } from '../common/errors.js'

/** How many batches per producer are remembered for duplicate detection. */
export const PRODUCER_BATCHES_KEPT = 5

const INT32_MAX = 0x7fff_ffff

/** One remembered batch of a producer. */
export interface ProducerBatch {
  /** Sequence of the first record. */
  readonly firstSeq: number
  /** Sequence of the last record. */
  readonly lastSeq: number
  /** Offset of the first record. */
  readonly baseOffset: number
  /** Offset of the last record. */
  readonly lastOffset: number
  /** The producer epoch the batch was written with. */
  readonly epoch: number
}

/** What the partition knows of one producer. */
export interface ProducerEntry {
  /** The producer id. */
  readonly producerId: number
  /** The current epoch. */
  epoch: number
  /** The last batches, oldest first, at most {@link PRODUCER_BATCHES_KEPT}. */
  batches: ProducerBatch[]
}

/** The sequence of the last record of a batch (sequences wrap after 2^31-1 to 0). */
export function lastSequence(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta
  return last > INT32_MAX ? last - INT32_MAX - 1 : last
}

function nextSequence(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1
}

/** The producer table of one partition. */
export class ProducerStateTable {
  readonly #entries = new Map<number, ProducerEntry>()

  /** The entry of a producer, if the partition knows it. */
  get(producerId: number): ProducerEntry | undefined {
    return this.#entries.get(producerId)
  }

  /** How many producers are known. */
  get size(): number {
    return this.#entries.size
  }

  /**
   * Check a batch against the rules above. Returns the original batch when it is a duplicate,
   * `undefined` when it may be appended; throws the coded error otherwise. Changes nothing.
   */
  check(
    producerId: number,
    epoch: number,
    firstSeq: number,
    lastSeq: number,
  ): ProducerBatch | undefined {
    const entry = this.#entries.get(producerId)
    if (entry === undefined) return undefined
    if (epoch < entry.epoch) {
      throw fromCode(
        'INVALID_PRODUCER_EPOCH',
        `producer ${producerId} epoch ${epoch} is older than the current ${entry.epoch}`,
      )
    }
    if (epoch > entry.epoch) {
      if (firstSeq !== 0) {
        throw fromCode(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `producer ${producerId}: new epoch ${epoch} must start at sequence 0, got ${firstSeq}`,
        )
      }
      return undefined
    }
    const duplicate = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq)
    if (duplicate !== undefined) return duplicate
    const last = entry.batches[entry.batches.length - 1]
    if (last !== undefined && firstSeq !== nextSequence(last.lastSeq)) {
      throw fromCode(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `producer ${producerId}: expected sequence ${nextSequence(last.lastSeq)}, got ${firstSeq}`,
      )
    }
    return undefined
  }

  /** Record an appended batch (also used when replaying the log on open). */
  update(producerId: number, epoch: number, batch: Omit<ProducerBatch, 'epoch'>): void {
    let entry = this.#entries.get(producerId)
    if (entry === undefined) {
      entry = { producerId, epoch, batches: [] }
      this.#entries.set(producerId, entry)
    }
    if (epoch !== entry.epoch) {
      entry.epoch = epoch
      entry.batches = []
    }
    if (batch.firstSeq < 0) return
    entry.batches.push({ ...batch, epoch })
    if (entry.batches.length > PRODUCER_BATCHES_KEPT) entry.batches.shift()
  }

  /** Record only an epoch (a control batch: transaction markers carry no sequences). */
  updateEpoch(producerId: number, epoch: number): void {
    const entry = this.#entries.get(producerId)
    if (entry === undefined) this.#entries.set(producerId, { producerId, epoch, batches: [] })
    else if (epoch > entry.epoch) {
      entry.epoch = epoch
      entry.batches = []
    }
  }

  /**
   * Forget batches at or past `offset` (log truncation). A producer left with no batch is
   * forgotten entirely: the partition no longer knows its last sequence.
   */
  truncateFrom(offset: number): void {
    for (const [id, entry] of this.#entries) {
      entry.batches = entry.batches.filter((b) => b.lastOffset < offset)
      const last = entry.batches[entry.batches.length - 1]
      if (last === undefined) this.#entries.delete(id)
      else entry.epoch = last.epoch
    }
  }

  /** Forget every producer. */
  clear(): void {
    this.#entries.clear()
  }

  /** Every producer's entry (copies), for a snapshot. */
  entries(): ProducerEntry[] {
    return [...this.#entries.values()].map((e) => ({ ...e, batches: [...e.batches] }))
  }

  /** Replace the table with a snapshot's entries. */
  restore(
    entries: readonly (Readonly<Omit<ProducerEntry, 'batches'>> & {
      readonly batches: readonly ProducerBatch[]
    })[],
  ): void {
    this.#entries.clear()
    for (const e of entries) {
      this.#entries.set(e.producerId, { ...e, batches: e.batches.map((b) => ({ ...b })) })
    }
  }
}

/**
 * The idempotent producer's client side (Kafka's TransactionManager without transactions): a
 * producer id and epoch from `InitProducerId` (asked of any broker, once), and per-partition
 * sequence numbers given to each batch when it is first encoded (wrapping after 2^31-1 to 0,
 * as the log expects). A retry resends the same bytes, so the leader recognises a duplicate
 * (it keeps the last five batches per producer) and answers with the original offsets.
 *
 * When a batch fails for good after it was sent (its fate unknown, or the sequence chain
 * broken), the producer asks for a new producer id once nothing is in flight, and sequences
 * start again at 0 on every partition; there is no epoch bump and there are no transactions.
 */
import type { InitProducerIdResponse } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import { fromCode } from '../common/errors.js'
import type { PartitionQueue } from './accumulator.js'
import type { BatchIdentity } from './batch.js'

const SEQUENCE_SPACE = 0x8000_0000

/** Where the producer id stands. */
export type ProducerIdState = 'none' | 'initializing' | 'ready' | 'reset-pending'

/** Keeps the producer id and hands out sequences. */
export class ProducerIdManager {
  /** The producer id, or -1. */
  producerId = -1
  /** The producer epoch, or -1. */
  producerEpoch = -1
  /** Where the id stands. */
  state: ProducerIdState = 'none'
  /** Every queue that has been given sequences under the current id. */
  readonly #queues = new Set<PartitionQueue>()

  /**
   * A manager asking through `client`.
   *
   * @param client - the cluster client (InitProducerId goes to any broker)
   * @param timeoutMs - the transaction timeout sent (ignored without transactions)
   */
  constructor(
    private readonly client: ClusterClient,
    private readonly timeoutMs: number,
  ) {}

  /** Whether batches may be encoded now. */
  get ready(): boolean {
    return this.state === 'ready'
  }

  /** Ask for a producer id. Resolves when it is set; rejects with the broker's error. */
  async init(): Promise<void> {
    this.state = 'initializing'
    let response: InitProducerIdResponse
    try {
      response = await this.client.sendToAny('InitProducerId', {
        transactionalId: null,
        transactionTimeoutMs: this.timeoutMs,
      })
    } catch (err) {
      this.state = 'none'
      throw err
    }
    if (response.error !== undefined) {
      this.state = 'none'
      throw fromCode(response.error, response.errorMessage ?? `InitProducerId: ${response.error}`)
    }
    this.producerId = response.producerId
    this.producerEpoch = response.producerEpoch
    for (const q of this.#queues) q.nextSequence = 0
    this.#queues.clear()
    this.state = 'ready'
  }

  /** A batch failed for good after it was sent: get a new id before sending more. */
  requestReset(): void {
    if (this.state === 'ready' || this.state === 'none') this.state = 'reset-pending'
  }

  /** The identity of the next batch of `q` with `count` records; advances the sequence. */
  next(q: PartitionQueue, count: number): BatchIdentity {
    const baseSequence = q.nextSequence
    q.nextSequence = (baseSequence + count) % SEQUENCE_SPACE
    this.#queues.add(q)
    return { producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence }
  }
}

/** The identity of a batch of a producer that is not idempotent. */
export const NO_IDENTITY: BatchIdentity = Object.freeze({
  producerId: -1,
  producerEpoch: -1,
  baseSequence: -1,
})

/**
 * Producer ids for idempotent producers (Kafka's ZooKeeper-mode `ProducerIdManager`): each
 * broker claims blocks of 1000 ids by a conditional write of `/latest_producer_id_block`, so
 * ids are unique in the cluster without asking the controller for each one.
 */
import { fromCode, isLogkeeperError } from '../common/errors.js'
import type { KafkaZk } from './zk/kafka-zk.js'
import {
  decodeProducerIdBlock,
  encodeProducerIdBlock,
  PRODUCER_ID_BLOCK_SIZE,
  type ProducerIdBlock,
} from './zk/misc-znodes.js'
import { PRODUCER_ID_BLOCK_PATH } from './zk/paths.js'

const MAX_ATTEMPTS = 100

/** Hands out producer ids from blocks this broker claimed. */
export class ProducerIdManager {
  #block: ProducerIdBlock | undefined
  #next = 0
  #claiming: Promise<void> | undefined

  /** For broker `brokerId`. */
  constructor(private readonly brokerId: number) {}

  /** The next producer id (claiming a new block when this one is used up). */
  async next(zk: KafkaZk): Promise<number> {
    for (;;) {
      if (this.#block !== undefined && this.#next <= this.#block.end) return this.#next++
      this.#claiming ??= this.#claim(zk).finally(() => {
        this.#claiming = undefined
      })
      await this.#claiming
    }
  }

  /** Forget the current block (a restart claims a fresh one, as Kafka does). */
  reset(): void {
    this.#block = undefined
  }

  async #claim(zk: KafkaZk): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const { data, stat } = await zk.client.getData(PRODUCER_ID_BLOCK_PATH)
        const last = decodeProducerIdBlock(PRODUCER_ID_BLOCK_PATH, data)
        const block = this.#after(last.end + 1)
        await zk.client.setData(PRODUCER_ID_BLOCK_PATH, encodeProducerIdBlock(block), {
          version: stat.version,
        })
        return this.#take(block)
      } catch (err) {
        if (isLogkeeperError(err, 'BAD_VERSION')) continue
        if (!isLogkeeperError(err, 'NO_NODE')) throw err
      }
      const first = this.#after(0)
      try {
        await zk.client.create(PRODUCER_ID_BLOCK_PATH, encodeProducerIdBlock(first))
        return this.#take(first)
      } catch (err) {
        if (!isLogkeeperError(err, 'NODE_EXISTS')) throw err
      }
    }
    throw fromCode(
      'UNKNOWN_SERVER_ERROR',
      'could not claim a producer id block: too much contention',
    )
  }

  #after(start: number): ProducerIdBlock {
    return { brokerId: this.brokerId, start, end: start + PRODUCER_ID_BLOCK_SIZE - 1 }
  }

  #take(block: ProducerIdBlock): void {
    this.#block = block
    this.#next = block.start
  }
}

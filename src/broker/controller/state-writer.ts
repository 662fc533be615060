/**
 * Writes partition states as controller: epoch-checked, conditional on the version the
 * controller last saw. A leader may have changed the ISR in between (`BAD_VERSION`): the state
 * is then read again and the change computed afresh, as Kafka's controller retries.
 */
import type { KafkaZk } from '../zk/kafka-zk.js'
import type { LeaderIsr } from '../zk/topic-znodes.js'
import type { ControllerContext, PartitionKey } from './controller-context.js'
import {
  ControllerMovedError,
  isEpochCheckFailure,
  isNodeExists,
  isStaleVersion,
} from './errors.js'

const MAX_ATTEMPTS = 10

/** Partition state writes of one controller. */
export class StateWriter {
  /** For the controller of `ctx`, writing through `zk`. */
  constructor(
    private readonly ctx: ControllerContext,
    private readonly zk: KafkaZk,
  ) {}

  /**
   * Change a partition's state: `compute` gets the current state and returns the next, or
   * null for no change. Returns whether a new state was written.
   */
  async transition(
    key: PartitionKey,
    compute: (current: LeaderIsr) => LeaderIsr | null,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = this.ctx.state(key)
      if (current === undefined) return false
      const next = compute(current)
      if (next === null) return false
      try {
        const zkVersion = await this.zk.writeState(this.ctx.epochZkVersion, {
          ...key,
          state: next,
          expectedVersion: current.zkVersion,
        })
        this.ctx.setState(key, { ...next, zkVersion })
        return true
      } catch (err) {
        if (isEpochCheckFailure(err)) throw new ControllerMovedError()
        if (!isStaleVersion(err)) throw err
        await this.refresh(key)
      }
    }
    return false
  }

  /** Create a new partition's state (`NODE_EXISTS`: read the one there instead). */
  async create(key: PartitionKey, state: LeaderIsr): Promise<boolean> {
    try {
      await this.zk.writeState(this.ctx.epochZkVersion, { ...key, state, expectedVersion: -1 })
      this.ctx.setState(key, { ...state, zkVersion: 0 })
      return true
    } catch (err) {
      if (isEpochCheckFailure(err)) throw new ControllerMovedError()
      if (!isNodeExists(err)) throw err
      await this.refresh(key)
      return false
    }
  }

  /** Read a partition's state again into the context. */
  async refresh(key: PartitionKey): Promise<void> {
    const state = await this.zk.partitionState(key.topic, key.partition)
    if (state !== null) this.ctx.setState(key, state)
  }
}

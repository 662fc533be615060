/**
 * Where a broker keeps its partition logs. Memory mode: one `MemoryLogStore` the broker keeps
 * across kill and restart (so a restarted broker finds its logs, as a process finds its log
 * directory). Disk mode: a `FileLogStore` in the broker's own log directory, opened at each
 * start (recovering what a kill left) and closed at each stop, and checkpoints in the broker's
 * sublevel of the cluster's metadata database.
 */
import type { Clock } from '../common/clock.js'
import { PartitionLog } from '../log/partition-log.js'
import type { CheckpointStore } from '../storage/checkpoints.js'
import { FileLogStore } from '../storage/file-log-store.js'
import type { LogStore, TopicPartition } from '../storage/log-store.js'
import { MemoryLogStore } from '../storage/memory-log-store.js'
import { logConfigOf, type TopicConfig } from './config.js'
import type { LogCheckpoint, LogFactory } from './replica/types.js'

/** A broker's log storage across its starts. */
export interface BrokerStorage {
  /** Open the log store for a start of the broker. */
  open(): Promise<LogStore>
  /** Release the store of a stop (a kill too: a disk store is closed, a memory one kept). */
  release(): Promise<void>
  /** Close for good (the broker is closed). */
  close(): Promise<void>
  /** Checkpoints (disk mode), or none. */
  readonly checkpoints: CheckpointStore | undefined
}

/** Memory mode: one store for the broker's whole life. */
export class MemoryBrokerStorage implements BrokerStorage {
  readonly #store = new MemoryLogStore()
  readonly checkpoints = undefined

  async open(): Promise<LogStore> {
    return this.#store
  }

  async release(): Promise<void> {}

  close(): Promise<void> {
    return this.#store.close()
  }
}

/** Disk mode: a file store in `dir`, reopened at each start. */
export class DiskBrokerStorage implements BrokerStorage {
  #store: FileLogStore | undefined

  /** Logs in `dir`; checkpoints in `checkpoints`. */
  constructor(
    private readonly dir: string,
    readonly checkpoints: CheckpointStore,
  ) {}

  async open(): Promise<LogStore> {
    this.#store = await FileLogStore.open(this.dir)
    return this.#store
  }

  async release(): Promise<void> {
    const store = this.#store
    this.#store = undefined
    await store?.close()
  }

  close(): Promise<void> {
    return this.release()
  }
}

/** Opens partition logs in `store`, replicated (the replica manager sets high watermarks). */
export class StoreLogFactory implements LogFactory {
  /** Over `store`, timing with `clock`. */
  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
  ) {}

  async open(
    tp: TopicPartition,
    config: Readonly<TopicConfig>,
    checkpoint: LogCheckpoint,
  ): Promise<PartitionLog> {
    const partitionStore = await this.store.openPartition(tp)
    return PartitionLog.open({
      topicPartition: tp,
      store: partitionStore,
      clock: this.clock,
      config: logConfigOf(config),
      replicated: true,
      ...(checkpoint.highWatermark === undefined
        ? {}
        : { highWatermark: checkpoint.highWatermark }),
      ...(checkpoint.logStartOffset === undefined
        ? {}
        : { logStartOffset: checkpoint.logStartOffset }),
      ...(checkpoint.cleanShutdown ? { cleanShutdown: checkpoint.cleanShutdown } : {}),
    })
  }

  delete(tp: TopicPartition): Promise<void> {
    return this.store.deletePartition(tp)
  }
}

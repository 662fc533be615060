/**
 * Per-partition checkpoints: what Kafka keeps per log directory in
 * `replication-offset-checkpoint` (high watermarks), `log-start-offset-checkpoint` and each
 * partition's `leader-epoch-checkpoint`. The log store does not keep them; the broker saves
 * them here and passes them back to `PartitionLog.open` after a restart.
 *
 * Stored in an abstract-level (sub)level, one key per partition and field
 * (`<topic>/<partition:10>/hw`, `…/lso`, `…/epochs`), JSON values; one {@link write} is one
 * atomic batch.
 */
import { parsePartitionKey, partitionKey } from './level-keys.js'
import type { AnyLevel } from './level-tables.js'
import type { TopicPartition } from './log-store.js'
import { checkNonNegative, checkTopicPartition, closedError, invalid } from './store-errors.js'

/** One line of Kafka's leader-epoch checkpoint: an epoch and the first offset written in it. */
export interface LeaderEpochEntry {
  readonly epoch: number
  readonly startOffset: number
}

/** One producer's state as a clean shutdown keeps it (Kafka's producer snapshot). */
export interface CleanProducer {
  /** The producer id. */
  readonly producerId: number
  /** Its current epoch. */
  readonly epoch: number
  /** Its last batches, oldest first. */
  readonly batches: readonly {
    readonly firstSeq: number
    readonly lastSeq: number
    readonly baseOffset: number
    readonly lastOffset: number
    readonly epoch: number
  }[]
}

/**
 * What a log closed cleanly leaves for its next open, so that open can trust the active
 * segment instead of reading it all again (Kafka's `.kafka_cleanshutdown` file, with the
 * producer snapshot it writes then). Valid only while the active segment is exactly as it
 * was: the opener compares its base offset and size, and removes the marker once opened.
 */
export interface CleanShutdown {
  /** The active segment's base offset. */
  readonly activeBaseOffset: number
  /** Its size in bytes at the close. */
  readonly activeSizeBytes: number
  /** The log end offset at the close. */
  readonly logEndOffset: number
  /** The active segment's largest timestamp (-1 when it holds no batch). */
  readonly maxTimestamp: number
  /** The offset of that timestamp's batch. */
  readonly offsetOfMaxTimestamp: number
  /** Bytes appended to the active segment since its last offset-index entry. */
  readonly bytesSinceIndex: number
  /** The producers the log knew. */
  readonly producers: readonly CleanProducer[]
}

/** What is checkpointed of one partition; a field never written is absent. */
export interface PartitionCheckpoint {
  /** The high watermark (Kafka's `replication-offset-checkpoint`). */
  readonly highWatermark?: number
  /** The log start offset (Kafka's `log-start-offset-checkpoint`). */
  readonly logStartOffset?: number
  /** The leader epochs, ascending by epoch (Kafka's `leader-epoch-checkpoint`). */
  readonly leaderEpochs?: readonly LeaderEpochEntry[]
  /**
   * Left by a clean close (see {@link CleanShutdown}); written `null`, it is removed (a log
   * reopened removes it before it changes).
   */
  readonly cleanShutdown?: CleanShutdown | null
}

/** A change to one partition's checkpoint: the fields given replace the stored ones. */
export interface CheckpointUpdate extends PartitionCheckpoint {
  readonly topicPartition: TopicPartition
}

const FIELDS = {
  highWatermark: 'hw',
  logStartOffset: 'lso',
  leaderEpochs: 'epochs',
  cleanShutdown: 'clean',
} as const
type Field = keyof typeof FIELDS
const JSON_VALUES = { keyEncoding: 'utf8', valueEncoding: 'json' } as const
const BY_SUFFIX = new Map<string, Field>(Object.entries(FIELDS).map(([f, s]) => [s, f as Field]))

/** Checkpoints of many partitions in one (sub)level. */
export class CheckpointStore {
  /**
   * Checkpoints kept in `db`.
   *
   * @param db - the (sub)level that holds only checkpoints, e.g. a data directory's
   *   `checkpoints` sublevel
   * @param sync - sync each write to the disk before it resolves (classic-level)
   */
  constructor(
    private readonly db: AnyLevel,
    private readonly sync = true,
  ) {}

  /** The checkpoint of one partition (`{}` if none was written). */
  async read(tp: TopicPartition): Promise<PartitionCheckpoint> {
    this.#checkOpen()
    const pk = partitionKey(checkTopicPartition(tp))
    const entries = await this.db.iterator({ gte: `${pk}/`, lt: `${pk}0`, ...JSON_VALUES }).all()
    return Object.fromEntries(entries.map(([k, v]) => [BY_SUFFIX.get(k.slice(pk.length + 1)), v]))
  }

  /** Every partition's checkpoint, ordered by topic and partition. */
  async readAll(): Promise<CheckpointUpdate[]> {
    this.#checkOpen()
    const out = new Map<string, Record<string, unknown>>()
    for (const [key, value] of await this.db.iterator(JSON_VALUES).all()) {
      const slash = key.lastIndexOf('/')
      const pk = key.slice(0, slash)
      const field = BY_SUFFIX.get(key.slice(slash + 1))
      if (!field) continue
      const entry = out.get(pk) ?? { topicPartition: parsePartitionKey(pk) }
      entry[field] = value
      out.set(pk, entry)
    }
    return [...out.values()] as unknown as CheckpointUpdate[]
  }

  /** Write updates of any number of partitions in one atomic batch; bad input writes nothing. */
  async write(updates: readonly CheckpointUpdate[]): Promise<void> {
    this.#checkOpen()
    if (!Array.isArray(updates)) throw invalid('write takes an array of checkpoint updates')
    const ops = updates.flatMap((u) => {
      const pk = partitionKey(checkTopicPartition(u?.topicPartition))
      return (Object.keys(FIELDS) as Field[])
        .filter((f) => u[f] !== undefined)
        .map((f) =>
          u[f] === null
            ? { type: 'del' as const, key: `${pk}/${FIELDS[f]}` }
            : { type: 'put' as const, key: `${pk}/${FIELDS[f]}`, value: checkField(f, u[f]) },
        )
    })
    if (ops.length > 0) await this.db.batch(ops, { ...JSON_VALUES, sync: this.sync } as object)
  }

  /** Forget a partition's checkpoint (topic deletion). */
  async delete(tp: TopicPartition): Promise<void> {
    this.#checkOpen()
    const pk = partitionKey(checkTopicPartition(tp))
    const ops = Object.values(FIELDS).map((s) => ({ type: 'del' as const, key: `${pk}/${s}` }))
    await this.db.batch(ops, { ...JSON_VALUES, sync: this.sync } as object)
  }

  #checkOpen(): void {
    const status = this.db.status
    if (status === 'closing' || status === 'closed') throw closedError('checkpoint store')
  }
}

function checkField(field: Field, value: unknown): unknown {
  if (field === 'cleanShutdown') return checkClean(value as CleanShutdown)
  if (field !== 'leaderEpochs') return checkNonNegative(value as number, field)
  if (!Array.isArray(value)) throw invalid('leaderEpochs must be an array')
  let last: LeaderEpochEntry | undefined
  return value.map((e: LeaderEpochEntry) => {
    const epoch = checkNonNegative(e?.epoch, 'leader epoch')
    const startOffset = checkNonNegative(e?.startOffset, 'leader epoch start offset')
    if (last && (epoch <= last.epoch || startOffset < last.startOffset)) {
      throw invalid(
        `leader epoch (${epoch}, ${startOffset}) must follow (${last.epoch}, ${last.startOffset})`,
      )
    }
    last = { epoch, startOffset }
    return last
  })
}

function checkClean(c: CleanShutdown): CleanShutdown {
  if (typeof c !== 'object' || c === null) throw invalid('cleanShutdown must be an object')
  for (const k of ['activeBaseOffset', 'activeSizeBytes', 'logEndOffset', 'bytesSinceIndex']) {
    checkNonNegative((c as unknown as Record<string, number>)[k] as number, k)
  }
  if (!Number.isSafeInteger(c.maxTimestamp) || !Number.isSafeInteger(c.offsetOfMaxTimestamp)) {
    throw invalid('cleanShutdown timestamps must be integers')
  }
  if (!Array.isArray(c.producers)) throw invalid('cleanShutdown.producers must be an array')
  return c
}

/**
 * One partition's log: an in-memory state machine over a {@link PartitionStore}. It holds
 * the offsets, the in-memory indexes and the producer table; the store holds the bytes.
 * Public methods validate and check state (open / closed), then call the operation's file
 * (`log-append.ts`, `log-read.ts`, `log-truncate.ts`, `log-retention.ts`, `log-compaction.ts`).
 * Every rejected call changes nothing.
 */

import type { Clock } from '../common/clock.js'
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe, toOffset, toPositiveInt } from '../common/validate.js'
import type { CleanShutdown } from '../storage/checkpoints.js'
import type { FlushOptions, PartitionStore, TopicPartition } from '../storage/log-store.js'
import { cleanShutdownOf } from './clean-shutdown.js'
import { FlushPolicy } from './flush-policy.js'
import { type AppendInfo, type AppendOptions, appendBatch } from './log-append.js'
import { type CompactionResult, compactLog } from './log-compaction.js'
import { type LogConfig, resolveLogConfig } from './log-config.js'
import {
  offsetForTimestamp,
  type ReadOptions,
  type ReadResult,
  readFrom,
  type TimestampOffset,
} from './log-read.js'
import { loadSegments, type RecoveryInfo, rebuildProducerState } from './log-recovery.js'
import { enforceRetention, type RetentionResult } from './log-retention.js'
import { hotConfig, type LogState } from './log-state.js'
import { deleteRecordsBefore, truncateTo } from './log-truncate.js'
import { type ProducerEntry, ProducerStateTable } from './producer-state.js'
import { validateTopicName } from './topic-name.js'

/** Options of {@link PartitionLog.open}. */
export interface PartitionLogOptions {
  /** The partition (topic name checked by Kafka's rules). */
  readonly topicPartition: TopicPartition
  /** Where the segments live; the log owns it from now on and closes it on `close()`. */
  readonly store: PartitionStore
  /** The clock for `segment.ms`, retention, LogAppendTime and `flush.ms`. */
  readonly clock: Clock
  /** Topic settings; see {@link LogConfig}. */
  readonly config?: Partial<LogConfig>
  /**
   * The log start offset saved by the caller (a checkpoint): the store does not keep it, so
   * `deleteRecordsBefore` survives a reopen only through this. Default: the first segment's base.
   */
  readonly logStartOffset?: number
  /**
   * Whether a replication layer sets the high watermark (`setHighWatermark`). Default false:
   * the high watermark follows the log end offset.
   */
  readonly replicated?: boolean
  /** With `replicated`, the high watermark saved by the caller. Default: the log start offset. */
  readonly highWatermark?: number
  /** Check idempotent producers' epochs and sequences on append (default true). */
  readonly checkProducerState?: boolean
  /**
   * What the last clean close of this log left ({@link PartitionLog.cleanShutdown}, saved by
   * the caller): the open trusts it when the active segment is exactly as described, and
   * reads nothing; otherwise it recovers as after a crash. The caller must forget it once
   * the log is open (it describes the log only until the log changes).
   */
  readonly cleanShutdown?: CleanShutdown
  /**
   * Check each appended batch's CRC (default true; costs a pass over the bytes, ~0.5 ms per
   * MiB). A trusted in-process producer may skip it per batch (`append(batch, { verifyCrc:
   * false })`) while bytes from elsewhere stay checked.
   */
  readonly verifyCrc?: boolean
}

/** The default options of `append` (one shared object: no allocation per call). */
const NO_OPTIONS: AppendOptions = Object.freeze({})

/** The partition log. Create with {@link PartitionLog.open}. */
export class PartitionLog {
  readonly #state: LogState
  readonly #flush: FlushPolicy
  /** What recovery found when the log was opened. */
  readonly recovery: RecoveryInfo
  #closed = false
  #cleanShutdown: CleanShutdown | undefined
  #maintenance: Promise<unknown> = Promise.resolve()

  private constructor(state: LogState, recovery: RecoveryInfo) {
    this.#state = state
    this.recovery = recovery
    this.#flush = PartitionLog.#flushPolicy(state)
  }

  static #flushPolicy(state: LogState): FlushPolicy {
    const c = state.config
    return new FlushPolicy(state.store, state.clock, c['flush.messages'], c['flush.ms'])
  }

  /** Open the log over its store: recover the active segment, load indexes, rebuild state. */
  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const state = PartitionLog.#initialState(options)
    const recovery = await loadSegments(state, options.logStartOffset ?? 0, options.cleanShutdown)
    const first = state.segments[0]?.baseOffset ?? 0
    const start = Math.max(first, options.logStartOffset ?? first)
    state.logStartOffset = Math.min(start, state.logEndOffset)
    const hw = options.highWatermark ?? state.logStartOffset
    state.highWatermark = state.highWatermarkFollowsEnd
      ? state.logEndOffset
      : Math.min(Math.max(hw, state.logStartOffset), state.logEndOffset)
    if (recovery.clean) state.producers.restore(options.cleanShutdown?.producers ?? [])
    else if (state.checkProducerState) await rebuildProducerState(state)
    return new PartitionLog(state, recovery)
  }

  static #initialState(options: PartitionLogOptions): LogState {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`options must be an object, got ${describe(options)}`)
    }
    const { topicPartition: tp, store, clock } = options
    validateTopicName(tp?.topic)
    toOffset(tp.partition, 'partition')
    if (typeof store?.append !== 'function')
      throw new InvalidArgumentError('store must be a PartitionStore')
    if (typeof clock?.now !== 'function') throw new InvalidArgumentError('clock must be a Clock')
    if (options.logStartOffset !== undefined) toOffset(options.logStartOffset, 'logStartOffset')
    if (options.highWatermark !== undefined) toOffset(options.highWatermark, 'highWatermark')
    const config = resolveLogConfig(options.config)
    return {
      topicPartition: tp,
      store,
      clock,
      config,
      hot: hotConfig(config),
      segments: [],
      logStartOffset: 0,
      logEndOffset: 0,
      highWatermark: 0,
      highWatermarkFollowsEnd: options.replicated !== true,
      producers: new ProducerStateTable(),
      checkProducerState: options.checkProducerState !== false,
      verifyCrc: options.verifyCrc !== false,
    }
  }

  #check(): void {
    if (this.#closed) throw fromCode('CLOSED', `log ${this.#name} is closed`)
  }

  get #name(): string {
    return `${this.#state.topicPartition.topic}-${this.#state.topicPartition.partition}`
  }

  /** Run maintenance operations (truncation, retention, compaction) one at a time. */
  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#maintenance.then(() => {
      this.#check()
      return run()
    })
    this.#maintenance = next.catch(() => undefined)
    return next
  }

  /** The partition. */
  get topicPartition(): TopicPartition {
    return this.#state.topicPartition
  }

  /** The resolved configuration. */
  get config(): Readonly<LogConfig> {
    return this.#state.config
  }

  /** The first offset that may be read. */
  get logStartOffset(): number {
    return this.#state.logStartOffset
  }

  /** One past the last offset appended. */
  get logEndOffset(): number {
    return this.#state.logEndOffset
  }

  /** The offset up to which records are committed (replicated); below it consumers read. */
  get highWatermark(): number {
    return this.#state.highWatermark
  }

  /** Bytes in all segments. */
  get sizeBytes(): number {
    return this.#state.segments.reduce((sum, s) => sum + s.sizeBytes, 0)
  }

  /** Base offsets of the segments, oldest first (the last is the active one). */
  get segmentBaseOffsets(): number[] {
    return this.#state.segments.map((s) => s.baseOffset)
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** Change the topic's settings (validated as on open); applies to later operations. */
  setConfig(config: Partial<LogConfig>): void {
    this.#check()
    const resolved = resolveLogConfig({ ...this.#state.config, ...config })
    this.#state.config = resolved
    this.#state.hot = hotConfig(resolved)
    this.#flush.configure(resolved['flush.messages'], resolved['flush.ms'])
  }

  /**
   * Set the high watermark (replicated logs only; otherwise it follows the log end offset and
   * this is `INVALID_ARGUMENT`). It must lie in [logStartOffset, logEndOffset], else
   * `OFFSET_OUT_OF_RANGE`.
   */
  setHighWatermark(offset: number): void {
    this.#check()
    const hw = toOffset(offset, 'highWatermark')
    const s = this.#state
    if (s.highWatermarkFollowsEnd) {
      throw new InvalidArgumentError(
        'the high watermark follows the log end offset (replicated: false)',
      )
    }
    if (hw < s.logStartOffset || hw > s.logEndOffset) {
      throw fromCode(
        'OFFSET_OUT_OF_RANGE',
        `high watermark ${hw} outside [${s.logStartOffset}, ${s.logEndOffset}]`,
      )
    }
    s.highWatermark = hw
  }

  /**
   * Append one RecordBatch v2 (exactly one; see `splitBatches` for more). Synchronous. Checks
   * the frame, `max.message.bytes` (`MESSAGE_TOO_LARGE`), the CRC (`CORRUPT_MESSAGE`; see
   * {@link AppendOptions.verifyCrc}) and, for idempotent producers, epoch and sequence; then
   * assigns offsets by patching the batch's bytes 0–7 in place (and 12–15 with `leaderEpoch`;
   * with LogAppendTime also the timestamp and CRC).
   *
   * **Ownership**: the batch is handed over. The log patches it and its store may keep that
   * very buffer (the memory store keeps batches of 4 KiB or more that have an `ArrayBuffer` of
   * their own, zero-copy, as the producer encoded them); the caller must not change or reuse
   * it afterwards (encode the next batch into a new buffer). Appending bytes some store
   * already keeps (the same buffer twice, or the bytes of a `read` of this or another log) is
   * safe: the log detects it and patches a copy. A duplicate from an idempotent producer
   * returns the original offsets and writes nothing.
   */
  append(batch: Uint8Array, options: AppendOptions = NO_OPTIONS): AppendInfo {
    if (this.#closed) this.#check()
    const flush = this.#flush
    flush.throwIfFailed()
    const info = appendBatch(this.#state, batch, options)
    if (flush.counting && !info.duplicate) flush.onAppend(info.recordCount)
    return info
  }

  /** Append, then wait until the store has made it durable (a flush with fsync). */
  async appendDurable(batch: Uint8Array, options: AppendOptions = NO_OPTIONS): Promise<AppendInfo> {
    const info = this.append(batch, options)
    await this.#flush.flush({ fsync: true })
    return info
  }

  /**
   * Read whole batches from `fromOffset`: the batch holding it first (so the first records may
   * precede it; consumers skip them), then following batches while `maxBytes` allows, all from
   * one segment. At the log end: empty. Outside [logStartOffset, logEndOffset]:
   * `OFFSET_OUT_OF_RANGE`. When the store holds the bytes in memory (the memory store always)
   * the read is done before this returns, without I/O (the promise is already settled), and
   * `bytes` is a view of the stored bytes: read it, never change it.
   */
  async read(fromOffset: number, options: ReadOptions = {}): Promise<ReadResult> {
    this.#check()
    const from = toOffset(fromOffset, 'fromOffset')
    const maxBytes =
      options.maxBytes === undefined ? 1024 * 1024 : toPositiveInt(options.maxBytes, 'maxBytes')
    const maxOffset =
      options.maxOffset === undefined
        ? Number.MAX_SAFE_INTEGER
        : toOffset(options.maxOffset, 'maxOffset')
    const s = this.#state
    if (from < s.logStartOffset || from > s.logEndOffset) {
      throw fromCode(
        'OFFSET_OUT_OF_RANGE',
        `offset ${from} outside [${s.logStartOffset}, ${s.logEndOffset}] of ${this.#name}`,
      )
    }
    return readFrom(s, from, maxBytes, maxOffset, options.noCopy === true)
  }

  /** Kafka's ListOffsets: see `offsetForTimestamp` in log-read.ts. -1 latest, -2 earliest. */
  async offsetForTimestamp(timestamp: number): Promise<TimestampOffset | null> {
    this.#check()
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < -2) {
      throw new InvalidArgumentError(
        `timestamp must be an integer ≥ -2, got ${describe(timestamp)}`,
      )
    }
    return offsetForTimestamp(this.#state, timestamp)
  }

  /** Drop every batch at or past `offset` (see `truncateTo` in log-truncate.ts). Returns the new end. */
  async truncateTo(offset: number): Promise<number> {
    this.#check()
    const target = toOffset(offset)
    return this.#exclusive(() => truncateTo(this.#state, target))
  }

  /** DeleteRecords: advance the log start offset (see log-truncate.ts). Returns it. */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.#check()
    const target = toOffset(offset)
    return this.#exclusive(() => deleteRecordsBefore(this.#state, target))
  }

  /** Delete old segments by `retention.ms` / `retention.bytes` (see log-retention.ts). */
  async enforceRetention(): Promise<RetentionResult> {
    this.#check()
    return this.#exclusive(() => enforceRetention(this.#state))
  }

  /** Compact closed segments when `cleanup.policy` includes `compact` (see log-compaction.ts). */
  async compact(): Promise<CompactionResult> {
    this.#check()
    return this.#exclusive(() => compactLog(this.#state))
  }

  /**
   * Resolves once every byte appended so far has been handed to the operating system (the
   * store's write-behind, or the flush it joins): from then on a crash of the process cannot
   * lose it. Starts no fsync of its own and leaves the `flush.messages` count alone. A broker
   * waits for it before acknowledging an append (Kafka writes to the page cache before it
   * answers); the memory store resolves at once.
   */
  async written(): Promise<void> {
    this.#check()
    this.#flush.throwIfFailed()
    await this.#state.store.flush({ fsync: false })
  }

  /** Write appended bytes to the store; with `fsync`, durably. */
  async flush(options: FlushOptions = { fsync: false }): Promise<void> {
    this.#check()
    await this.#flush.flush({ fsync: options.fsync === true })
  }

  /** What the log knows of an idempotent producer (a copy), or undefined. */
  producerState(producerId: number): ProducerEntry | undefined {
    this.#check()
    const entry = this.#state.producers.get(producerId)
    return entry && { ...entry, batches: [...entry.batches] }
  }

  /** Wait for running maintenance, then close the store. Idempotent; later calls are `CLOSED`. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#flush.stop()
    await this.#maintenance
    await this.#state.store.close()
    this.#cleanShutdown = cleanShutdownOf(this.#state)
  }

  /**
   * Set once {@link close} has completed (everything written and the store closed): what the
   * next open may trust instead of reading the active segment and replaying producers, if the
   * caller saves it and hands it to {@link PartitionLog.open} (a broker keeps it with its
   * checkpoints). Undefined before, and after a close that failed.
   */
  get cleanShutdown(): CleanShutdown | undefined {
    return this.#cleanShutdown
  }
}

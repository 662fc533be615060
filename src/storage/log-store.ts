/**
 * The log store: where a partition's segments live. It knows bytes, segments and index
 * entries, nothing of record batches: the partition log above it (src/log) decides offsets,
 * when to roll, what to index, what to delete, and how to recover a torn tail; the store only
 * keeps and returns bytes. Three implementations pass one contract suite
 * (test/storage/log-store-contract.ts): memory, Kafka-style segment files, and abstract-level.
 *
 * Offsets are numbers (safe integers). Positions are byte positions inside a segment.
 */

/** Identifies one partition of one topic. */
export interface TopicPartition {
  /** The topic's name (already validated by the caller). */
  readonly topic: string
  /** The partition number, 0 or more. */
  readonly partition: number
}

/** What the store knows of one segment. */
export interface SegmentMeta {
  /** The offset of the first record the segment may hold; names its files. */
  readonly baseOffset: number
  /** Bytes of batches in the segment, including appended bytes not yet flushed. */
  readonly sizeBytes: number
}

/** One entry of a segment's sparse offset index (Kafka's `.index`). */
export interface OffsetIndexEntry {
  /** An offset of the segment (absolute; stored relative to the base, as Kafka does). */
  readonly offset: number
  /** The byte position in the segment of the batch holding `offset`. */
  readonly position: number
}

/** One entry of a segment's time index (Kafka's `.timeindex`). */
export interface TimeIndexEntry {
  /** The largest timestamp seen so far in the segment. */
  readonly timestamp: number
  /** The offset of the record (first of its batch) at which that timestamp was reached. */
  readonly offset: number
}

/** The indexes of a segment as read back from the store. */
export interface SegmentIndexes {
  /** Offset-index entries, ascending by offset and position. */
  readonly offsets: readonly OffsetIndexEntry[]
  /** Time-index entries, ascending by timestamp and offset. */
  readonly times: readonly TimeIndexEntry[]
}

/**
 * A run of a segment's bytes that a store holds in memory, as {@link PartitionStore.spanAt}
 * returns it: segment position `p` in `[start, end)` is `bytes[p - start]`. The bytes are the
 * store's own: read them, never change them.
 */
export interface SegmentSpan {
  /** The bytes (may extend past `end - start` with room the store has not filled). */
  readonly bytes: Uint8Array
  /** The segment position of `bytes[0]`. */
  readonly start: number
  /** One past the last segment position the span holds. */
  readonly end: number
}

/** How hard {@link PartitionStore.flush} works. */
export interface FlushOptions {
  /** Also fsync the files (or sync the database), so the bytes survive a power loss. */
  fsync: boolean
}

/**
 * The segments of one partition. The last segment is the active one: appends go there.
 * Calls are made by one partition log at a time; the store need not guard against two writers
 * in one process, but a disk store must refuse a directory another process holds.
 *
 * Calls take effect in the order they are made, even before an earlier call's promise settles:
 * the partition log updates its own state when it makes a call (an append may follow a
 * `truncate` or `deleteSegments` whose promise is still pending), so a store that works
 * asynchronously must queue its operations in call order, and {@link segments} and reads must
 * already reflect every call made.
 */
export interface PartitionStore {
  /** The partition this store holds. */
  readonly topicPartition: TopicPartition
  /** The segments, ascending by base offset. Empty until the first {@link roll}. */
  segments(): readonly SegmentMeta[]
  /**
   * Start a new, empty, active segment at `baseOffset` (greater than every existing segment's
   * base offset and at least the end of the current active one). Synchronous, like
   * {@link append}, so that the partition log's append stays synchronous: the new segment is at
   * once listed by {@link segments} and receives the next appends; a disk store may create its
   * files lazily (on the next append, flush or when it decides) and report I/O errors there.
   */
  roll(baseOffset: number): void
  /**
   * Append bytes (one or more whole batches) to the active segment. Synchronous: the bytes are
   * readable at once; they reach the disk on the next {@link flush} or when the store decides.
   * Returns the position at which they start.
   *
   * `handOver`: the caller gives the buffer up (the partition log does, for the batches it
   * appends): the store may keep it as it is instead of copying, and must then mark its memory
   * with `holdBytes` (held-bytes.ts) so the log never patches it again. Without it (default)
   * the store must not keep a reference to `bytes` once `append` returns.
   */
  append(bytes: Uint8Array, handOver?: boolean): number
  /** Add an offset-index entry to the segment at `baseOffset` (the active one, in practice). */
  appendOffsetIndex(baseOffset: number, entry: OffsetIndexEntry): void
  /** Add a time-index entry to the segment at `baseOffset`. */
  appendTimeIndex(baseOffset: number, entry: TimeIndexEntry): void
  /** Read the indexes of a segment (for a segment read back after reopen). */
  readIndexes(baseOffset: number): Promise<SegmentIndexes>
  /**
   * Read `length` bytes at `position` of a segment. Returns fewer bytes only where the
   * segment ends first. Reading a segment that does not exist is an error.
   */
  read(baseOffset: number, position: number, length: number): Promise<Uint8Array>
  /**
   * Optional: the run of bytes around `position` of a segment that the store holds in memory
   * and can hand out at once, without I/O and without copying, or `undefined` when it holds
   * none there (the caller then uses {@link read}). The partition log serves reads of bytes
   * in memory synchronously through it (no promise per batch, no copy). A segment that does
   * not exist is an error, as for {@link read}.
   */
  spanAt?(baseOffset: number, position: number): SegmentSpan | undefined
  /**
   * Cut the segment at `baseOffset` to `sizeBytes` and delete every later segment; index
   * entries at or past the cut are dropped (entries are given as `keepOffsetsBelow`).
   */
  truncate(baseOffset: number, sizeBytes: number, keepOffsetsBelow: number): Promise<void>
  /** Delete whole segments (retention, compaction swaps). Unknown base offsets are ignored. */
  deleteSegments(baseOffsets: readonly number[]): Promise<void>
  /**
   * Replace the segments at `replaced` with one segment at `baseOffset` holding `bytes` and
   * its indexes, atomically as far as the store can (used by compaction). Must not be the
   * active segment.
   */
  replaceSegments(
    replaced: readonly number[],
    baseOffset: number,
    bytes: Uint8Array,
    indexes: SegmentIndexes,
  ): Promise<void>
  /** Write what was appended; with `fsync`, make it durable. Concurrent calls may share one write. */
  flush(options: FlushOptions): Promise<void>
  /** Flush (without fsync) and release the partition's files. Idempotent. */
  close(): Promise<void>
}

/** A place for many partitions' segments: memory, a directory, or an abstract-level database. */
export interface LogStore {
  /** A short name for messages and benchmarks: `memory`, `files`, `level`. */
  readonly kind: string
  /** Open the store of one partition, creating it when absent. */
  openPartition(tp: TopicPartition): Promise<PartitionStore>
  /** The partitions the store holds (after a reopen: those written before). */
  listPartitions(): Promise<TopicPartition[]>
  /** Delete a partition's segments for good (topic deletion). Closes it first if open. */
  deletePartition(tp: TopicPartition): Promise<void>
  /** Close every open partition and the store itself. Idempotent. */
  close(): Promise<void>
}

/**
 * What the consumer hands to users: records (kafkajs's `KafkaMessage` shape, offsets and
 * timestamps as decimal strings), the payloads of `eachMessage` / `eachBatch`, and the options
 * of `subscribe`, `run`, `poll`, `seek`, `pause` and `commitOffsets`.
 */
import type { RecordHeader } from '../log/record-types.js'
import type { TopicPartition } from '../storage/log-store.js'

export type { RecordHeader, TopicPartition }

/** One record as the consumer hands it over (kafkajs's `KafkaMessage`). */
export interface ConsumedMessage {
  /** The offset, as a decimal string (kafkajs). */
  readonly offset: string
  /** The timestamp in ms since the epoch, as a decimal string. */
  readonly timestamp: string
  /** The key, or null. */
  readonly key: Buffer | null
  /** The value, or null. */
  readonly value: Buffer | null
  /** Headers by key; for a repeated key the last value wins (Java's `lastHeader`; see `headerList`). */
  readonly headers: Readonly<Record<string, Buffer | null>>
  /** Every header in order, repeats included (Java's `Headers`). */
  readonly headerList: readonly RecordHeader[]
}

/** A record with its topic and partition: what `poll()` and the async iterator return. */
export interface ConsumerRecord extends ConsumedMessage {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
}

/** The records of one partition handed to `eachBatch`. */
export interface ConsumedBatch {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The leader's high watermark when fetched, as a decimal string. */
  readonly highWatermark: string
  /** The records, in offset order. */
  readonly messages: readonly ConsumedMessage[]
  /** Whether there are no records. */
  isEmpty(): boolean
  /** The first record's offset, or null. */
  firstOffset(): string | null
  /** The last record's offset (high watermark − 1 when empty). */
  lastOffset(): string
  /** Records behind the high watermark after the last one, as a decimal string. */
  offsetLag(): string
}

/** What `eachMessage` gets. */
export interface EachMessagePayload {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The record. */
  readonly message: ConsumedMessage
  /** Send a heartbeat now when one is due (long handlers). */
  heartbeat(): Promise<void>
  /** Pause this topic-partition after this message (kafkajs). */
  pause(): () => void
}

/** What `eachBatch` gets. */
export interface EachBatchPayload {
  /** The batch. */
  readonly batch: ConsumedBatch
  /** Mark `offset` processed: the position moves past it (auto-commit commits it). */
  resolveOffset(offset: string): void
  /** Send a heartbeat now when one is due. */
  heartbeat(): Promise<void>
  /** Commit the resolved offsets now (only with auto-commit on, else a no-op). */
  commitOffsetsIfNecessary(): Promise<void>
  /** Whether the consumer still runs (a handler should stop when false). */
  isRunning(): boolean
  /** Whether the consumer is stale: a rebalance took this partition away or is coming. */
  isStale(): boolean
  /** Pause this topic-partition after this batch (returns the resume function). */
  pause(): () => void
}

/** `subscribe()`'s argument. */
export interface SubscribeOptions {
  /** Topics (names or regular expressions). */
  readonly topics?: readonly (string | RegExp)[]
  /** One topic (kafkajs). */
  readonly topic?: string | RegExp
  /** A pattern (Java's `subscribe(Pattern)`). */
  readonly pattern?: RegExp
  /** Start at the earliest offset without a committed one (sets `autoOffsetReset: 'earliest'`). */
  readonly fromBeginning?: boolean
}

/** `run()`'s argument: exactly one of `eachMessage` or `eachBatch`. */
export interface RunOptions {
  /** Called for each record, one at a time per partition. */
  readonly eachMessage?: (payload: EachMessagePayload) => Promise<void>
  /** Called for each fetched batch of one partition. */
  readonly eachBatch?: (payload: EachBatchPayload) => Promise<void>
  /** Resolve each message after `eachMessage` returns (default true; eachBatch: call `resolveOffset`). */
  readonly eachBatchAutoResolve?: boolean
  /** Commit resolved offsets automatically (default: the consumer's `autoCommit`, true). */
  readonly autoCommit?: boolean
  /** Commit at most this often (default: the consumer's `autoCommitIntervalMs`, 5000). */
  readonly autoCommitIntervalMs?: number
  /** Also commit once this many messages are resolved since the last commit. */
  readonly autoCommitThreshold?: number
  /** How many partitions are processed at once (default 1); one partition is always sequential. */
  readonly partitionsConsumedConcurrently?: number
}

/** `poll()`'s argument. */
export interface PollOptions {
  /** Return after this long without records (default 1000 ms; 0: only what is buffered or ready). */
  readonly timeoutMs?: number
  /** Return at most this many records (`max.poll.records`, 500). */
  readonly maxRecords?: number
}

/** An offset for one partition (offsets as decimal strings, numbers or bigints). */
export interface TopicPartitionOffset {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The offset. */
  readonly offset: string | number | bigint
}

/** `pause()` / `resume()`'s argument: a topic, and some of its partitions or all. */
export interface TopicPartitions {
  /** The topic. */
  readonly topic: string
  /** The partitions (all of the topic's when absent). */
  readonly partitions?: readonly number[]
}

/** An offset commit as reported by the `commit.offsets` event. */
export interface CommittedOffset {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The next offset to read, as a decimal string. */
  readonly offset: string
}

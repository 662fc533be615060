/**
 * The producer's typed events (eventemitter3). Payloads are built only when someone listens.
 */
import type { BrokerId } from '../broker/api.js'

/** Event names, as constants. */
export const PRODUCER_EVENTS = Object.freeze({
  REQUEST: 'request',
  RETRY: 'retry',
  BATCH_FAILED: 'batch-failed',
  DISCONNECT: 'disconnect',
} as const)

/** A produce request was handed to the transport. */
export interface ProducerRequestEvent {
  /** The leader it went to. */
  readonly broker: BrokerId
  /** Batches (partitions) in it. */
  readonly batches: number
  /** Bytes of record batches in it. */
  readonly sizeBytes: number
  /** Its acks. */
  readonly acks: -1 | 0 | 1
}

/** A batch will be sent again after a retriable error. */
export interface ProducerRetryEvent {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** The attempt that failed (1 = the first send). */
  readonly attempt: number
  /** The wait before the next attempt. */
  readonly backoffMs: number
  /** The error. */
  readonly error: unknown
}

/** A batch failed for good: the sends holding its records reject with `error`. */
export interface ProducerBatchFailedEvent {
  /** The topic. */
  readonly topic: string
  /** The partition. */
  readonly partition: number
  /** Records in the batch. */
  readonly recordCount: number
  /** The error. */
  readonly error: unknown
}

/** Every event of a {@link Producer}, with its listener's signature. */
export interface ProducerEvents {
  /** A produce request was sent. */
  request: (event: ProducerRequestEvent) => void
  /** A batch will be retried. */
  retry: (event: ProducerRetryEvent) => void
  /** A batch failed for good. */
  'batch-failed': (event: ProducerBatchFailedEvent) => void
  /** The producer was disconnected. */
  disconnect: () => void
}

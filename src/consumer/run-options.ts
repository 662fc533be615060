/** `run()`'s options: checked, defaults filled in from the consumer's options. */
import { InvalidArgumentError } from '../common/errors.js'
import { describe, toPositiveInt } from '../common/validate.js'
import type { ResolvedConsumerOptions } from './options.js'
import type { RunOptions } from './types.js'

/** `run()`'s options, checked, with their defaults. */
export interface ResolvedRun {
  /** The per-record handler (exactly one of the two is set). */
  readonly eachMessage: RunOptions['eachMessage']
  /** The per-batch handler. */
  readonly eachBatch: RunOptions['eachBatch']
  /** `eachBatchAutoResolve`. */
  readonly autoResolve: boolean
  /** Whether resolved positions are committed automatically. */
  readonly autoCommit: boolean
  /** `autoCommitIntervalMs`. */
  readonly intervalMs: number
  /** `autoCommitThreshold` (infinite when not given). */
  readonly threshold: number
  /** `partitionsConsumedConcurrently`. */
  readonly concurrency: number
}

/** Check `run()`'s options. */
export function resolveRunOptions(o: RunOptions, consumer: ResolvedConsumerOptions): ResolvedRun {
  if (typeof o !== 'object' || o === null) {
    throw new InvalidArgumentError(`run takes { eachMessage | eachBatch }, got ${describe(o)}`)
  }
  const each = [o.eachMessage, o.eachBatch].filter((f) => f !== undefined)
  if (each.length !== 1 || typeof each[0] !== 'function') {
    throw new InvalidArgumentError('run needs exactly one of eachMessage or eachBatch, a function')
  }
  if (o.autoCommit !== undefined && typeof o.autoCommit !== 'boolean') {
    throw new InvalidArgumentError(`autoCommit must be a boolean, got ${describe(o.autoCommit)}`)
  }
  return {
    eachMessage: o.eachMessage,
    eachBatch: o.eachBatch,
    autoResolve: o.eachBatchAutoResolve ?? true,
    autoCommit: o.autoCommit ?? consumer.autoCommit,
    intervalMs: toPositiveInt(
      o.autoCommitIntervalMs ?? consumer.autoCommitIntervalMs,
      'autoCommitIntervalMs',
    ),
    threshold:
      o.autoCommitThreshold === undefined
        ? Number.POSITIVE_INFINITY
        : toPositiveInt(o.autoCommitThreshold, 'autoCommitThreshold'),
    concurrency: toPositiveInt(
      o.partitionsConsumedConcurrently ?? 1,
      'partitionsConsumedConcurrently',
    ),
  }
}

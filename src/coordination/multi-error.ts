/**
 * The error a failed multi throws: the failing operation's code, with every operation's result
 * as ZooKeeper reports them (0 before the failing op, its code, -2 after).
 */
import { CoordinationError, type ErrorCode } from '../common/errors.js'
import type { OpError } from './types.js'

/** A multi failed; nothing was applied. */
export class MultiError extends CoordinationError {
  /** One result per operation of the multi. */
  readonly results: readonly OpError[]
  /** The index of the operation that failed. */
  readonly index: number

  /**
   * The failure of op `index` of a multi.
   *
   * @param code - the failing op's code
   * @param message - human-readable text
   * @param results - one entry per op: 0 before the failing op, its code, then -2 (RUNTIME_INCONSISTENCY)
   * @param index - the failing op's position
   */
  constructor(code: ErrorCode, message: string, results: readonly OpError[], index: number) {
    super(code, message)
    this.results = results
    this.index = index
  }
}

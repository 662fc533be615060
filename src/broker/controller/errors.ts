/**
 * The controller's own failure: another controller took over (its epoch check failed).
 */
import { isLogkeeperError } from '../../common/errors.js'
import { MultiError } from '../../coordination/multi-error.js'

/** Thrown inside the controller when a write finds `/controller_epoch` changed. */
export class ControllerMovedError extends Error {
  /** The controller lost its epoch. */
  constructor() {
    super('the controller moved: /controller_epoch changed')
    this.name = 'ControllerMovedError'
  }
}

/** Whether a failed controller multi failed on its epoch check (op 0). */
export function isEpochCheckFailure(err: unknown): boolean {
  return err instanceof MultiError && err.index === 0
}

/** Whether a failed multi failed on a later op with `BAD_VERSION` (a concurrent write). */
export function isStaleVersion(err: unknown): boolean {
  if (err instanceof MultiError) return err.index > 0 && err.code === 'BAD_VERSION'
  return isLogkeeperError(err, 'BAD_VERSION')
}

/** Whether a failed multi failed with `NODE_EXISTS` after its epoch check. */
export function isNodeExists(err: unknown): boolean {
  if (err instanceof MultiError) return err.index > 0 && err.code === 'NODE_EXISTS'
  return isLogkeeperError(err, 'NODE_EXISTS')
}

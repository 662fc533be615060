/**
 * Options every recipe takes, and their defaults. Recipes read time only through the injected
 * {@link Clock} (timeouts) and chance only through the injected {@link Random} (the per-attempt
 * ids of protected creates), so a simulation under a virtual clock and a seed replays exactly.
 */
import { type Clock, isClock, RealClock } from '../../common/clock.js'
import { InvalidArgumentError } from '../../common/errors.js'
import { createRandom, type Random } from '../../common/random.js'
import { describe } from '../../common/validate.js'

/** Options shared by the recipes. */
export interface RecipeOptions {
  /** The clock for timeouts; pass the coordinator's clock. Default: the real clock. */
  clock?: Clock
  /** Randomness for the per-attempt ids in node names. Default: a randomly seeded generator. */
  random?: Random
  /**
   * How many times an operation whose reply was lost (CONNECTION_LOSS and other retriable
   * codes) is tried again before the error is passed on. Default 3.
   */
  retries?: number
}

/** {@link RecipeOptions} with defaults filled in. */
export interface ResolvedRecipeOptions {
  readonly clock: Clock
  readonly random: Random
  readonly retries: number
}

/** Check the shared options and fill in the defaults. */
export function resolveRecipeOptions(options: RecipeOptions = {}): ResolvedRecipeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('recipe options must be an object')
  }
  const retries = options.retries ?? 3
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new InvalidArgumentError(
      `retries must be a non-negative integer, got ${describe(retries)}`,
    )
  }
  if (options.clock !== undefined && !isClock(options.clock)) {
    throw new InvalidArgumentError(`clock must be a Clock, got ${describe(options.clock)}`)
  }
  const { random } = options
  if (random !== undefined && typeof (random as Partial<Random> | null)?.uuid !== 'function') {
    throw new InvalidArgumentError(`random must be a Random, got ${describe(random)}`)
  }
  return {
    clock: options.clock ?? new RealClock(),
    random: options.random ?? createRandom(),
    retries,
  }
}

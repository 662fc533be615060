import type { Suite } from '../harness.js'
import { consumeSuite } from './consume.js'
import { coordinatorSuite } from './coordinator.js'
import { logSuite } from './log.js'
import { produceSuite } from './produce.js'
import { recipesSuite } from './recipes.js'
import { scaleSuite } from './scale.js'

/** Every benchmark suite, in the order they run. */
export const suites: Suite[] = [
  logSuite,
  coordinatorSuite,
  recipesSuite,
  produceSuite,
  consumeSuite,
  scaleSuite,
]

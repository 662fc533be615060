/**
 * The whole-cluster simulation's CI seeds 26..50, beside `whole-cluster.sim.test.ts` so
 * that vitest runs the ranges at once. Replays run there.
 */
import { seedSuite } from './support/suite.js'

seedSuite('whole', { count: 25, from: 26, primary: false })

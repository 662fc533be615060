/**
 * The group simulation's second range of CI seeds (21..30), beside
 * `consumer-groups.sim.test.ts` so that vitest runs both at once. Replays run there.
 */
import { seedSuite } from './support/suite.js'

seedSuite('groups', { count: 10, from: 21, primary: false })

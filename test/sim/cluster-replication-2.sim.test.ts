/**
 * The replication simulation's second range of CI seeds (51..100), beside
 * `cluster-replication.sim.test.ts` so that vitest runs both at once. Replays run there.
 */
import { seedSuite } from './support/suite.js'

seedSuite('replication', { count: 50, from: 51, primary: false })

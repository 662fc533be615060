/**
 * Every simulation by name, as `npm run sim` and the test files run them: how to run a seed,
 * its default schedule length, and which violations known bugs explain.
 */
import { runSimulation, unexplained } from './cluster-sim.js'
import { runGroupSimulation, unexplainedGroup } from './group-sim.js'
import type { SimName, SimRun } from './support/replay.js'
import { runWholeSimulation, unexplainedWhole } from './whole-cluster.sim.js'

/** One simulation as a runner sees it. */
export interface SimEntry {
  /** Schedule steps when none are given. */
  readonly defaultSteps: number
  /** Run one seed. */
  run(seed: number, steps: number): Promise<SimRun>
  /** The violations of a run no known bug explains (all of them with `strict`). */
  failures(run: SimRun, strict: boolean): string[]
}

/** The simulations. */
export const SIMS: Readonly<Record<SimName, SimEntry>> = {
  whole: {
    defaultSteps: 60,
    run: (seed, steps) => runWholeSimulation(seed, { steps }),
    failures: (run, strict) => unexplainedWhole(run, strict),
  },
  replication: {
    defaultSteps: 100,
    run: (seed, steps) => runSimulation(seed, { steps }),
    failures: (run, strict) => unexplained(run as Parameters<typeof unexplained>[0], strict),
  },
  groups: {
    defaultSteps: 50,
    run: (seed, steps) => runGroupSimulation(seed, { steps }),
    failures: (run, strict) =>
      unexplainedGroup(run as Parameters<typeof unexplainedGroup>[0], strict),
  },
}

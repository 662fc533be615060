/**
 * `logkeeper demo`: a narrated tour of logkeeper on a cluster in memory (three brokers, a
 * virtual clock, a seed): a replicated topic, keyed produce, a consumer group's rebalance, a
 * lock passed between two clients, and a master-worker failover.
 */
import type { Command } from '../command.js'
import { runTour } from '../demo/tour.js'
import { UsageError } from '../errors.js'

const DEFAULT_SEED = 42

const DETAILS = `The tour, in five chapters, each telling what the cluster does as it does it:
  1. a topic of 3 partitions with replication factor 3: where leaders and followers live,
     and the assignment as the coordinator holds it (/brokers/topics/<topic>);
  2. keyed records: the same key always lands on the same partition;
  3. a consumer group: who owns which partitions before and after a second member joins;
  4. a lock passed between two clients, by release and by a session that expires;
  5. master-worker: the master hangs, its session expires, another candidate takes over.
Nothing touches the disk. Waits of seconds (heartbeats, session timeouts) pass in virtual
time, so the tour takes a moment; the same seed tells the same story.

Examples:
  logkeeper demo
  logkeeper demo --seed 7`

/** The `--seed` value, or the default. */
function seedOf(value: unknown, help: string): number {
  if (value === undefined) return DEFAULT_SEED
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value)
  throw new UsageError(`--seed must be a whole number, got ${String(value)}`, help)
}

/** The `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'a guided tour on a cluster in memory',
  usage: ['demo [--seed <n>]'],
  details: DETAILS,
  options: {
    seed: {
      type: 'string',
      valueName: 'n',
      description: `the seed of every random choice (default ${DEFAULT_SEED})`,
    },
  },
  async run({ io, values, help }) {
    await runTour(io.stdout, seedOf(values.seed, help))
    return undefined
  },
}

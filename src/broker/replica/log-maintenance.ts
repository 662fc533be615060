/**
 * Retention and compaction of every hosted log (Kafka's `LogManager` cleanup and the log
 * cleaner), run every `log.retention.check.interval.ms`. A log whose start moved forward drops
 * the leader epochs below it.
 */
import type { Partition } from './partition.js'

/** Enforce retention on each partition's log, and compact those with `cleanup.policy` compact. */
export async function maintainLogs(partitions: Iterable<Partition>): Promise<void> {
  for (const p of [...partitions]) {
    const log = p.log
    if (log.closed) continue
    try {
      await log.enforceRetention()
      if (log.config['cleanup.policy'].includes('compact')) await log.compact()
      p.epochs.truncateFromStart(log.logStartOffset)
    } catch {
      // A log closed or replaced meanwhile (stopped, reset): the next run sees the new one.
    }
  }
}

/**
 * The loop of `console-consumer`: poll, print, wait for the output to drain, until
 * `--max-messages` records are printed, `--timeout-ms` passes without a record (counted from
 * when the consumer has its partitions and their positions), or a stop is asked (Ctrl-C at
 * once; the end of the input once the consumer has caught up). Each poll asks
 * for no more records than are still wanted, so the consumer's position (which a group
 * commits) is never past what was printed.
 */
import type { Clock } from '../../common/clock.js'
import type { Consumer } from '../../consumer/consumer.js'
import type { Output } from '../io.js'
import { formatRecord, type RecordFormat, type TimestampType } from './formatter.js'
import type { ConsumeProgress } from './progress.js'
import type { StopRequest } from './stop.js'

/** The longest single poll, so a stop is seen this soon. */
export const POLL_SLICE_MS = 200
/** The most records one poll hands over. */
export const MAX_POLL_RECORDS = 500

/** What the loop works with. */
export interface ConsumeLoop {
  /** The consumer, subscribed or assigned. */
  readonly consumer: Consumer
  /** The cluster's clock (for the idle timeout). */
  readonly clock: Clock
  /** Where records go. */
  readonly stdout: Output
  /** How records print. */
  readonly format: RecordFormat
  /** The topic's timestamp type. */
  readonly timestampType: TimestampType
  /** `--max-messages`. */
  readonly maxMessages: number | undefined
  /** `--timeout-ms`. */
  readonly timeoutMs: number | undefined
  /** Asked to stop. */
  readonly stop: StopRequest
  /** Records the consumer has yet to read of what its partitions hold now (undefined while unknown). */
  readonly behind: () => number | undefined
  /** Progress on stderr. */
  readonly progress: ConsumeProgress
}

/** The count of records printed, kept up to date while the loop runs. */
export interface PrintedCount {
  /** Records printed so far. */
  value: number
}

function shouldStop(loop: ConsumeLoop): boolean {
  const reason = loop.stop.reason
  if (reason === undefined) return false
  return reason !== 'input-ended' || loop.behind() === 0
}

/** How long the next poll may wait: a slice, or what is left of the idle timeout. */
function pollWait(loop: ConsumeLoop, idleSince: number): number {
  if (loop.timeoutMs === undefined) return POLL_SLICE_MS
  const left = loop.timeoutMs - (loop.clock.now() - idleSince)
  return Math.max(0, Math.min(POLL_SLICE_MS, left))
}

/** Run the loop; `printed` counts the records printed (also when it ends by an error). */
export async function runConsumeLoop(loop: ConsumeLoop, printed: PrintedCount): Promise<void> {
  const { consumer, clock, stdout, maxMessages, timeoutMs } = loop
  let idleSince = clock.now()
  let ready = false
  while (maxMessages === undefined || printed.value < maxMessages) {
    if (shouldStop(loop)) return
    const wanted = maxMessages === undefined ? MAX_POLL_RECORDS : maxMessages - printed.value
    const records = await consumer.poll({
      timeoutMs: ready ? pollWait(loop, idleSince) : POLL_SLICE_MS,
      maxRecords: Math.min(MAX_POLL_RECORDS, wanted),
    })
    if (!ready && loop.behind() !== undefined) {
      // The wait for partitions (a group's join, logs still loading) is not idle time.
      ready = true
      idleSince = clock.now()
    }
    if (records.length === 0) {
      if (ready && timeoutMs !== undefined && clock.now() - idleSince >= timeoutMs) return
      continue
    }
    for (const record of records) {
      stdout.write(formatRecord(record, loop.format, loop.timestampType))
      printed.value++
    }
    loop.progress.update(printed.value, loop.behind())
    await stdout.ready()
    idleSince = clock.now()
  }
}

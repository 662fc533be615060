/**
 * Progress of `console-consumer` through a backlog, on stderr, `\r`-rewritten: only when
 * stderr is a terminal and stdout is not (records on the terminal show their own progress; in
 * a pipe or a file a progress line would be noise), only once the run has lasted a second,
 * and at most four times a second.
 */
import type { Clock } from '../../common/clock.js'
import type { Output } from '../io.js'

/** Reports how far a consumer has come. */
export interface ConsumeProgress {
  /** `count` records printed; `behind` records still to read (undefined while unknown). */
  update(count: number, behind: number | undefined): void
  /** Finished: the line is cleared. Idempotent. */
  done(): void
}

/** No progress shown before the run has lasted this long. */
export const PROGRESS_AFTER_MS = 1000
/** The least time between two updates of the line. */
export const PROGRESS_EVERY_MS = 250

/** The progress shown for `stdout`/`stderr` on `clock`: a line on stderr, or nothing. */
export function consumeProgress(stdout: Output, stderr: Output, clock: Clock): ConsumeProgress {
  const show = stderr.isTTY && !stdout.isTTY
  const start = clock.now()
  let last = Number.NEGATIVE_INFINITY
  let shown = false
  return {
    update(count, behind) {
      const now = clock.now()
      if (!show || now - start < PROGRESS_AFTER_MS || now - last < PROGRESS_EVERY_MS) return
      last = now
      shown = true
      const rest = behind === undefined ? '' : `, ${behind} behind`
      stderr.write(`\rProcessed ${count} messages${rest}\x1b[K`)
    },
    done() {
      if (shown) stderr.write('\r\x1b[K')
      shown = false
    },
  }
}

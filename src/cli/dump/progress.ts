/**
 * Progress of a long dump on stderr, `\r`-rewritten, only when stderr is a terminal and stdout
 * is not (when stdout is the terminal, the output itself shows the progress; when stderr is a
 * pipe or file, a progress line would be noise in it). Updated per whole percent.
 */
import type { Output } from '../io.js'

/** Reports how far a dump has come. */
export interface Progress {
  /** A file of `total` bytes is being read. */
  start(file: string, total: number): void
  /** `done` bytes of it have been read. */
  update(done: number): void
  /** Finished (the line is cleared). Idempotent. */
  done(): void
}

/** Files smaller than this finish too fast for a progress line. */
const MIN_BYTES = 8 << 20

/** The progress shown for `stdout`/`stderr`: a line on stderr, or nothing. */
export function progressFor(stdout: Output, stderr: Output): Progress {
  const show = stderr.isTTY && !stdout.isTTY
  let file = ''
  let total = 0
  let percent = -1
  let shown = false
  return {
    start(name, bytes) {
      file = name
      total = bytes
      percent = -1
    },
    update(done) {
      if (!show || total < MIN_BYTES) return
      const now = Math.floor((done * 100) / total)
      if (now === percent) return
      percent = now
      shown = true
      const mb = (n: number) => (n / (1 << 20)).toFixed(0)
      stderr.write(`\rDumping ${file}: ${now}% (${mb(done)} of ${mb(total)} MiB)\x1b[K`)
    },
    done() {
      if (shown) stderr.write('\r\x1b[K')
      shown = false
    },
  }
}

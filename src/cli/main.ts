/**
 * The `logkeeper` executable (the package's `bin`): runs the command line on the process's
 * own arguments and streams, flushes, and exits with the command's status.
 */
import { processIo } from './io.js'
import { run } from './run.js'

const status = await run(process.argv.slice(2), processIo())
// Exit explicitly: an open data directory's timers must not keep a finished command alive.
process.exit(status)

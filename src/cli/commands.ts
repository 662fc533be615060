/**
 * The list of commands, in the order the top-level help shows them. A new command is a file
 * under `commands/` exporting a {@link Command}, added here.
 */
import type { Command } from './command.js'
import { dumpLogCommand } from './commands/dump-log.js'
import { snapshotCommand } from './commands/snapshot.js'
import { txnLogCommand } from './commands/txn-log.js'
import { zkCommand } from './commands/zk.js'

/** Every command of the command line. */
export const COMMANDS: readonly Command[] = [
  zkCommand,
  dumpLogCommand,
  txnLogCommand,
  snapshotCommand,
]

/**
 * The list of commands, in the order the top-level help shows them. A new command is a file
 * under `commands/` exporting a {@link Command}, added here.
 */
import type { Command } from './command.js'
import { consoleConsumerCommand } from './commands/console-consumer.js'
import { consoleProducerCommand } from './commands/console-producer.js'
import { consumerGroupsCommand } from './commands/consumer-groups.js'
import { demoCommand } from './commands/demo.js'
import { dumpLogCommand } from './commands/dump-log.js'
import { shellCommand } from './commands/shell.js'
import { snapshotCommand } from './commands/snapshot.js'
import { topicsCommand } from './commands/topics.js'
import { txnLogCommand } from './commands/txn-log.js'
import { zkCommand } from './commands/zk.js'

/** Every command of the command line. */
export const COMMANDS: readonly Command[] = [
  topicsCommand,
  consoleProducerCommand,
  consoleConsumerCommand,
  consumerGroupsCommand,
  zkCommand,
  shellCommand,
  demoCommand,
  dumpLogCommand,
  txnLogCommand,
  snapshotCommand,
]

/**
 * `logkeeper console-producer`: being written (issue 7). Until then it says so and exits with status 1.
 */
import type { Command } from '../command.js'
import { UserError } from '../errors.js'

/** The `console-producer` command. */
export const consoleProducerCommand: Command = {
  name: 'console-producer',
  summary: 'send stdin lines as records (kafka-console-producer)',
  usage: ['console-producer'],
  options: {},
  async run() {
    throw new UserError('console-producer is not built yet')
  },
}

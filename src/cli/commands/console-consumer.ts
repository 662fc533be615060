/**
 * `logkeeper console-consumer`: being written (issue 7). Until then it says so and exits with status 1.
 */
import type { Command } from '../command.js'
import { UserError } from '../errors.js'

/** The `console-consumer` command. */
export const consoleConsumerCommand: Command = {
  name: 'console-consumer',
  summary: 'print records of a topic (kafka-console-consumer)',
  usage: ['console-consumer'],
  options: {},
  async run() {
    throw new UserError('console-consumer is not built yet')
  },
}

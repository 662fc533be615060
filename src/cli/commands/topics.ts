/**
 * `logkeeper topics`: being written (issue 7). Until then it says so and exits with status 1.
 */
import type { Command } from '../command.js'
import { UserError } from '../errors.js'

/** The `topics` command. */
export const topicsCommand: Command = {
  name: 'topics',
  summary: 'create, list, describe, alter and delete topics (kafka-topics)',
  usage: ['topics'],
  options: {},
  async run() {
    throw new UserError('topics is not built yet')
  },
}

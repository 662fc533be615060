/**
 * `logkeeper consumer-groups`: being written (issue 7). Until then it says so and exits with status 1.
 */
import type { Command } from '../command.js'
import { UserError } from '../errors.js'

/** The `consumer-groups` command. */
export const consumerGroupsCommand: Command = {
  name: 'consumer-groups',
  summary: 'list, describe and reset consumer groups (kafka-consumer-groups)',
  usage: ['consumer-groups'],
  options: {},
  async run() {
    throw new UserError('consumer-groups is not built yet')
  },
}

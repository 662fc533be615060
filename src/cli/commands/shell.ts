/**
 * `logkeeper shell`: being written (issue 7). Until then it says so and exits with status 1.
 */
import type { Command } from '../command.js'
import { UserError } from '../errors.js'

/** The `shell` command. */
export const shellCommand: Command = {
  name: 'shell',
  summary: 'one cluster, every command at one prompt',
  usage: ['shell'],
  options: {},
  async run() {
    throw new UserError('shell is not built yet')
  },
}

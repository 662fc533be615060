/**
 * `logkeeper demo`: being written (issue 7). Until then it says so and exits with status 1.
 */
import type { Command } from '../command.js'
import { UserError } from '../errors.js'

/** The `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'a guided tour on a cluster in memory',
  usage: ['demo'],
  options: {},
  async run() {
    throw new UserError('demo is not built yet')
  },
}

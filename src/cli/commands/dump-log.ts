/** placeholder */
import type { Command } from '../command.js'

/** The `dump-log` command. */
export const dumpLogCommand: Command = {
  name: 'dump-log',
  summary: 'print log segments as kafka-dump-log does',
  usage: ['dump-log --files <file>[,<file>...] [--print-data-log]'],
  options: {},
  async run() {
    return 0
  },
}

/**
 * The commands of the command line that do not run inside the shell, and why: the shell
 * itself, the demo (a cluster of its own), and the tools that read a data directory's files
 * (they need the directory, which the shell holds open). Any other command runs: a
 * `ClusterCommand` on the shell's cluster, a command that needs no directory (`dump-log`) as
 * it runs outside.
 */
import type { Command } from '../command.js'
import { isClusterCommand } from '../open-cluster.js'

const REASONS: Readonly<Record<string, string>> = {
  shell: 'this is the shell already',
  demo: "runs a cluster of its own, in memory: run 'logkeeper demo' outside the shell",
}

/** Why `command` does not run inside the shell, or undefined when it does. */
export function whyNotInShell(command: Command): string | undefined {
  const reason = REASONS[command.name]
  if (reason !== undefined) return reason
  if (isClusterCommand(command) || !('data-dir' in command.options)) return undefined
  return (
    "reads the data directory's files, which this shell holds open: " +
    `quit, then run 'logkeeper ${command.name} --data-dir <dir>'`
  )
}

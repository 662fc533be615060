/**
 * The shell's `help`: the commands of the command line it runs (with their summaries), the
 * ZooKeeper commands (zkCli's usage lines), its own words, and the commands it does not run,
 * with why. `help <command>` is that command's `--help`.
 */
import type { Command } from '../command.js'
import { ZK_COMMANDS } from '../zk/execute.js'
import { END_OF_RECORDS } from './records.js'
import { whyNotInShell } from './refusals.js'

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)
}

/** The text `help` prints, for a shell on `dir` that knows `commands`. */
export function shellHelp(commands: readonly Command[], dir: string): string {
  const runs = commands.filter((c) => c.name !== 'zk' && whyNotInShell(c) === undefined)
  const refused = commands.filter((c) => c.name !== 'zk' && whyNotInShell(c) !== undefined)
  const zk = [...ZK_COMMANDS.values()]
    .filter((c) => c.name !== 'quit')
    .map((c) => `  ${c.usage.trimEnd()}`)
    .concat('  redo cmdno')
    .sort()
  return [
    `Commands on the cluster of ${dir} (each takes its usual options; '<command> --help'):`,
    ...table(runs.map((c) => [c.name, c.summary])),
    `  (console-producer reads the lines after it as records, up to a line '${END_OF_RECORDS}')`,
    '',
    "ZooKeeper commands, on the shell's own session (also as 'zk <command>'):",
    ...zk,
    '',
    'The shell:',
    ...table([
      ['help [command]', "this list, or a command's --help"],
      ['quit, exit', 'leave the shell and close the cluster (so does the end of input)'],
    ]),
    '',
    'Not in the shell:',
    ...table(refused.map((c) => [c.name, whyNotInShell(c) as string])),
    '',
  ].join('\n')
}

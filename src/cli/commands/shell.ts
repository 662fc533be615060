/**
 * `logkeeper shell`: one cluster, every command at one prompt. It opens the data directory's
 * cluster once and runs, line by line, the command line's cluster commands on it (`topics`,
 * `console-producer`, `console-consumer`, `consumer-groups`, by their usual names and options)
 * and zkCli's commands on one ZooKeeper session that lives as long as the shell. The directory
 * stays held while the shell runs: another process that opens it is told this one's PID.
 */
import { type Command, DATA_DIR_OPTION, dataDirOf } from '../command.js'
import { COMMANDS } from '../commands.js'
import { EXIT } from '../errors.js'
import { openClusterDir } from '../open-cluster.js'
import { END_OF_RECORDS } from '../shell/records.js'
import { ShellSession } from '../shell/shell-session.js'
import { runLineLoop } from '../zk/prompt.js'

const DETAILS = `Each line is one command:
  - a command of the command line, with its usual options, on the shell's cluster:
    topics, console-producer, console-consumer, consumer-groups, dump-log
    (--data-dir may be left out; it can only name the shell's own directory);
  - a ZooKeeper command as zkCli.sh takes it (ls, get, create, set, delete, stat, addWatch,
    ...), directly or as 'zk <command>', on one session that lives as long as the shell: its
    ephemeral nodes stay until the shell ends, and watch events print as they fire, in
    zkCli's WATCHER:: format;
  - help [command], or quit / exit.
console-producer takes the lines that follow it as its records, one a line, up to a line
holding a single '${END_OF_RECORDS}' (or the end of input). shell and demo do not run inside, nor do
txn-log and snapshot (they read the directory's files, which the shell holds: quit first).

A command's error prints one line and the shell goes on. Read from a terminal, the shell
prompts (logkeeper:<dir>> ) with line editing and history, and exits with status 0. Read from
a pipe or a here-doc, it prints no prompt and exits, as zkCli.sh does, with the status of the
last command it ran (0 done, 1 failed, 2 malformed; quit is not a command), so a script can
check its last step. Leaving closes the shell's ZooKeeper session (its ephemerals go) and the
cluster.

Examples:
  logkeeper shell --data-dir ./data
  logkeeper shell <<'EOF'
  topics --create --topic orders --partitions 3 --replication-factor 1
  console-producer --topic orders
  first order
  second order
  ${END_OF_RECORDS}
  console-consumer --topic orders --group billing --from-beginning --max-messages 2
  consumer-groups --describe --group billing
  create -e /workers/w1 host:8888
  ls /brokers/ids
  quit
  EOF`

/** The `shell` command. */
export const shellCommand: Command = {
  name: 'shell',
  summary: 'one cluster, every command at one prompt',
  usage: ['shell [--data-dir <dir>]'],
  details: DETAILS,
  options: { 'data-dir': DATA_DIR_OPTION },
  async run({ io, values }) {
    const dir = dataDirOf(values)
    const label = dir.replace(/^\.\//, '')
    const open = await openClusterDir(dir)
    const shell = new ShellSession(io, open, label, COMMANDS)
    try {
      if (io.stdinIsTTY) {
        const brokers = open.cluster.brokers.length
        io.stdout.line(
          `logkeeper shell on ${open.path} (${brokers} broker${brokers === 1 ? '' : 's'}): ` +
            "'help' lists the commands, 'quit' leaves",
        )
      }
      await runLineLoop(io, shell, shell.zk)
    } finally {
      await shell.close()
      await open.close()
    }
    return io.stdinIsTTY ? EXIT.OK : shell.lastStatus
  },
}

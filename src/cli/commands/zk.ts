/**
 * `logkeeper zk`: ZooKeeper's shell (zkCli.sh) on the coordinator of a data directory, one
 * command per process (`zk ls /brokers/ids`) or a prompt (`zk`), in zkCli's own output.
 */
import { type Command, DATA_DIR_OPTION, dataDirOf } from '../command.js'
import { EXIT } from '../errors.js'
import { openCoordinatorDir } from '../open-data-dir.js'
import { executeWords } from '../zk/execute.js'
import { runPrompt } from '../zk/prompt.js'
import { ZkSession } from '../zk/session.js'

const DETAILS = `Commands (zkCli.sh's, in its output format):
  ls [-s] [-w] [-R] path            get [-s] [-w] path           stat [-w] path
  create [-s] [-e] [-c] [-t ttl] path [data]                     set [-s] [-v version] path data
  delete [-v version] path          deleteall path [-b batch size]
  getEphemerals [path]              getAllChildrenNumber path    sync path
  addWatch [-m persistent|persistent_recursive] path             removewatches path [-c|-d|-a]
  printwatches on|off   history   redo cmdno   version   close   connect   quit (or exit)

Data, Stat blocks and WATCHER:: events go to stdout; "Created /path" and error lines to
stderr, as zkCli prints them. One command per process closes its session on exit, so an
ephemeral node made that way is gone when the command returns; use the prompt to hold one.
Without a command, commands are read from stdin: at a prompt on a terminal, line by line from
a pipe or here-doc. Exit status: 0 done, 1 the command failed, 2 a malformed command.

Examples:
  logkeeper zk ls /brokers/ids
  logkeeper zk --data-dir ./data get -s /controller
  logkeeper zk <<'EOF'
  create /workers
  ls -w /workers
  quit
  EOF`

/** The `zk` command. */
export const zkCommand: Command = {
  name: 'zk',
  summary: "ZooKeeper's shell (zkCli.sh) on the data directory's coordinator",
  usage: ['zk [--data-dir <dir>]', 'zk [--data-dir <dir>] <zk command> [args...]'],
  details: DETAILS,
  options: { 'data-dir': DATA_DIR_OPTION },
  positionals: 'rest',
  async run({ io, values, positionals }) {
    const dir = dataDirOf(values)
    const label = dir.replace(/^\.\//, '')
    const open = await openCoordinatorDir(dir)
    try {
      if (positionals.length > 0) {
        // One command: the connection chatter goes to stderr, so stdout holds only the result.
        const session = new ZkSession({
          coordinator: open.coordinator,
          out: io.stdout,
          err: io.stderr,
          sessionOut: io.stderr,
        })
        io.stderr.line(`Connecting to ${label}`)
        session.connect()
        const outcome = await executeWords(session, positionals)
        await session.close(true)
        return outcome === 'failed' ? EXIT.USER_ERROR : outcome === 'usage' ? EXIT.USAGE : EXIT.OK
      }
      const session = new ZkSession({
        coordinator: open.coordinator,
        out: io.stdout,
        err: io.stderr,
        sessionOut: io.stdout,
      })
      io.stdout.line(`Connecting to ${label}`)
      io.stdout.line('Welcome to ZooKeeper!')
      if (!io.stdinIsTTY) io.stdout.line('JLine support is disabled')
      session.connect()
      await runPrompt(session, io, label)
      await session.close()
      return EXIT.OK
    } finally {
      await open.close()
    }
  },
}

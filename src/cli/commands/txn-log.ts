/**
 * `logkeeper txn-log`: the coordinator's transaction log, one line per txn (time, session,
 * zxid, operation), in the spirit of ZooKeeper's `zkTxnLogToolkit`. Txns already in a snapshot
 * have been purged from the log; `snapshot` prints those.
 */
import { dumpTxnLog } from '../../coordination/persistence/dump.js'
import { type Command, DATA_DIR_OPTION, dataDirOf } from '../command.js'
import { openCoordinatorFiles } from '../open-data-dir.js'
import { parseZxid } from '../zxid-arg.js'

/** The `txn-log` command. */
export const txnLogCommand: Command = {
  name: 'txn-log',
  summary: "print the coordinator's transaction log (zkTxnLogToolkit)",
  usage: ['txn-log [--data-dir <dir>] [--after-zxid <zxid>]'],
  details: `Each line: time (UTC), session id, zxid, and the operation. The log holds the txns
after the newest snapshot; the last line says how many were printed.

Example:
  logkeeper txn-log --data-dir ./data --after-zxid 0x1f`,
  options: {
    'data-dir': DATA_DIR_OPTION,
    'after-zxid': {
      type: 'string',
      valueName: 'zxid',
      description: 'print only txns after this zxid (0x1f or 31)',
    },
  },
  async run({ io, values, help }) {
    const after = typeof values['after-zxid'] === 'string' ? values['after-zxid'] : undefined
    const afterZxid = after === undefined ? 0 : parseZxid(after, 'after-zxid', help)
    const files = await openCoordinatorFiles(dataDirOf(values), { mustExist: true })
    try {
      let count = 0
      for await (const line of dumpTxnLog(files.txnLog, afterZxid)) {
        io.stdout.line(line)
        count++
        await io.stdout.ready()
      }
      io.stdout.line(`EOF reached after ${count} txns.`)
    } finally {
      await files.close()
    }
    return undefined
  },
}

/**
 * `logkeeper snapshot`: a snapshot of the coordinator's tree (the newest, or the one at a
 * zxid), each znode with its Stat and then the sessions, in the spirit of ZooKeeper's
 * `zkSnapShotToolkit`; `--list` lists the snapshots kept.
 */
import { formatSnapshot } from '../../coordination/persistence/dump.js'
import { type Command, DATA_DIR_OPTION, dataDirOf } from '../command.js'
import { UserError } from '../errors.js'
import { openCoordinatorFiles } from '../open-data-dir.js'
import { hex } from '../zk/format.js'
import { parseZxid } from '../zxid-arg.js'

/** The `snapshot` command. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: "print a snapshot of the coordinator's tree (zkSnapShotToolkit)",
  usage: ['snapshot [--data-dir <dir>] [--zxid <zxid>]', 'snapshot [--data-dir <dir>] --list'],
  details: `The coordinator takes a snapshot every snapshotEveryTxns txns (100,000 by default),
so a young directory may have none yet: its whole history is then in 'txn-log'.

Example:
  logkeeper snapshot --data-dir ./data --list
  logkeeper snapshot --data-dir ./data --zxid 0x186a0`,
  options: {
    'data-dir': DATA_DIR_OPTION,
    zxid: { type: 'string', valueName: 'zxid', description: 'the snapshot at this zxid' },
    list: { type: 'boolean', description: "list the snapshots' zxids, oldest first" },
  },
  async run({ io, values, help }) {
    const at = typeof values.zxid === 'string' ? parseZxid(values.zxid, 'zxid', help) : undefined
    const dir = dataDirOf(values)
    const files = await openCoordinatorFiles(dir, { mustExist: true })
    try {
      const zxids = await files.snapshots.list()
      if (values.list === true) {
        for (const z of zxids) io.stdout.line(hex(z))
        return undefined
      }
      const zxid = at ?? zxids[zxids.length - 1]
      if (zxid === undefined) {
        throw new UserError(`${dir} has no coordinator snapshot yet (see 'logkeeper txn-log')`)
      }
      const snapshot = zxids.includes(zxid) ? await files.snapshots.load(zxid) : undefined
      if (snapshot === undefined) throw new UserError(`${dir} has no snapshot at zxid ${hex(zxid)}`)
      for (const line of formatSnapshot(snapshot)) {
        io.stdout.line(line)
        await io.stdout.ready()
      }
    } finally {
      await files.close()
    }
    return undefined
  },
}

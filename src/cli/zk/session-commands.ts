/**
 * The zk shell's watch and session commands: `addWatch`, `removewatches`, `printwatches`,
 * `history`, `redo` (handled by the dispatcher), `version`, `close`, `connect`, `quit`.
 */
import type { AddWatchMode, WatcherType } from '../../coordination/types.js'
import { VERSION } from '../version.js'
import { atPath } from './at-path.js'
import { validatePath, ZkUsageError } from './problems.js'
import { pathArg } from './read-commands.js'
import { clientOf, type ZkCommand } from './zk-command.js'

const ADD_WATCH_USAGE =
  'addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE'
const MODES: Readonly<Record<string, AddWatchMode>> = {
  PERSISTENT: 'persistent',
  PERSISTENT_RECURSIVE: 'persistent-recursive',
}
const addWatch: ZkCommand = {
  name: 'addWatch',
  usage: ADD_WATCH_USAGE,
  options: { m: true },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, ADD_WATCH_USAGE)
    const m = args.options.get('m')
    const mode = typeof m === 'string' ? MODES[m.toUpperCase()] : 'persistent-recursive'
    if (mode === undefined) throw new ZkUsageError(ADD_WATCH_USAGE)
    validatePath(path)
    const client = clientOf(session)
    await atPath(path, () => client.addWatch(path, { mode }, session.watcher))
    return undefined
  },
}

const REMOVE_USAGE = 'removewatches path [-c|-d|-a] [-l]'
const removewatches: ZkCommand = {
  name: 'removewatches',
  usage: REMOVE_USAGE,
  options: { c: false, d: false, a: false, l: false },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, REMOVE_USAGE)
    const o = args.options
    const type: WatcherType = o.has('c') ? 'children' : o.has('d') ? 'data' : 'any'
    validatePath(path)
    const client = clientOf(session)
    await atPath(path, () => client.removeWatches(path, type, session.watcher))
    return undefined
  },
}

const printwatches: ZkCommand = {
  name: 'printwatches',
  usage: 'printwatches on|off',
  options: {},
  needsSession: false,
  async run(session, args) {
    const on = args.args[1]
    if (on === undefined) {
      session.out.line(`printwatches is ${session.printWatches ? 'on' : 'off'}`)
    } else {
      session.printWatches = on === 'on'
    }
    return undefined
  },
}

const history: ZkCommand = {
  name: 'history',
  usage: 'history ',
  options: {},
  needsSession: false,
  async run(session) {
    const last = session.history.length - 1
    for (let i = Math.max(0, last - 10); i <= last; i++) {
      session.out.line(`${i} - ${session.history[i]}`)
    }
    return undefined
  },
}

const version: ZkCommand = {
  name: 'version',
  usage: 'version ',
  options: {},
  needsSession: false,
  async run(session) {
    session.out.line(`ZooKeeper CLI version: logkeeper-${VERSION}`)
    return undefined
  },
}

const close: ZkCommand = {
  name: 'close',
  usage: 'close ',
  options: {},
  needsSession: false,
  async run(session) {
    await session.close()
    return undefined
  },
}

const connect: ZkCommand = {
  name: 'connect',
  usage: 'connect host:port',
  options: {},
  needsSession: false,
  async run(session) {
    await session.close()
    session.connect()
    return undefined
  },
}

const quit: ZkCommand = {
  name: 'quit',
  usage: 'quit ',
  options: {},
  needsSession: false,
  async run() {
    return 'quit'
  },
}

/** The watch and session commands. */
export const SESSION_COMMANDS: readonly ZkCommand[] = [
  addWatch,
  removewatches,
  printwatches,
  history,
  version,
  close,
  connect,
  quit,
]

/** The zk shell's reads: `ls`, `get`, `stat`, `getEphemerals`, `getAllChildrenNumber`, `sync`. */
import type { CoordinatorClient } from '../../coordination/types.js'
import { atPath } from './at-path.js'
import { javaList, statLines } from './format.js'
import { validatePath, ZkUsageError } from './problems.js'
import type { ZkSession } from './session.js'
import type { ZkArgs } from './tokens.js'
import { clientOf, type ZkCommand } from './zk-command.js'

/** The path argument (args[1]), or the command's usage when it is missing. */
export function pathArg(args: ZkArgs, usage: string): string {
  const path = args.args[1]
  if (path === undefined) throw new ZkUsageError(usage)
  return path
}

/** zkCli 3.x still takes `ls path watch`: it says so and sets the watch. */
function oldWatchForm(session: ZkSession, args: ZkArgs, name: string, now: string): boolean {
  if (args.args.length <= 2) return args.options.has('w')
  session.err.line(`'${name} path [watch]' has been deprecated. Please use '${now}' instead.`)
  return true
}

const sorted = (names: string[]) => names.sort()

async function listRecursive(
  session: ZkSession,
  client: CoordinatorClient,
  path: string,
  watch: boolean,
): Promise<void> {
  // ZKUtil.visitSubTreeDFS: the node, then each node's children before any grandchild.
  await atPath(path, () => client.getData(path, watch ? { watch: session.watcher } : {}))
  session.out.line(path)
  const visit = async (at: string): Promise<void> => {
    const children = sorted(
      await atPath(at, () => client.getChildren(at, watch ? { watch: session.watcher } : {})),
    )
    const paths = children.map((c) => (at === '/' ? `/${c}` : `${at}/${c}`))
    for (const p of paths) session.out.line(p)
    for (const p of paths) await visit(p)
    await session.out.ready()
  }
  await visit(path)
}

const LS_USAGE = 'ls [-s] [-w] [-R] path'
const ls: ZkCommand = {
  name: 'ls',
  usage: LS_USAGE,
  options: { s: false, w: false, R: false },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, LS_USAGE)
    const watch = oldWatchForm(session, args, 'ls', 'ls [-w] path')
    validatePath(path)
    const client = clientOf(session)
    if (args.options.has('R')) {
      await listRecursive(session, client, path, watch)
      return
    }
    const { children, stat } = await atPath(path, () =>
      client.getChildrenWithStat(path, watch ? { watch: session.watcher } : {}),
    )
    session.out.line(javaList(sorted(children)))
    if (args.options.has('s')) for (const line of statLines(stat)) session.out.line(line)
    return undefined
  },
}

const GET_USAGE = 'get [-s] [-w] path'
const get: ZkCommand = {
  name: 'get',
  usage: GET_USAGE,
  options: { s: false, w: false },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, GET_USAGE)
    const watch = oldWatchForm(session, args, 'get', GET_USAGE)
    validatePath(path)
    const client = clientOf(session)
    const { data, stat } = await atPath(path, () =>
      client.getData(path, watch ? { watch: session.watcher } : {}),
    )
    session.out.line(data === null ? 'null' : data.toString('utf8'))
    if (args.options.has('s')) for (const line of statLines(stat)) session.out.line(line)
    return undefined
  },
}

const STAT_USAGE = 'stat [-w] path'
const stat: ZkCommand = {
  name: 'stat',
  usage: STAT_USAGE,
  options: { w: false },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, STAT_USAGE)
    const watch = oldWatchForm(session, args, 'stat', STAT_USAGE)
    validatePath(path)
    const client = clientOf(session)
    const found = await atPath(path, () =>
      client.exists(path, watch ? { watch: session.watcher } : {}),
    )
    if (found === null) await atPath(path, () => client.getData(path)) // NO_NODE's line
    if (found !== null) for (const line of statLines(found)) session.out.line(line)
    return undefined
  },
}

const getEphemerals: ZkCommand = {
  name: 'getEphemerals',
  usage: 'getEphemerals path',
  options: {},
  needsSession: true,
  async run(session, args) {
    const path = args.args[1] ?? '/'
    const client = clientOf(session)
    const paths = await atPath(path, () => client.getEphemerals(path))
    session.out.line(javaList(sorted(paths)))
    return undefined
  },
}

const getAllChildrenNumber: ZkCommand = {
  name: 'getAllChildrenNumber',
  usage: 'getAllChildrenNumber path',
  options: {},
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, this.usage)
    validatePath(path)
    const client = clientOf(session)
    session.out.line(String(await atPath(path, () => client.getAllChildrenNumber(path))))
    return undefined
  },
}

const sync: ZkCommand = {
  name: 'sync',
  usage: 'sync path',
  options: {},
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, this.usage)
    validatePath(path)
    const client = clientOf(session)
    await atPath(path, () => client.sync(path))
    session.out.line('Sync is OK')
    return undefined
  },
}

/** The read commands. */
export const READ_COMMANDS: readonly ZkCommand[] = [
  ls,
  get,
  stat,
  getEphemerals,
  getAllChildrenNumber,
  sync,
]

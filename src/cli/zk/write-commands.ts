/** The zk shell's writes: `create`, `set`, `delete`, `deleteall`. */
import type { CoordinatorClient, CreateMode, Op } from '../../coordination/types.js'
import { atPath } from './at-path.js'
import { statLines } from './format.js'
import { validatePath, ZkCliError, ZkUsageError } from './problems.js'
import { pathArg } from './read-commands.js'
import type { ZkArgs } from './tokens.js'
import { intOption } from './tokens.js'
import { clientOf, type ZkCommand } from './zk-command.js'

function createMode(args: ZkArgs): { mode: CreateMode; ttlMs?: number } {
  const e = args.options.has('e')
  const s = args.options.has('s')
  const c = args.options.has('c')
  const t = args.options.get('t')
  if (c && (e || s)) {
    throw new ZkUsageError(
      '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.',
    )
  }
  let ttlMs: number | undefined
  if (typeof t === 'string') {
    if (!/^-?\d+$/.test(t)) throw new ZkUsageError('-t argument must be a long value')
    ttlMs = Number(t)
  }
  if (ttlMs !== undefined && e) throw new ZkUsageError('TTLs cannot be used with Ephemeral znodes')
  if (ttlMs !== undefined && c) throw new ZkUsageError('TTLs cannot be used with Container znodes')
  if (c) return { mode: 'container' }
  const mode: CreateMode = e
    ? s
      ? 'ephemeral-sequential'
      : 'ephemeral'
    : s
      ? 'persistent-sequential'
      : 'persistent'
  return ttlMs === undefined ? { mode } : { mode, ttlMs }
}

const CREATE_USAGE = 'create [-s] [-e] [-c] [-t ttl] path [data] [acl]'
const create: ZkCommand = {
  name: 'create',
  usage: CREATE_USAGE,
  options: { s: false, e: false, c: false, t: true },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, CREATE_USAGE)
    const options = createMode(args)
    validatePath(path, options.mode.endsWith('sequential'))
    const data = args.args[2] ?? null
    const client = clientOf(session)
    const created = await atPath(path, () => client.create(path, data, options))
    session.err.line(`Created ${created.path}`)
    return undefined
  },
}

const SET_USAGE = 'set [-s] [-v version] path data'
const set: ZkCommand = {
  name: 'set',
  usage: SET_USAGE,
  options: { s: false, v: true },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, SET_USAGE)
    const data = args.args[2]
    if (data === undefined) throw new ZkUsageError(SET_USAGE)
    const version = intOption(args, 'v', SET_USAGE) ?? -1
    validatePath(path)
    const client = clientOf(session)
    const stat = await atPath(path, () => client.setData(path, data, { version }))
    if (args.options.has('s')) for (const line of statLines(stat)) session.out.line(line)
    return undefined
  },
}

const DELETE_USAGE = 'delete [-v version] path'
const del: ZkCommand = {
  name: 'delete',
  usage: DELETE_USAGE,
  options: { v: true },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, DELETE_USAGE)
    const version = intOption(args, 'v', DELETE_USAGE) ?? -1
    validatePath(path)
    const client = clientOf(session)
    await atPath(path, () => client.delete(path, { version }))
    return undefined
  },
}

/** ZKUtil.listSubTreeBFS: the node and every descendant, breadth first. */
async function subtree(client: CoordinatorClient, path: string): Promise<string[]> {
  const all = [path]
  for (let i = 0; i < all.length; i++) {
    const at = all[i] as string
    const children = await atPath(at, () => client.getChildren(at))
    for (const c of children) all.push(at === '/' ? `/${c}` : `${at}/${c}`)
  }
  return all
}

const DELETEALL_USAGE = 'deleteall path [-b batch size]'
const deleteall: ZkCommand = {
  name: 'deleteall',
  usage: DELETEALL_USAGE,
  options: { b: true },
  needsSession: true,
  async run(session, args) {
    const path = pathArg(args, DELETEALL_USAGE)
    const batch = intOption(args, 'b', DELETEALL_USAGE) ?? 1000
    if (batch <= 0) throw new ZkUsageError('batch size must be greater than 0')
    validatePath(path)
    const client = clientOf(session)
    const paths = (await subtree(client, path)).reverse()
    // As ZKUtil.deleteRecursive: deepest first, in multis of `batch` deletes.
    for (let i = 0; i < paths.length; i += batch) {
      const ops: Op[] = paths.slice(i, i + batch).map((p) => ({ op: 'delete', path: p }))
      try {
        await client.multi(ops)
      } catch {
        throw new ZkCliError('Failed to delete some node(s) in the subtree!')
      }
    }
    return undefined
  },
}

/** The write commands. */
export const WRITE_COMMANDS: readonly ZkCommand[] = [create, set, del, deleteall]

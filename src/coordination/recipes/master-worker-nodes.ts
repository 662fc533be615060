/**
 * The znodes of the master-worker recipe ("ZooKeeper: Distributed Process Coordination",
 * chapter 4's example): `<root>/master`, an ephemeral node holding the master's id and address
 * as UTF-8 JSON, and `<root>/workers/<id>`, one ephemeral node per worker holding its address.
 * `<root>/workers` is persistent (the book's bootstrap), so the master's child watch on it
 * never loses its node to the container reaper.
 */
import { fromCode, isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient, Stat, Watcher } from '../types.js'
import { deleteOwned } from './protected-create.js'
import { checkBasePath, ensurePath, joinPath } from './znode-paths.js'

/** Who is master, as `<root>/master` says. */
export interface MasterInfo {
  /** The master's id. */
  readonly id: string
  /** The master's address, or null. */
  readonly address: string | null
  /** The session that owns the node. */
  readonly sessionId: number
}

/** One registered worker. */
export interface WorkerInfo {
  /** The worker's id (its node's name). */
  readonly id: string
  /** The worker's address, or null. */
  readonly address: string | null
  /** Its node. */
  readonly path: string
}

/** The bytes `<root>/master` holds. */
export function encodeMaster(id: string, address: string | null): string {
  return JSON.stringify({ id, address })
}

/** Decode `<root>/master` read with `stat`; unreadable data gives an empty id. */
export function decodeMaster(bytes: Buffer | null, stat: Stat): MasterInfo {
  const value = parseObject(bytes)
  return {
    id: typeof value.id === 'string' ? value.id : '',
    address: typeof value.address === 'string' ? value.address : null,
    sessionId: stat.ephemeralOwner,
  }
}

function parseObject(bytes: Buffer | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes?.toString('utf8') ?? 'null')
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** Whether an error is a lost reply (CONNECTION_LOSS and the like): the call may have acted. */
export function isLostReply(error: unknown): boolean {
  return isLogkeeperError(error) && error.retriable && error.family === 'zookeeper'
}

/** Create `root` (as containers) and `root/workers` (persistent) when missing. */
export async function bootstrap(client: CoordinatorClient, root: string): Promise<void> {
  if (root !== '/') await ensurePath(client, root)
  const workers = joinPath(root, 'workers')
  if ((await client.exists(workers)) !== null) return
  try {
    await client.create(workers, null)
  } catch (error) {
    if (!isLogkeeperError(error, 'NODE_EXISTS') && !isLostReply(error)) throw error
  }
}

/** `<root>/master`'s data and Stat (leaving `watch` on it), or undefined when it is absent. */
export async function readMaster(
  client: CoordinatorClient,
  path: string,
  watch?: Watcher,
): Promise<{ info: MasterInfo; stat: Stat } | undefined> {
  try {
    const { data, stat } = await client.getData(path, watch === undefined ? {} : { watch })
    return { info: decodeMaster(data, stat), stat }
  } catch (error) {
    if (isLogkeeperError(error, 'NO_NODE')) return undefined
    throw error
  }
}

/**
 * Create the ephemeral worker node `path`. A lost reply is retried; a node found to exist is
 * adopted when this session owns it (the earlier reply was lost) and refused otherwise.
 */
export async function createWorkerNode(
  client: CoordinatorClient,
  path: string,
  address: string | null,
  retries: number,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.create(path, address, { mode: 'ephemeral' })
      return
    } catch (error) {
      if (isLostReply(error) && attempt < retries) continue
      if (!isLogkeeperError(error, 'NODE_EXISTS')) throw error
      const { stat } = await client.getData(path)
      if (stat.ephemeralOwner === client.sessionId) return
      throw fromCode('NODE_EXISTS', `${path} is registered by another session`, { cause: error })
    }
  }
}

/** The workers under `dir`, sorted by id, leaving `watch` on the children of `dir`. */
export async function readWorkers(
  client: CoordinatorClient,
  dir: string,
  known: ReadonlyMap<string, WorkerInfo>,
  watch: Watcher,
): Promise<Map<string, WorkerInfo>> {
  const names = (await client.getChildren(dir, { watch })).sort()
  const out = new Map<string, WorkerInfo>()
  for (const id of names) {
    const path = joinPath(dir, id)
    const seen = known.get(id)
    if (seen !== undefined) {
      out.set(id, seen)
      continue
    }
    try {
      const { data } = await client.getData(path)
      out.set(id, { id, address: data?.toString('utf8') ?? null, path })
    } catch (error) {
      if (!isLogkeeperError(error, 'NO_NODE')) throw error
    }
  }
  return out
}

/** Check the recipe's root: `/` or a base path. */
export function checkRoot(root: unknown): string {
  return root === '/' ? root : checkBasePath(root, 'root')
}

/** Delete `path` if this client's session owns it (a node someone else owns is left alone). */
export async function deleteIfOwned(
  client: CoordinatorClient,
  path: string,
  retries: number,
): Promise<void> {
  let owner: number
  try {
    owner = (await client.getData(path)).stat.ephemeralOwner
  } catch (error) {
    if (isLogkeeperError(error, 'NO_NODE')) return
    throw error
  }
  if (owner === client.sessionId) await deleteOwned(client, path, retries)
}

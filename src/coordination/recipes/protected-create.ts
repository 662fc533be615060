/**
 * Creates whose reply may be lost. A create that fails with CONNECTION_LOSS may have succeeded:
 * as Curator's protected mode, the node's name starts with `_c_<uuid>-`, an id unique to the
 * attempt, so after a lost reply the recipe lists the parent and adopts the node it finds with
 * its id instead of creating a second one (which would be an orphan, holding a lock or a
 * lease for nobody). Missing parents (containers reaped meanwhile) are created again.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { BytesInput } from '../../common/validate.js'
import type { CoordinatorClient, CreateMode } from '../types.js'
import type { ResolvedRecipeOptions } from './options.js'
import { ensureParents, joinPath } from './znode-paths.js'

/** Curator's prefix of protected node names. */
export const PROTECTED_PREFIX = '_c_'

/** The node a protected create made. */
export interface ProtectedNode {
  /** Its full path, sequence suffix included. */
  readonly path: string
  /** Its czxid: the zxid of the create, which grows with every create in the coordinator. */
  readonly czxid: number
}

/** What to create. */
export interface ProtectedCreate {
  /** The parent node. */
  readonly parent: string
  /** The name after the protected prefix, e.g. `lock-`. */
  readonly name: string
  readonly data: BytesInput | null
  readonly mode: CreateMode
}

/** How often missing parents are made again (a container may be reaped between). */
const MAX_PARENT_ROUNDS = 3

function retriable(error: unknown): boolean {
  return isLogkeeperError(error) && error.retriable && error.family === 'zookeeper'
}

/** Create `spec` under a fresh protected id, adopting the node after a lost reply. */
export async function createProtected(
  client: CoordinatorClient,
  spec: ProtectedCreate,
  options: ResolvedRecipeOptions,
): Promise<ProtectedNode> {
  const prefix = `${PROTECTED_PREFIX}${options.random.uuid()}-`
  const path = joinPath(spec.parent, prefix + spec.name)
  let lostReplies = 0
  let parentsMade = 0
  for (;;) {
    try {
      const result = await client.create(path, spec.data, { mode: spec.mode })
      return { path: result.path, czxid: result.stat.czxid }
    } catch (error) {
      if (isLogkeeperError(error, 'NO_NODE') && parentsMade++ < MAX_PARENT_ROUNDS) {
        await ensureParents(client, path)
        continue
      }
      if (!retriable(error) || lostReplies++ >= options.retries) throw error
      const found = await findProtected(client, spec.parent, prefix)
      if (found !== undefined) return found
    }
  }
}

/** The node under `parent` whose name starts with `prefix`, if there is one. */
export async function findProtected(
  client: CoordinatorClient,
  parent: string,
  prefix: string,
): Promise<ProtectedNode | undefined> {
  let children: string[]
  try {
    children = await client.getChildren(parent)
  } catch (error) {
    if (isLogkeeperError(error, 'NO_NODE')) return undefined
    throw error
  }
  const name = children.find((child) => child.startsWith(prefix))
  if (name === undefined) return undefined
  const path = joinPath(parent, name)
  try {
    const { stat } = await client.getData(path)
    return { path, czxid: stat.czxid }
  } catch (error) {
    if (isLogkeeperError(error, 'NO_NODE')) return undefined
    throw error
  }
}

/**
 * Delete a node the recipe owns, retrying lost replies a bounded number of times. A node that
 * is gone already, or a session that is over (its ephemerals went with it), is success.
 */
export async function deleteOwned(
  client: CoordinatorClient,
  path: string,
  retries: number,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.delete(path)
      return
    } catch (error) {
      if (
        isLogkeeperError(error, 'NO_NODE') ||
        isLogkeeperError(error, 'SESSION_EXPIRED') ||
        isLogkeeperError(error, 'CLOSED')
      ) {
        return
      }
      if (!retriable(error) || attempt >= retries) throw error
    }
  }
}

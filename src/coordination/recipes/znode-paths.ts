/**
 * Path helpers of the recipes: joining, checking a recipe's base path, reading the sequence
 * suffix ZooKeeper appends to sequential nodes, and creating the parents of a node as
 * containers (Curator's `creatingParentContainersIfNeeded`), so empty recipe folders are
 * reaped by the coordinator.
 */
import { InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient } from '../types.js'

/** Check a recipe's base path: absolute, no trailing slash, no empty segment. */
export function checkBasePath(path: unknown, what = 'path'): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path === '/') {
    throw new InvalidArgumentError(`${what} must be an absolute znode path other than /`)
  }
  if (path.endsWith('/') || path.includes('//')) {
    throw new InvalidArgumentError(`${what} must not end with / or hold an empty segment`)
  }
  return path
}

/** `parent + '/' + name`. */
export function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`
}

/** The last segment of a path. */
export function nodeName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** The parent of a path (`/` for a top-level node). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

const SEQUENCE = /(\d{10})$/

/** The sequence number at the end of a sequential node's name, or undefined. */
export function sequenceOf(name: string): number | undefined {
  const m = SEQUENCE.exec(name)
  return m?.[1] === undefined ? undefined : Number(m[1])
}

/**
 * Names of sequential nodes, sorted by their sequence number (the protected prefix that comes
 * before it is ignored), optionally only those whose name contains `marker`.
 */
export function sortBySequence(names: readonly string[], marker?: string): string[] {
  const keyed: { name: string; seq: number }[] = []
  for (const name of names) {
    const seq = sequenceOf(name)
    if (seq !== undefined && (marker === undefined || name.includes(marker))) {
      keyed.push({ name, seq })
    }
  }
  keyed.sort((a, b) => a.seq - b.seq)
  return keyed.map((k) => k.name)
}

/**
 * Create every missing ancestor of `path` (not `path` itself) as a container node. A parent
 * created meanwhile by someone else is fine.
 */
export async function ensureParents(client: CoordinatorClient, path: string): Promise<void> {
  const parts = path.split('/').slice(1, -1)
  let current = ''
  for (const part of parts) {
    current += `/${part}`
    await ensureNode(client, current)
  }
}

/** Tries at creating one parent: a lost reply is checked by looking again. */
const PARENT_TRIES = 4

async function ensureNode(client: CoordinatorClient, path: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await client.exists(path)) !== null) return
    try {
      await client.create(path, null, { mode: 'container' })
      return
    } catch (error) {
      if (isLogkeeperError(error, 'NODE_EXISTS')) return
      if (!isLogkeeperError(error) || !error.retriable || attempt >= PARENT_TRIES) throw error
    }
  }
}

/** Create every missing node down to and including `path`, as containers. */
export async function ensurePath(client: CoordinatorClient, path: string): Promise<void> {
  await ensureParents(client, joinPath(path, 'x'))
}

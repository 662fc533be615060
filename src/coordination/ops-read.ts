/**
 * The reads: exists, getData, getChildren(2), getEphemerals, getAllChildrenNumber, sync. Reads
 * take no zxid and, as ZooKeeper's, do not validate the path: a malformed path is simply not
 * found, and `''` names the root. Watches are registered when the read runs; the result is
 * delivered after any event queued before it.
 */
import { fromCode } from '../common/errors.js'
import { checkOptions, checkPath, checkWatcher } from './args.js'
import type { InProcessClient } from './client.js'
import type { Stat, WatchOptions } from './types.js'

function noNode<T>(c: InProcessClient, path: string): Promise<T> {
  return c.server.queue.settleError(fromCode('NO_NODE', `NO_NODE: ${path}`))
}

function watcherOf(options: WatchOptions | undefined) {
  return checkWatcher(checkOptions<WatchOptions>(options, 'options').watch)
}

/** `exists`: the Stat or null; a watch is left either way. */
export function exists(
  c: InProcessClient,
  path: string,
  options: WatchOptions | undefined,
): Promise<Stat | null> {
  checkPath(path)
  const watch = watcherOf(options)
  const node = c.server.tree.getNode(path)
  if (watch !== undefined) c.watches.add(node === undefined ? 'exist' : 'data', path, watch)
  return c.server.settle(node === undefined ? null : node.stat())
}

/** `getData`: a copy of the data and the Stat. */
export function getData(
  c: InProcessClient,
  path: string,
  options: WatchOptions | undefined,
): Promise<{ data: Buffer | null; stat: Stat }> {
  checkPath(path)
  const watch = watcherOf(options)
  const node = c.server.tree.getNode(path)
  if (node === undefined) return noNode(c, path)
  if (watch !== undefined) c.watches.add('data', path, watch)
  return c.server.settle({ data: c.server.tree.dataBuffer(node), stat: node.stat() })
}

/** `getChildren` (with the Stat: `getChildren2`). Names in the tree's order, not sorted. */
export function getChildren<S extends boolean>(
  c: InProcessClient,
  path: string,
  options: WatchOptions | undefined,
  withStat: S,
): Promise<S extends true ? { children: string[]; stat: Stat } : string[]>
export function getChildren(
  c: InProcessClient,
  path: string,
  options: WatchOptions | undefined,
  withStat: boolean,
): Promise<unknown> {
  checkPath(path)
  const watch = watcherOf(options)
  const node = c.server.tree.getNode(path)
  if (node === undefined) return noNode(c, path)
  if (watch !== undefined) c.watches.add('child', path, watch)
  const children = node.children === null ? [] : [...node.children.keys()]
  return c.server.settle(withStat ? { children, stat: node.stat() } : children)
}

/** `getEphemerals`: this session's ephemeral paths, optionally under a prefix. */
export function getEphemerals(c: InProcessClient, prefix: string | undefined): Promise<string[]> {
  if (prefix !== undefined) checkPath(prefix, 'prefix')
  const paths = c.server.tree.ephemerals.get(c.sessionId)
  const all = paths === undefined ? [] : [...paths]
  const p = prefix?.trim()
  const out =
    p === undefined || p === '' || p === '/'
      ? all
      : all.filter((x) => x.startsWith(prefix as string))
  return c.server.settle(out)
}

/** `getAllChildrenNumber`: descendants of the node. */
export function getAllChildrenNumber(c: InProcessClient, path: string): Promise<number> {
  checkPath(path)
  if (c.server.tree.getNode(path) === undefined) return noNode(c, path)
  return c.server.settle(c.server.tree.descendantCount(path))
}

/** `sync`: resolves once everything before it is delivered; returns the path. */
export function sync(c: InProcessClient, path: string): Promise<string> {
  checkPath(path)
  return c.server.settle(path)
}

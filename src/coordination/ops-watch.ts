/**
 * `addWatch` and `removeWatches` (ZooKeeper 3.6+). A persistent watch gets every event of its
 * path, NodeChildrenChanged included; a persistent-recursive watch gets NodeCreated,
 * NodeDeleted and NodeDataChanged of the path and every descendant. Neither is removed by
 * firing. Removing watches delivers DataWatchRemoved / ChildWatchRemoved /
 * PersistentWatchRemoved to each removed watcher.
 */
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import { checkOptions, checkPath, checkWatcher } from './args.js'
import type { InProcessClient } from './client.js'
import { pathProblem } from './paths.js'
import type { AddWatchMode, Watcher, WatcherType } from './types.js'

const TYPES: ReadonlySet<string> = new Set([
  'children',
  'data',
  'persistent',
  'persistent-recursive',
  'any',
])

/** `addWatch`. */
export function addWatch(
  c: InProcessClient,
  path: string,
  options: { mode: AddWatchMode },
  watcher: Watcher,
): Promise<void> {
  checkPath(path)
  const mode = checkOptions<{ mode: AddWatchMode }>(options, 'options').mode
  if (mode !== 'persistent' && mode !== 'persistent-recursive') {
    throw new InvalidArgumentError(
      `mode must be persistent or persistent-recursive, got ${describe(mode)}`,
    )
  }
  const fn = checkWatcher(watcher, 'watcher')
  if (fn === undefined) throw new InvalidArgumentError('addWatch needs a watcher')
  if (pathProblem(path) !== undefined) throw fromCode('BAD_ARGUMENTS', `BAD_ARGUMENTS: ${path}`)
  c.watches.add(mode === 'persistent' ? 'persistent' : 'recursive', path, fn)
  return c.server.settle(undefined)
}

/** `removeWatches`: NO_WATCHER when nothing matches. */
export function removeWatches(
  c: InProcessClient,
  path: string,
  type: WatcherType,
  watcher: Watcher | undefined,
): Promise<void> {
  checkPath(path)
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw new InvalidArgumentError(`type must be a WatcherType, got ${describe(type)}`)
  }
  const fn = checkWatcher(watcher, 'watcher')
  const removed = c.watches.remove(path, type, fn)
  if (removed.length === 0) {
    return c.server.queue.settleError(fromCode('NO_WATCHER', `NO_WATCHER: ${path}`))
  }
  for (const r of removed) c.server.deliver(c, { type: r.type, path }, r.watcher)
  c.server.queue.drain()
  return c.server.settle(undefined)
}

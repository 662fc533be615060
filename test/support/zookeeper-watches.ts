/**
 * The adapter's client-side watch table, installed in place of node-zookeeper-client's own
 * `WatcherManager` (same method names, so the library's notification dispatch and its
 * SetWatches-on-reconnect keep working).
 *
 * Why replace it: the library calls a watcher once per table it sits in (a function watching
 * the data and the children of a node is called twice for one NodeDeleted), and it throws on
 * event types it does not know. This table follows the Java client (`ZKWatchManager`): one
 * notification calls each distinct watcher once, in registration order; data/exist/child
 * tables are chosen by event type as Java does.
 */
import type { WatchedEvent, Watcher } from '../../src/coordination/types.js'
import { EVENT_TYPES } from './zookeeper-lib.js'

/** Which table a watch sits in. */
export type WatchKind = 'data' | 'exist' | 'child'

/** A watcher threw: reported, never rethrown into the socket handler. */
export type WatcherErrorHandler = (error: unknown, event: WatchedEvent) => void

export class WatchTable {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
  }

  constructor(private readonly onWatcherError: WatcherErrorHandler) {}

  /** Leave a one-shot watch (a function already there for that path and kind is not added twice). */
  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.tables[kind]
    let set = table.get(path)
    if (set === undefined) {
      set = new Set()
      table.set(path, set)
    }
    set.add(watcher)
  }

  /** Forget every watch (the session is over). */
  clear(): void {
    for (const table of Object.values(this.tables)) table.clear()
  }

  private take(kind: WatchKind, path: string, into: Set<Watcher>): void {
    const set = this.tables[kind].get(path)
    if (set === undefined) return
    this.tables[kind].delete(path)
    for (const watcher of set) into.add(watcher)
  }

  /** Called by the library's ConnectionManager with each notification from the server. */
  emit(raw: { type: number; path: string }): void {
    const type = EVENT_TYPES[raw.type]
    if (type === undefined) return
    const watchers = new Set<Watcher>()
    switch (type) {
      case 'NodeCreated':
      case 'NodeDataChanged':
        this.take('data', raw.path, watchers)
        this.take('exist', raw.path, watchers)
        break
      case 'NodeChildrenChanged':
        this.take('child', raw.path, watchers)
        break
      case 'NodeDeleted':
        this.take('data', raw.path, watchers)
        this.take('exist', raw.path, watchers)
        this.take('child', raw.path, watchers)
        break
      default:
        return
    }
    const event: WatchedEvent = { type, path: raw.path }
    for (const watcher of watchers) {
      try {
        watcher(event)
      } catch (error) {
        this.onWatcherError(error, event)
      }
    }
  }

  private paths(kind: WatchKind): string[] {
    return [...this.tables[kind].keys()]
  }

  // The library's WatcherManager interface (used for SetWatches after a reconnect).

  /** Paths with data watches. */
  getDataWatcherPaths(): string[] {
    return this.paths('data')
  }

  /** Paths with exist watches (on nodes that did not exist). */
  getExistenceWatcherPaths(): string[] {
    return this.paths('exist')
  }

  /** Paths with child watches. */
  getChildWatcherPaths(): string[] {
    return this.paths('child')
  }

  /** Whether no watch is left. */
  isEmpty(): boolean {
    return Object.values(this.tables).every((table) => table.size === 0)
  }

  /** The library's registration methods (unused by the adapter; kept for completeness). */
  registerDataWatcher(path: string, watcher: Watcher): void {
    this.add('data', path, watcher)
  }

  registerChildWatcher(path: string, watcher: Watcher): void {
    this.add('child', path, watcher)
  }

  registerExistenceWatcher(path: string, watcher: Watcher): void {
    this.add('exist', path, watcher)
  }
}

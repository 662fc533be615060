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
import type {
  WatchedEvent,
  WatchedEventType,
  Watcher,
  WatcherType,
} from '../../src/coordination/types.js'
import { EVENT_TYPES } from './zookeeper-lib.js'

/** Which table a watch sits in (`persistent`/`recursive`: addWatch's, never used up). */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'recursive'

/** A watcher threw: reported, never rethrown into the socket handler. */
export type WatcherErrorHandler = (error: unknown, event: WatchedEvent) => void

/** The tables each WatcherType of removeWatches covers (Java: data = data + exist watches). */
const REMOVABLE: Record<WatcherType, WatchKind[]> = {
  data: ['data', 'exist'],
  children: ['child'],
  persistent: ['persistent'],
  'persistent-recursive': ['recursive'],
  any: ['data', 'exist', 'child', 'persistent', 'recursive'],
}

const REMOVED_EVENT: Record<WatchKind, WatchedEventType> = {
  data: 'DataWatchRemoved',
  exist: 'DataWatchRemoved',
  child: 'ChildWatchRemoved',
  persistent: 'PersistentWatchRemoved',
  recursive: 'PersistentWatchRemoved',
}

/** A path and each of its ancestors up to the root. */
function ancestors(path: string): string[] {
  const out = [path]
  let p = path
  while (p.length > 1) {
    const cut = p.lastIndexOf('/')
    p = cut <= 0 ? '/' : p.slice(0, cut)
    out.push(p)
  }
  return out
}

export class WatchTable {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    recursive: new Map(),
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
    for (const w of this.tables.persistent.get(raw.path) ?? []) watchers.add(w)
    if (type !== 'NodeChildrenChanged') {
      for (const ancestor of ancestors(raw.path)) {
        for (const w of this.tables.recursive.get(ancestor) ?? []) watchers.add(w)
      }
    }
    const event: WatchedEvent = { type, path: raw.path }
    this.call(watchers, event)
  }

  private call(watchers: Iterable<Watcher>, event: WatchedEvent): void {
    for (const watcher of watchers) {
      try {
        watcher(event)
      } catch (error) {
        this.onWatcherError(error, event)
      }
    }
  }

  /** Whether removeWatches(path, type, watcher) has anything to remove (Java's containsWatcher). */
  has(path: string, type: WatcherType, watcher?: Watcher): boolean {
    return REMOVABLE[type].some((kind) => {
      const set = this.tables[kind].get(path)
      return set !== undefined && set.size > 0 && (watcher === undefined || set.has(watcher))
    })
  }

  /** Remove watches as removeWatches does, then tell each removed watcher with a *WatchRemoved event. */
  remove(path: string, type: WatcherType, watcher?: Watcher): void {
    const removed: [Watcher, WatchedEventType][] = []
    for (const kind of REMOVABLE[type]) {
      const set = this.tables[kind].get(path)
      if (set === undefined) continue
      for (const w of [...set]) {
        if (watcher !== undefined && w !== watcher) continue
        set.delete(w)
        removed.push([w, REMOVED_EVENT[kind]])
      }
      if (set.size === 0) this.tables[kind].delete(path)
    }
    // One event per (watcher, event type), as Java's Map<EventType, Set<Watcher>>.
    const byType = new Map<WatchedEventType, Set<Watcher>>()
    for (const [w, eventType] of removed) {
      const set = byType.get(eventType) ?? new Set<Watcher>()
      set.add(w)
      byType.set(eventType, set)
    }
    for (const [eventType, set] of byType) this.call(set, { type: eventType, path })
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

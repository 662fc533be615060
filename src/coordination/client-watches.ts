/**
 * One client's watchers, as ZooKeeper's client keeps them (`ZKWatchManager`): five tables of
 * path → watcher functions. {@link ClientWatches.materialize} picks the functions an event
 * reaches (and drops the one-shot ones), with ZooKeeper's rules: NodeCreated and
 * NodeDataChanged reach data and exists watchers; NodeChildrenChanged reaches child watchers;
 * NodeDeleted reaches all three; persistent watches on the path always, persistent-recursive
 * watches on the path or an ancestor for every type but NodeChildrenChanged.
 */
import { ROOT } from './paths.js'
import type { WatchedEvent, WatchedEventType, Watcher, WatcherType } from './types.js'

/** The five tables. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'recursive'

type Table = Map<string, Set<Watcher>>

/** The removal events {@link ClientWatches.remove} reports, per watcher. */
export type Removed = Array<{ type: WatchedEventType; watcher: Watcher }>

/** Told when a path's membership in the server-side tables may have changed. */
export interface WatchIndex {
  /** Re-read `owner`'s watches on `path`. */
  sync(owner: ClientWatches, path: string): void
}

function take(table: Table, path: string, into: Set<Watcher>): void {
  const set = table.get(path)
  if (set === undefined) return
  table.delete(path)
  for (const w of set) into.add(w)
}

function addAll(set: Set<Watcher> | undefined, into: Set<Watcher>): void {
  if (set !== undefined) for (const w of set) into.add(w)
}

/** The watcher tables of one client. */
export class ClientWatches {
  readonly data: Table = new Map()
  readonly exist: Table = new Map()
  readonly child: Table = new Map()
  readonly persistent: Table = new Map()
  readonly recursive: Table = new Map()
  readonly #index: WatchIndex
  /** Calls the client's watchers (at delivery time). */
  readonly notify: (event: WatchedEvent, watchers: Iterable<Watcher>) => void

  constructor(
    index: WatchIndex,
    notify: (event: WatchedEvent, watchers: Iterable<Watcher>) => void,
  ) {
    this.#index = index
    this.notify = notify
  }

  /** Add a watcher of a kind on a path. */
  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this[kind]
    const set = table.get(path)
    if (set === undefined) table.set(path, new Set([watcher]))
    else set.add(watcher)
    this.#index.sync(this, path)
  }

  /** Whether any data-table watch (data, exists, persistent, recursive) is on `path`. */
  inDataTable(path: string): boolean {
    return (
      this.data.has(path) ||
      this.exist.has(path) ||
      this.persistent.has(path) ||
      this.recursive.has(path)
    )
  }

  /** Whether any child-table watch (children, persistent) is on `path`. */
  inChildTable(path: string): boolean {
    return this.child.has(path) || this.persistent.has(path)
  }

  /** The watchers an event reaches; one-shot ones are removed. Empty when none. */
  materialize(type: WatchedEventType, path: string): Set<Watcher> {
    const out = new Set<Watcher>()
    if (type === 'NodeChildrenChanged') take(this.child, path, out)
    else {
      take(this.data, path, out)
      take(this.exist, path, out)
      if (type === 'NodeDeleted') take(this.child, path, out)
    }
    addAll(this.persistent.get(path), out)
    if (type !== 'NodeChildrenChanged' && this.recursive.size > 0) this.#addRecursive(path, out)
    this.#index.sync(this, path)
    return out
  }

  #addRecursive(path: string, out: Set<Watcher>): void {
    let p = path
    for (;;) {
      addAll(this.recursive.get(p), out)
      if (p === ROOT || p === '') return
      const slash = p.lastIndexOf('/')
      p = slash <= 0 ? ROOT : p.slice(0, slash)
    }
  }

  /**
   * Remove watchers of a type on a path (`watcher` alone, or all of them), as
   * `ZKWatchManager.removeWatcher`. Returns the removal events to deliver; empty when nothing
   * matched (the caller answers NO_WATCHER).
   */
  remove(path: string, type: WatcherType, watcher: Watcher | undefined): Removed {
    const removed: Removed = []
    const push = (type: WatchedEventType, w: Watcher) => {
      if (!removed.some((r) => r.type === type && r.watcher === w))
        removed.push({ type, watcher: w })
    }
    const from = (table: Table, event: WatchedEventType) => {
      const set = table.get(path)
      if (set === undefined) return
      if (watcher === undefined) {
        table.delete(path)
        for (const w of set) push(event, w)
      } else if (set.delete(watcher)) {
        if (set.size === 0) table.delete(path)
        push(event, watcher)
      }
    }
    if (type === 'children' || type === 'any') from(this.child, 'ChildWatchRemoved')
    if (type === 'data' || type === 'any') {
      from(this.data, 'DataWatchRemoved')
      from(this.exist, 'DataWatchRemoved')
    }
    if (type === 'persistent' || type === 'any') from(this.persistent, 'PersistentWatchRemoved')
    if (type === 'persistent-recursive' || type === 'any') {
      from(this.recursive, 'PersistentWatchRemoved')
    }
    this.#index.sync(this, path)
    return removed
  }

  /** Every path with a watch of this client. */
  paths(): Set<string> {
    const out = new Set<string>()
    for (const table of [this.data, this.exist, this.child, this.persistent, this.recursive]) {
      for (const path of table.keys()) out.add(path)
    }
    return out
  }

  /** Drop every watch (the session ended). */
  clear(): void {
    const paths = this.paths()
    for (const table of [this.data, this.exist, this.child, this.persistent, this.recursive]) {
      table.clear()
    }
    for (const path of paths) this.#index.sync(this, path)
  }
}

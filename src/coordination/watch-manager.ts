/**
 * The server side of watches (ZooKeeper's `WatchManager`, one for data and one for children):
 * which clients watch which path. A client is in the data table for a path while it has a
 * data, exists, persistent or persistent-recursive watch there, and in the child table while it
 * has a child or persistent watch there. A trigger finds the clients concerned, once each (a
 * NodeDeleted reaches a client once even when it is in both tables), walking up the ancestors
 * only while some persistent-recursive watch exists; each client then picks its watchers.
 */
import type { ClientWatches, WatchIndex } from './client-watches.js'
import { ROOT } from './paths.js'
import type { WatchedEventType, Watcher } from './types.js'

/** Receives each client's share of a trigger. */
export type EventSink = (
  client: ClientWatches,
  type: WatchedEventType,
  path: string,
  watchers: Set<Watcher>,
) => void

/** The data and child watch tables of the coordinator. */
export class WatchManager implements WatchIndex {
  readonly #data = new Map<string, Set<ClientWatches>>()
  readonly #child = new Map<string, Set<ClientWatches>>()
  /** Clients with a persistent-recursive watch somewhere. */
  readonly #recursive = new Set<ClientWatches>()
  #count = 0
  readonly #sink: EventSink

  constructor(sink: EventSink) {
    this.#sink = sink
  }

  /** Whether any watch is set. */
  get watching(): boolean {
    return this.#count !== 0
  }

  /** Watches set: one per (path, table, client), as `zk_watch_count`. */
  get watchCount(): number {
    return this.#count
  }

  sync(owner: ClientWatches, path: string): void {
    this.#set(this.#data, path, owner, owner.inDataTable(path))
    this.#set(this.#child, path, owner, owner.inChildTable(path))
    if (owner.recursive.size > 0) this.#recursive.add(owner)
    else this.#recursive.delete(owner)
  }

  #set(table: Map<string, Set<ClientWatches>>, path: string, c: ClientWatches, on: boolean): void {
    let set = table.get(path)
    const had = set?.has(c) ?? false
    if (on === had) return
    if (on) {
      if (set === undefined) {
        set = new Set()
        table.set(path, set)
      }
      set.add(c)
      this.#count++
      return
    }
    set?.delete(c)
    if (set?.size === 0) table.delete(path)
    this.#count--
  }

  /** Fire `type` on `path`: every client concerned gets its watchers through the sink. */
  trigger(type: WatchedEventType, path: string): void {
    const table = type === 'NodeChildrenChanged' ? this.#child : this.#data
    const direct = table.get(path)
    const extra = type === 'NodeDeleted' ? this.#child.get(path) : undefined
    const ancestors = this.#recursive.size > 0 && type !== 'NodeChildrenChanged'
    if (direct === undefined && extra === undefined && !ancestors) return
    const clients = new Set<ClientWatches>(direct)
    if (extra !== undefined) for (const c of extra) clients.add(c)
    if (ancestors) this.#addAncestors(path, clients)
    for (const c of clients) {
      const watchers = c.materialize(type, path)
      if (watchers.size > 0) this.#sink(c, type, path, watchers)
    }
  }

  #addAncestors(path: string, into: Set<ClientWatches>): void {
    let p = path
    while (p !== ROOT && p !== '') {
      const slash = p.lastIndexOf('/')
      p = slash <= 0 ? ROOT : p.slice(0, slash)
      for (const c of this.#recursive) if (c.recursive.has(p)) into.add(c)
    }
  }
}

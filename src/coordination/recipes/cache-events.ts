/**
 * What the caches hold and tell: a cached node is its data and Stat; events say how the local
 * copy changed. A new read is compared with the cached copy by zxids, so a read older than the
 * copy is ignored and a node deleted and created again between two reads shows as
 * `deleted` then `created`.
 */
import type { EventEmitter } from 'eventemitter3'
import type { Stat } from '../types.js'
import type { SessionEnd } from './session.js'

/** A node as a cache holds it. */
export interface CachedNode {
  /** The node's path. */
  readonly path: string
  /** The data (null when the node holds none). */
  readonly data: Buffer | null
  /** The Stat read with the data. */
  readonly stat: Stat
}

/** States of a cache: `lost` when its session ended and no factory gave a new one. */
export type CacheState = 'latent' | 'started' | 'lost' | 'closed'

/** Events of {@link NodeCache} and {@link TreeCache}. */
export interface CacheEvents {
  /** The first load is done (no `created` events are sent for what it found). */
  initialized: (event: { readonly size: number }) => void
  /** A node appeared. */
  created: (event: { readonly node: CachedNode }) => void
  /** A node's data changed. */
  changed: (event: { readonly node: CachedNode; readonly previous: CachedNode }) => void
  /** A node went. */
  deleted: (event: { readonly previous: CachedNode }) => void
  /** The session ended and there is no factory for a new one: the copy is frozen. */
  lost: (event: { readonly reason: SessionEnd }) => void
  /** A background read failed; the cache tries again at the next event. */
  error: (event: { readonly error: unknown }) => void
}

/**
 * Put a read into `nodes` and tell `emitter` what changed (nothing while `quiet`). `next`
 * undefined means the node does not exist.
 */
export function applyRead(
  nodes: Map<string, CachedNode>,
  path: string,
  next: CachedNode | undefined,
  emitter: EventEmitter<CacheEvents>,
  quiet: boolean,
): void {
  const previous = nodes.get(path)
  if (previous === undefined && next === undefined) return
  if (previous === undefined) {
    nodes.set(path, next!)
    if (!quiet) emitter.emit('created', { node: next! })
    return
  }
  if (next === undefined) {
    nodes.delete(path)
    if (!quiet) emitter.emit('deleted', { previous })
    return
  }
  if (next.stat.czxid < previous.stat.czxid) return
  if (next.stat.czxid > previous.stat.czxid) {
    nodes.set(path, next)
    if (!quiet) emitter.emit('deleted', { previous })
    if (!quiet) emitter.emit('created', { node: next })
    return
  }
  if (next.stat.mzxid <= previous.stat.mzxid) return
  nodes.set(path, next)
  if (!quiet) emitter.emit('changed', { node: next, previous })
}

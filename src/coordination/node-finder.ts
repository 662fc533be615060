/**
 * Finding a node by its path without a global path → node map (which cost every node its full
 * path string and a hash-table entry, ~70 bytes): walk the children maps from the root, one
 * component at a time, and remember the last parent found, so the common run of operations on
 * the children of one node (creates under a directory, reads of its nodes) takes one string
 * comparison and one lookup in that parent's children. The answers are those of ZooKeeper's
 * path → node map: `''` and `/` are the root, and any other path is found only when it is
 * exactly the path of a node (`/a/`, `//a`, `a` are not).
 */
import type { DataNode } from './data-node.js'

const SLASH = 0x2f

/** Finds nodes under a root, remembering the last parent. */
export class NodeFinder {
  readonly #root: DataNode
  /** The path of the remembered parent (never the root), or `''` when none. */
  #path = ''
  #node: DataNode | undefined
  /** The last path found and its node (a write looks its node up to check it, then to apply). */
  #lastPath = ''
  #last: DataNode | undefined

  constructor(root: DataNode) {
    this.#root = root
  }

  /** The node at `path`, or undefined. */
  find(path: string): DataNode | undefined {
    const len = path.length
    if (len <= 1) return len === 0 || path.charCodeAt(0) === SLASH ? this.#root : undefined
    if (path === this.#lastPath) return this.#last
    const node = this.#find(path)
    if (node !== undefined) {
      this.#lastPath = path
      this.#last = node
    }
    return node
  }

  #find(path: string): DataNode | undefined {
    const len = path.length
    const cached = this.#path
    const n = cached.length
    if (n !== 0 && len >= n && path.startsWith(cached)) {
      if (len === n) return this.#node
      if (path.charCodeAt(n) === SLASH && path.indexOf('/', n + 1) === -1) {
        return this.#node?.children?.get(path.slice(n + 1))
      }
    }
    return this.#walk(path)
  }

  #walk(path: string): DataNode | undefined {
    if (path.charCodeAt(0) !== SLASH) return undefined
    let node: DataNode | undefined = this.#root
    let start = 1
    for (;;) {
      const end = path.indexOf('/', start)
      if (end === -1) break
      node = node.children?.get(path.slice(start, end))
      if (node === undefined) return undefined
      start = end + 1
    }
    if (start > 1) {
      this.#path = path.slice(0, start - 1)
      this.#node = node
    }
    return node.children?.get(path.slice(start))
  }

  /** The node at `path` is gone: forget it if remembered (only a leaf can be deleted). */
  forget(node: DataNode): void {
    if (this.#node === node) {
      this.#path = ''
      this.#node = undefined
    }
    if (this.#last === node) {
      this.#lastPath = ''
      this.#last = undefined
    }
  }
}

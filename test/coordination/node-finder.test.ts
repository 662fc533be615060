/**
 * The tree finds nodes by walking children (no global path map) and remembers the last parent
 * and the last node found: its answers must be those of ZooKeeper's path → node map, whatever
 * the order of creates, deletes and lookups.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataTree } from '../../src/coordination/data-tree.js'
import type { TxnOp } from '../../src/coordination/txn.js'

let zxid = 0
const apply = (tree: DataTree, op: TxnOp) =>
  tree.processTxn({ zxid: ++zxid, time: 0, sessionId: 0, op })
const create = (path: string): TxnOp => ({
  type: 'create',
  path,
  data: path,
  ephemeralOwner: 0,
  special: 0,
})

/** The data of the node at `path` (its path, in these tests), or undefined. */
function dataAt(tree: DataTree, path: string): string | null | undefined {
  const node = tree.getNode(path)
  return node === undefined ? undefined : tree.dataString(node)
}

describe('finding nodes by path', () => {
  it('answers as a path map: root aliases, malformed paths, exact paths only', () => {
    const tree = new DataTree()
    for (const p of ['/a', '/a/b', '/a/b/c', '/ab']) apply(tree, create(p))
    const root = tree.getNode('/')
    expect(tree.getNode('')).toBe(root)
    expect(dataAt(tree, '/a/b')).toBe('/a/b')
    expect(dataAt(tree, '/a/b/c')).toBe('/a/b/c')
    expect(dataAt(tree, '/ab')).toBe('/ab')
    for (const p of [
      'a',
      'a/b',
      '//a',
      '/a/',
      '/a//b',
      '/a/b/',
      '/a/./b',
      '/a/b/c/d',
      '/abc',
      '/',
      '//',
    ]) {
      const expected = p === '/' ? root : undefined
      expect(tree.getNode(p), p).toBe(expected)
      // again, with the last parent remembered
      expect(dataAt(tree, '/a/b/c')).toBe('/a/b/c')
      expect(tree.getNode(p), p).toBe(expected)
    }
  })

  it('forgets a deleted node, finds the one created again at its path', () => {
    const tree = new DataTree()
    apply(tree, create('/a'))
    apply(tree, create('/a/b'))
    const b = tree.getNode('/a/b')
    apply(tree, { type: 'delete', path: '/a/b' })
    expect(tree.getNode('/a/b')).toBeUndefined()
    apply(tree, { type: 'delete', path: '/a' })
    expect(tree.getNode('/a')).toBeUndefined()
    expect(tree.getNode('/a/b')).toBeUndefined()
    apply(tree, create('/a'))
    apply(tree, create('/a/b'))
    expect(tree.getNode('/a/b')).not.toBe(b)
    expect(dataAt(tree, '/a/b')).toBe('/a/b')
    expect(tree.nodeCount).toBe(6)
  })

  it('agrees with a path map over random creates, deletes and lookups', () => {
    const name = fc.constantFrom('a', 'b', 'ab', '')
    const path = fc.array(name, { minLength: 0, maxLength: 4 }).map((p) => `/${p.join('/')}`)
    const step = fc.tuple(fc.constantFrom('create', 'delete', 'find'), path)
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const tree = new DataTree()
        const model = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config'])
        const parent = (p: string) => p.slice(0, Math.max(p.lastIndexOf('/'), 1))
        const hasChildren = (p: string) => [...model].some((q) => q !== p && parent(q) === p)
        for (const [kind, p] of steps) {
          const valid = p !== '/' && !p.includes('//') && !p.endsWith('/')
          if (kind === 'create' && valid && model.has(parent(p)) && !model.has(p)) {
            apply(tree, create(p))
            model.add(p)
          } else if (
            kind === 'delete' &&
            model.has(p) &&
            !p.startsWith('/zookeeper') &&
            p !== '/'
          ) {
            if (!hasChildren(p)) {
              apply(tree, { type: 'delete', path: p })
              model.delete(p)
            }
          }
          expect(tree.getNode(p) !== undefined, p).toBe(model.has(p))
          if (model.has(p) && p !== '/' && !p.startsWith('/zookeeper')) {
            expect(dataAt(tree, p)).toBe(p)
          }
        }
        expect(tree.nodeCount).toBe(model.size)
      }),
      { numRuns: 300 },
    )
  })
})

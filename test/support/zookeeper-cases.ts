/**
 * Fixed differential cases: step lists with what ../shared/reference/zookeeper/FACTS.md says a
 * real ZooKeeper 3.8 answers. The real server is checked against these facts (which tests the
 * adapter too); logkeeper's coordinator is checked against the real server's trace.
 */
import { expect } from 'vitest'
import type { NormStat, Step, StepResult, Trace } from './zookeeper-steps.js'

/** A named step list and the FACTS it must show. */
export interface FixedCase {
  readonly name: string
  readonly steps: Step[]
  /** Assertions on the real server's normalised trace. */
  facts(trace: Trace): void
}

/** 'ok' or the error code of each step. */
export function outcomes(trace: Trace): string[] {
  return trace.steps.map((s) => ('err' in s ? s.err : 'ok'))
}

function ok(trace: Trace, i: number): unknown {
  const s = trace.steps[i] as StepResult
  if (!('ok' in s)) throw new Error(`step ${i} failed with ${s.err}`)
  return s.ok
}

function stat(trace: Trace, i: number): NormStat {
  const v = ok(trace, i) as { stat?: NormStat } & NormStat
  return v.stat ?? v
}

const E = 'ephemeral' as const
const PS = 'persistent-sequential' as const
const ES = 'ephemeral-sequential' as const

export const FIXED_CASES: FixedCase[] = [
  {
    name: 'create, read, delete; data null vs empty; NodeExists on /',
    steps: [
      { c: 0, op: 'create', path: '~/a', data: 'x' },
      { c: 0, op: 'create', path: '~/n' },
      { c: 0, op: 'getData', path: '~/n' },
      { c: 0, op: 'create', path: '~/e', data: '' },
      { c: 0, op: 'getData', path: '~/e' },
      { c: 0, op: 'exists', path: '~/a' },
      { c: 0, op: 'exists', path: '~/zz' },
      { c: 0, op: 'getChildren', path: '~' },
      { c: 0, op: 'delete', path: '~/a' },
      { c: 0, op: 'getData', path: '~/a' },
      { c: 0, op: 'create', path: '~/n' },
      { c: 0, op: 'create', path: '/' },
    ],
    facts(t) {
      expect(outcomes(t)).toEqual([...Array(9).fill('ok'), 'NO_NODE', 'NODE_EXISTS', 'NODE_EXISTS'])
      expect(ok(t, 0)).toMatchObject({ path: '~/a', stat: { version: 0, dataLength: 1, owner: 0 } })
      expect(ok(t, 2)).toMatchObject({ data: null, stat: { dataLength: 0 } })
      expect(ok(t, 4)).toMatchObject({ data: '', stat: { dataLength: 0 } })
      expect(stat(t, 5)).toEqual(stat(t, 0))
      expect(ok(t, 6)).toBeNull()
      expect(ok(t, 7)).toEqual(['a', 'e', 'n'])
    },
  },
  {
    name: 'malformed paths and missing parents (FACTS table)',
    steps: [
      { c: 0, op: 'create', path: '~/x/y' },
      { c: 0, op: 'create', path: '~//x' },
      { c: 0, op: 'create', path: 'sem/x' },
      { c: 0, op: 'create', path: '~/' },
      { c: 0, op: 'create', path: '~/.' },
      { c: 0, op: 'create', path: '~/..' },
      { c: 0, op: 'create', path: '~/a\u0000b' },
      { c: 0, op: 'create', path: '~/a\u0001b' },
      { c: 0, op: 'create', path: '' },
      { c: 0, op: 'create', path: 'sem' },
      { c: 0, op: 'setData', path: '~/', data: 'x' },
      { c: 0, op: 'delete', path: '/' },
      { c: 0, op: 'delete', path: '/zookeeper' },
      { c: 0, op: 'delete', path: 'sem' },
      { c: 0, op: 'getData', path: '~//x' },
      { c: 0, op: 'exists', path: '~/' },
      { c: 0, op: 'create', path: '~/seq' },
      { c: 0, op: 'create', path: '~/seq/', mode: PS },
      { c: 0, op: 'create', path: '~/seq/.', mode: PS },
    ],
    facts(t) {
      const BA = 'BAD_ARGUMENTS'
      expect(outcomes(t)).toEqual([
        ...['NO_NODE', 'NO_NODE', 'NO_NODE'],
        ...[BA, BA, BA, BA, BA, BA, BA, BA, BA, BA, BA],
        'NO_NODE',
        ...['ok', 'ok', 'ok', 'ok'],
      ])
      expect(ok(t, 15)).toBeNull()
      expect(ok(t, 17)).toMatchObject({ path: '~/seq/0000000000' })
      expect(ok(t, 18)).toMatchObject({ path: '~/seq/.0000000001' })
    },
  },
  {
    name: 'ephemerals: no children, other sessions may change them, session close removes them',
    steps: [
      { c: 0, op: 'create', path: '~/e', mode: E },
      { c: 0, op: 'create', path: '~/e/x' },
      { c: 0, op: 'create', path: '~/e/x', mode: E },
      { c: 0, op: 'create', path: '~/e/s', mode: PS },
      { c: 1, op: 'setData', path: '~/e', data: 'y' },
      { c: 1, op: 'exists', path: '~/e', watch: true },
      { c: 0, op: 'reconnect' },
      { c: 1, op: 'exists', path: '~/e' },
      { c: 0, op: 'create', path: '~/e2', mode: E },
      { c: 1, op: 'delete', path: '~/e2' },
      { c: 1, op: 'getChildrenWithStat', path: '~' },
    ],
    facts(t) {
      const NC = 'NO_CHILDREN_FOR_EPHEMERALS'
      expect(outcomes(t)).toEqual(['ok', NC, NC, NC, ...Array(7).fill('ok')])
      expect(stat(t, 0).owner).toBe('c0g0')
      expect(stat(t, 4)).toMatchObject({ version: 1, owner: 'c0g0' })
      expect(ok(t, 7)).toBeNull()
      expect(stat(t, 8).owner).toBe('c0g1')
      expect(ok(t, 10)).toMatchObject({ children: [], stat: { cversion: 4, numChildren: 0 } })
      expect(t.events).toEqual([['reconnect'], ['NodeDeleted ~/e']])
    },
  },
  {
    name: 'versions: BAD_VERSION incl. -2, NOT_EMPTY after the version check, NO_NODE first',
    steps: [
      { c: 0, op: 'create', path: '~/p' },
      { c: 0, op: 'create', path: '~/p/c' },
      { c: 0, op: 'delete', path: '~/p' },
      { c: 0, op: 'delete', path: '~/p', version: 5 },
      { c: 0, op: 'delete', path: '~/missing', version: 3 },
      { c: 0, op: 'setData', path: '~/p', data: 'a', version: -2 },
      { c: 0, op: 'delete', path: '~/p/c', version: -2 },
      { c: 0, op: 'setData', path: '~/p', data: 'a', version: 0 },
      { c: 0, op: 'setData', path: '~/p', data: 'a', version: 0 },
      { c: 0, op: 'setData', path: '~/p', data: 'a' },
      { c: 0, op: 'delete', path: '~/p/c', version: 0 },
      { c: 0, op: 'getData', path: '~/p' },
      { c: 0, op: 'delete', path: '~/p', version: 2 },
    ],
    facts(t) {
      expect(outcomes(t)).toEqual([
        ...['ok', 'ok', 'NOT_EMPTY', 'BAD_VERSION', 'NO_NODE', 'BAD_VERSION', 'BAD_VERSION'],
        ...['ok', 'BAD_VERSION', 'ok', 'ok', 'ok', 'ok'],
      ])
      expect(stat(t, 7).version).toBe(1)
      expect(stat(t, 9).version).toBe(2) // identical bytes still bump the version
      const p = stat(t, 11)
      expect(p).toMatchObject({ version: 2, cversion: 2, numChildren: 0, dataLength: 1 })
      expect(p.pzxid).toBeGreaterThan(p.mzxid) // the child delete came after the last setData
      expect(p.mzxid).toBeGreaterThan(p.czxid)
    },
  },
  {
    name: 'sequence suffix counts child creates (not deletes or failed creates); collisions',
    steps: [
      { c: 0, op: 'create', path: '~/q' },
      { c: 0, op: 'create', path: '~/q/n-', mode: PS },
      { c: 0, op: 'create', path: '~/q/n-', mode: ES },
      { c: 0, op: 'delete', path: '~/q/n-0000000000' },
      { c: 0, op: 'create', path: '~/q/x' },
      { c: 0, op: 'create', path: '~/q/x' },
      { c: 0, op: 'create', path: '~/q/n-', mode: PS },
      { c: 0, op: 'create', path: '~/q/n-0000000005' },
      { c: 0, op: 'create', path: '~/q/n-', mode: PS },
      { c: 0, op: 'create', path: '~/q/n-', mode: PS },
      { c: 0, op: 'getChildrenWithStat', path: '~/q' },
    ],
    facts(t) {
      expect(outcomes(t)).toEqual([
        ...[
          'ok',
          'ok',
          'ok',
          'ok',
          'ok',
          'NODE_EXISTS',
          'ok',
          'ok',
          'NODE_EXISTS',
          'NODE_EXISTS',
          'ok',
        ],
      ])
      expect(ok(t, 1)).toMatchObject({ path: '~/q/n-0000000000' })
      expect(ok(t, 2)).toMatchObject({ path: '~/q/n-0000000001', stat: { owner: 'c0g0' } })
      expect(ok(t, 6)).toMatchObject({ path: '~/q/n-0000000003' })
      expect(ok(t, 10)).toMatchObject({
        children: ['n-0000000001', 'n-0000000003', 'n-0000000005', 'x'],
        stat: { cversion: 6, numChildren: 4 },
      })
    },
  },
  {
    name: 'multi: per-op codes, nothing applied on failure, check sees earlier ops, version 0',
    steps: [
      { c: 0, op: 'create', path: '~/m' },
      {
        c: 0,
        op: 'multi',
        ops: [
          { op: 'create', path: '~/m/a' },
          { op: 'setData', path: '~/m/a', data: 'v', version: 0 },
          { op: 'check', path: '~/m/a', version: 1 },
          { op: 'delete', path: '~/m' },
        ],
      },
      {
        c: 0,
        op: 'multi',
        ops: [
          { op: 'create', path: '~/m/a' },
          { op: 'check', path: '~/m/a', version: 0 },
          { op: 'setData', path: '~/m', data: 'z', version: 0 },
        ],
      },
      {
        c: 0,
        op: 'multi',
        ops: [
          { op: 'create', path: '~/m/b' },
          { op: 'check', path: '~/m', version: 5 },
          { op: 'delete', path: '~/m/a' },
        ],
      },
      { c: 0, op: 'exists', path: '~/m/b' },
      { c: 0, op: 'multi', ops: [] },
      {
        c: 0,
        op: 'multi',
        ops: [
          { op: 'delete', path: '~/m/a', version: 0 },
          { op: 'delete', path: '~/m', version: 1 },
        ],
      },
      { c: 0, op: 'exists', path: '~/m' },
    ],
    facts(t) {
      expect(outcomes(t)).toEqual(['ok', 'NOT_EMPTY', 'ok', 'BAD_VERSION', 'ok', 'ok', 'ok', 'ok'])
      expect(t.steps[1]).toEqual({ err: 'NOT_EMPTY', results: [0, 0, 0, -111] })
      expect(t.steps[3]).toEqual({ err: 'BAD_VERSION', results: [0, -103, -2] })
      expect(ok(t, 2)).toMatchObject([
        { op: 'create', path: '~/m/a' },
        { op: 'check' },
        { op: 'setData' },
      ])
      expect(ok(t, 4)).toBeNull()
      expect(ok(t, 5)).toEqual([])
      expect(ok(t, 6)).toEqual([{ op: 'delete' }, { op: 'delete' }])
      expect(ok(t, 7)).toBeNull()
    },
  },
  {
    name: 'watches: one-shot, exists on missing, child watch ignores setData, delete order, multi order',
    steps: [
      { c: 1, op: 'exists', path: '~/w', watch: true },
      { c: 1, op: 'getData', path: '~/w2', watch: true },
      { c: 0, op: 'create', path: '~/w' },
      { c: 0, op: 'create', path: '~/w2' },
      { c: 1, op: 'getData', path: '~/w', watch: true },
      { c: 1, op: 'getChildren', path: '~/w', watch: true },
      { c: 0, op: 'setData', path: '~/w', data: '1' },
      { c: 0, op: 'setData', path: '~/w', data: '2' },
      { c: 0, op: 'create', path: '~/w/k' },
      { c: 1, op: 'getData', path: '~/w', watch: true },
      { c: 1, op: 'getChildren', path: '~/w', watch: true },
      { c: 1, op: 'exists', path: '~/w/k', watch: true },
      { c: 1, op: 'getChildren', path: '~', watch: true },
      { c: 0, op: 'delete', path: '~/w/k' },
      {
        c: 0,
        op: 'multi',
        ops: [
          { op: 'delete', path: '~/w' },
          { op: 'create', path: '~/w3' },
        ],
      },
      { c: 0, op: 'exists', path: '~/own', watch: true },
      { c: 0, op: 'create', path: '~/own' },
    ],
    facts(t) {
      expect(outcomes(t)).toEqual(['ok', 'NO_NODE', ...Array(15).fill('ok')])
      expect(t.events).toEqual([
        ['NodeCreated ~/own'],
        [
          'NodeCreated ~/w',
          'NodeDataChanged ~/w',
          'NodeChildrenChanged ~/w',
          'NodeDeleted ~/w/k',
          'NodeChildrenChanged ~/w',
          'NodeDeleted ~/w',
          'NodeChildrenChanged ~',
        ],
      ])
    },
  },
  {
    name: 'Stat: a child create/delete raises cversion and pzxid only',
    steps: [
      { c: 0, op: 'create', path: '~/s', data: 'd' },
      { c: 0, op: 'create', path: '~/s/k' },
      { c: 0, op: 'getData', path: '~/s' },
      { c: 0, op: 'delete', path: '~/s/k' },
      { c: 0, op: 'getChildrenWithStat', path: '~/s' },
    ],
    facts(t) {
      const made = stat(t, 0)
      const withChild = stat(t, 2)
      const after = stat(t, 4)
      const child = stat(t, 1)
      expect(withChild).toMatchObject({
        version: 0,
        cversion: 1,
        numChildren: 1,
        mzxid: made.mzxid,
      })
      expect(withChild.pzxid).toBe(child.czxid)
      expect(after).toMatchObject({ version: 0, cversion: 2, numChildren: 0, mzxid: made.mzxid })
      expect(after.pzxid).toBeGreaterThan(child.czxid)
    },
  },
]

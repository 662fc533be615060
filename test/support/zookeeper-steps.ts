/**
 * A small language of coordinator operations for differential tests: the same steps run on a
 * real ZooKeeper and on logkeeper's coordinator, each run under a fresh root path, and give a
 * normalised trace (results, error codes, Stats with zxids ranked and times dropped, sorted
 * children, watch events per client in order) that can be compared with `toEqual`.
 *
 * Paths in steps: `~` stands for the run's root (e.g. `~/a/b`); `$` for the last path a create
 * returned in this run (or `~/none`). Returned paths and event paths are written back with `~`.
 */
import type {
  CoordinatorClient,
  CreateMode,
  Op,
  Stat,
  WatchedEvent,
} from '../../src/coordination/types.js'

/** One operation of a multi step (paths as in steps). */
export type StepOp =
  | { op: 'create'; path: string; data?: string | null; mode?: CreateMode }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: string | null; version?: number }
  | { op: 'check'; path: string; version: number }

/** One step, run by client slot `c`. */
export type Step =
  | { c: number; op: 'create'; path: string; data?: string | null; mode?: CreateMode }
  | { c: number; op: 'delete'; path: string; version?: number }
  | { c: number; op: 'setData'; path: string; data: string | null; version?: number }
  | {
      c: number
      op: 'getData' | 'exists' | 'getChildren' | 'getChildrenWithStat'
      path: string
      watch?: boolean
    }
  | { c: number; op: 'multi'; ops: StepOp[] }
  | { c: number; op: 'reconnect' }

/** A Stat with zxids ranked (see {@link normalise}), times dropped and the owner named. */
export interface NormStat {
  czxid: number
  mzxid: number
  pzxid: number
  version: number
  cversion: number
  aversion: number
  /** 0, or `c<slot>g<generation>` of the owning session, or `other`. */
  owner: number | string
  dataLength: number
  numChildren: number
}

/** What one step gave. */
export type StepResult = { ok: unknown } | { err: string; results?: number[] }

/** The outcome of a run. */
export interface Trace {
  steps: StepResult[]
  /**
   * Watch events per client slot, `Type ~/path`, in arrival order; `reconnect` marks a new
   * session. The events a session close causes are sorted: the order in which a server deletes
   * a session's ephemerals is unspecified (ZooKeeper: hash-set order).
   */
  events: string[][]
}

/** A place to run steps: a fresh root and clients per run. */
export interface Backend {
  readonly name: string
  /** Prepare a run: create the root (persistent, empty) and return how to open clients. */
  open(): Promise<BackendRun>
}

/** One run's resources. */
export interface BackendRun {
  readonly root: string
  connect(): Promise<CoordinatorClient>
  /** Close what `open` made (the clients are closed by the runner). */
  dispose(): Promise<void>
}

function isStat(value: unknown): value is Stat {
  return typeof value === 'object' && value !== null && 'czxid' in value && 'numChildren' in value
}

/** Run steps on a backend and return the normalised trace. */
export async function runSteps(
  backend: Backend,
  steps: readonly Step[],
  slots = 2,
): Promise<Trace> {
  const run = await backend.open()
  const root = run.root
  const clients: CoordinatorClient[] = []
  const generations: number[] = []
  const owners = new Map<number, string>()
  const events: string[][] = []
  let last = `${root}/none`
  const abs = (p: string): string => (p === '$' ? last : p.replace(/^~/, root))
  const rel = (p: string): string =>
    p === root || p.startsWith(`${root}/`) ? `~${p.slice(root.length)}` : p

  const open = async (slot: number): Promise<void> => {
    const client = await run.connect()
    clients[slot] = client
    owners.set(client.sessionId, `c${slot}g${generations[slot] ?? 0}`)
  }
  const recorders: ((e: WatchedEvent) => void)[] = []
  for (let slot = 0; slot < slots; slot++) {
    generations[slot] = 0
    events[slot] = []
    recorders[slot] = (e) => void events[slot]?.push(`${e.type} ${rel(e.path)}`)
    await open(slot)
  }

  const raw: StepResult[] = []
  try {
    for (const step of steps) {
      const client = clients[step.c]
      const watch = recorders[step.c]
      if (client === undefined || watch === undefined) throw new Error(`no client slot ${step.c}`)
      const before = events.map((list) => list.length)
      let result: StepResult
      try {
        result = { ok: await runStep(client, step, abs, watch) }
        if (step.op === 'create') last = (result.ok as { path: string }).path
        if (step.op === 'multi') {
          for (const r of result.ok as { op: string; path?: string }[])
            if (r.path !== undefined) last = r.path
        }
        if (step.op === 'reconnect') {
          await client.close()
          generations[step.c] = (generations[step.c] ?? 0) + 1
          events[step.c]?.push('reconnect')
          await open(step.c)
        }
      } catch (error) {
        const e = error as { code?: unknown; results?: { err: number }[] }
        if (typeof e.code !== 'string') throw error
        result =
          e.results === undefined
            ? { err: e.code }
            : { err: e.code, results: e.results.map((r) => r.err) }
      }
      raw.push(result)
      // Let notifications arrive: a round trip on every client (a server sends a client its
      // notifications before the replies to that client's later requests).
      for (const c of clients) await c.exists('/')
      if (step.op === 'reconnect') {
        for (const [slot, list] of events.entries()) {
          if (slot !== step.c)
            list.splice(before[slot] ?? 0, Infinity, ...list.slice(before[slot] ?? 0).sort())
        }
      }
    }
  } finally {
    for (const c of clients) await c.close()
    await run.dispose()
  }
  return normalise({ steps: raw.map((r) => relPaths(r, rel) as StepResult), events }, owners)
}

async function runStep(
  client: CoordinatorClient,
  step: Step,
  abs: (p: string) => string,
  watch: (e: WatchedEvent) => void,
): Promise<unknown> {
  const w = (on: boolean | undefined) => (on === true ? { watch } : {})
  switch (step.op) {
    case 'create': {
      const r = await client.create(abs(step.path), step.data, { mode: step.mode ?? 'persistent' })
      return { path: r.path, stat: r.stat }
    }
    case 'delete':
      await client.delete(
        abs(step.path),
        step.version === undefined ? {} : { version: step.version },
      )
      return null
    case 'setData':
      return client.setData(
        abs(step.path),
        step.data,
        step.version === undefined ? {} : { version: step.version },
      )
    case 'getData': {
      const r = await client.getData(abs(step.path), w(step.watch))
      return { data: r.data === null ? null : r.data.toString('utf8'), stat: r.stat }
    }
    case 'exists':
      return client.exists(abs(step.path), w(step.watch))
    case 'getChildren':
      return (await client.getChildren(abs(step.path), w(step.watch))).sort()
    case 'getChildrenWithStat': {
      const r = await client.getChildrenWithStat(abs(step.path), w(step.watch))
      return { children: [...r.children].sort(), stat: r.stat }
    }
    case 'multi': {
      const ops = step.ops.map((op): Op => ({ ...op, path: abs(op.path) }) as Op)
      const results = await client.multi(ops)
      // A create's Stat inside a multi is not atomic over node-zookeeper-client (fetched after
      // the multi), so only its path is compared.
      return results.map((r) => (r.op === 'create' ? { op: 'create', path: r.path } : r))
    }
    case 'reconnect':
      return null
  }
}

/** Write the values under `path` keys with `~` for the root. */
function relPaths(value: unknown, rel: (p: string) => string, isPath = false): unknown {
  if (typeof value === 'string') return isPath ? rel(value) : value
  if (Array.isArray(value)) return value.map((v) => relPaths(v, rel, isPath))
  if (value !== null && typeof value === 'object' && !isStat(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, relPaths(v, rel, k === 'path')]),
    )
  }
  return value
}

function collectZxids(value: unknown, into: Set<number>): void {
  if (isStat(value)) {
    into.add(value.czxid).add(value.mzxid).add(value.pzxid)
  } else if (Array.isArray(value)) {
    for (const v of value) collectZxids(v, into)
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) collectZxids(v, into)
  }
}

/**
 * Replace each zxid by its rank among the zxids the run's Stats show (so two implementations
 * that number differently but order the same compare equal), drop ctime/mtime (only check they
 * are numbers), and name ephemeral owners by client slot and session generation.
 */
export function normalise(trace: Trace, owners: ReadonlyMap<number, string>): Trace {
  const zxids = new Set<number>()
  collectZxids(trace.steps, zxids)
  const rank = new Map([...zxids].sort((a, b) => a - b).map((z, i) => [z, i]))
  const fix = (value: unknown): unknown => {
    if (isStat(value)) {
      if (!Number.isFinite(value.ctime) || !Number.isFinite(value.mtime)) {
        throw new Error(`Stat with non-numeric times: ${JSON.stringify(value)}`)
      }
      const s: NormStat = {
        czxid: rank.get(value.czxid) ?? -1,
        mzxid: rank.get(value.mzxid) ?? -1,
        pzxid: rank.get(value.pzxid) ?? -1,
        version: value.version,
        cversion: value.cversion,
        aversion: value.aversion,
        owner: value.ephemeralOwner === 0 ? 0 : (owners.get(value.ephemeralOwner) ?? 'other'),
        dataLength: value.dataLength,
        numChildren: value.numChildren,
      }
      return s
    }
    if (Array.isArray(value)) return value.map(fix)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fix(v)]))
    }
    return value
  }
  return { steps: trace.steps.map((s) => fix(s) as StepResult), events: trace.events }
}

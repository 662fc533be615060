/**
 * createCluster: options checked before anything starts, the facade (topic view, controller,
 * lock, election), close leaving no timer, disk mode reopening topics, data and configs, and
 * one cluster per data directory.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { type Cluster, createCluster } from '../../src/cluster.js'
import { VirtualClock } from '../../src/common/clock.js'
import { peek } from '../broker/group/helpers.js'
import { createTopic, produce, readJson, toController, virtualCluster } from './helpers.js'

const run = promisify(execFile)
const open: Cluster[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function tmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logkeeper-cluster-'))
  dirs.push(dir)
  return dir
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

describe('createCluster options', () => {
  it('refuses bad options with a code, starting nothing', async () => {
    expect(await codeOf(createCluster({ brokers: 0 }))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(createCluster({ brokers: 1.5 }))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(createCluster({ clock: 'fast' as never }))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(createCluster({ seed: Number.NaN }))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(createCluster({ dataDir: '' }))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(createCluster({ config: { 'no.such': 1 } }))).toBe('INVALID_CONFIG')
    expect(await codeOf(createCluster({ config: { 'num.partitions': 0 } }))).toBe('INVALID_CONFIG')
    expect(await codeOf(createCluster({ durability: { flushMessages: 0 } }))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(await codeOf(createCluster(null as never))).toBe('INVALID_ARGUMENT')
  })

  it('takes a Clock object and topic names as defaults', async () => {
    const clock = new VirtualClock()
    const c = await createCluster({ clock, config: { 'retention.ms': 1000 } })
    open.push(c)
    expect(c.clock).toBe(clock)
    expect(c.config['log.retention.ms']).toBe(1000)
  })
})

describe('the Cluster facade', () => {
  it('shows topics, the controller, and refuses unknown topics', async () => {
    const c = await virtualCluster(3)
    open.push(c)
    expect(c.controller()).toBe(0)
    await createTopic(c, 'v', 2, 3)
    const r = await produce(c, 'v', 1, ['x', 'y'])
    expect(r.error).toBeUndefined()
    const view = c.topic('v')
    expect(view.name).toBe('v')
    expect(view.partitions[1]).toMatchObject({
      id: 1,
      logStartOffset: 0,
      highWatermark: 2,
      logEndOffset: 2,
    })
    expect(view.partitions[1]!.isr).toHaveLength(3)
    expect(() => c.topic('nope')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_TOPIC_OR_PARTITION' }),
    )
  })

  it('lock and election run on the coordinator', async () => {
    const c = await virtualCluster(1)
    open.push(c)
    const lock = c.lock('/locks/a')
    const held = await lock.acquire({ timeoutMs: 0 })
    expect(held.fencingToken).toBeGreaterThan(0)
    await held.release()
    const election = c.election('/election/a', { id: 'n1' })
    await election.start()
    await c.clock.advance(10)
    expect(election.isLeader).toBe(true)
  })

  it("lock and election wait on the cluster's clock: a virtual timeout passes only as it advances", async () => {
    const c = await virtualCluster(1)
    open.push(c)
    const held = await c.lock('/locks/b').acquire()
    const waiting = c.lock('/locks/b').acquire({ timeoutMs: 5_000 })
    const outcome = waiting.then(
      () => 'acquired',
      (e: { code?: string }) => e.code,
    )
    await c.clock.advance(4_999)
    expect(await peek(outcome)).toBe('pending')
    await c.clock.advance(1)
    expect(await peek(outcome)).toBe('TIMEOUT')
    await held.release()
  })

  it('close leaves no timer and later calls are CLOSED', async () => {
    const c = await virtualCluster(3)
    await createTopic(c, 't', 3, 3)
    c.brokers[2]!.kill()
    c.lock('/l')
    await c.close()
    await c.close()
    expect(c.clock.pendingTimers).toBe(0)
    expect(() => c.topic('t')).toThrow(expect.objectContaining({ code: 'CLOSED' }))
  })

  it('a real-clock cluster, closed, lets the process exit by itself', async () => {
    const root = join(import.meta.dirname, '..', '..')
    const tsx = join(root, 'node_modules', '.bin', 'tsx')
    const script = join('test', 'cluster', 'fixtures', 'real-clock-exit.ts')
    const { stdout } = await run(tsx, [script], { cwd: root, timeout: 20_000 })
    expect(stdout.trim()).toBe('closed ok')
  })
})

describe('disk mode', () => {
  it('reopens topics, data and configs from the data directory', async () => {
    const dataDir = await tmp()
    const a = await createCluster({ brokers: 2, dataDir, clock: 'virtual', seed: 1 })
    await createTopic(a, 'kept', 2, 2, { 'retention.ms': '99999' })
    expect((await produce(a, 'kept', 0, ['one', 'two', 'three'])).error).toBeUndefined()
    const before = a.topic('kept').partitions.map((p) => [p.leader, p.replicas])
    await a.close()

    const b = await createCluster({ brokers: 2, dataDir, clock: 'virtual', seed: 1 })
    open.push(b)
    // Online as soon as createCluster resolves: no time needs to pass.
    expect(b.topic('kept').partitions.map((p) => [p.leader >= 0, p.logEndOffset])).toEqual([
      [true, 3],
      [true, 0],
    ])
    const zk = b.coordinator.connect()
    expect(await zk.getChildren('/brokers/topics')).toEqual(['kept'])
    expect((await zk.getData('/controller_epoch')).data?.toString()).toBe('2')
    expect(await readJson(zk, '/config/topics/kept')).toEqual({
      version: 1,
      config: { 'retention.ms': '99999' },
    })
    await zk.close()
    await b.clock.advance(100)
    const after = b.topic('kept')
    expect(after.partitions.map((p) => p.replicas)).toEqual(before.map(([, r]) => r))
    expect(after.partitions[0]!.logEndOffset).toBe(3)
    const described = await toController(b, 'DescribeConfigs', {
      resources: [{ type: 'topic', name: 'kept', configNames: ['retention.ms'] }],
    })
    expect(described.results[0]!.configs[0]).toMatchObject({ value: '99999', source: 'topic' })
  })

  it('reopens with the broker count and settings the directory was last opened with', async () => {
    const dataDir = await tmp()
    const a = await createCluster({
      brokers: 3,
      dataDir,
      clock: 'virtual',
      config: { 'delete.topic.enable': false, 'num.partitions': 4 },
    })
    await a.close()
    // Options that omit them take the directory's own (the command line opens it this way).
    const b = await createCluster({ dataDir, clock: 'virtual' })
    expect(b.brokers.map((x) => x.id)).toEqual([0, 1, 2])
    expect(b.config['delete.topic.enable']).toBe(false)
    expect(b.config['num.partitions']).toBe(4)
    await b.close()
    // Options given win, and are what the next open remembers.
    const c = await createCluster({ brokers: 2, dataDir, clock: 'virtual', config: {} })
    expect(c.brokers).toHaveLength(2)
    expect(c.config['delete.topic.enable']).toBe(true)
    await c.close()
    const d = await createCluster({ dataDir, clock: 'virtual' })
    open.push(d)
    expect(d.brokers).toHaveLength(2)
    expect(d.config['num.partitions']).toBe(1)
  })

  it('refuses a second cluster on an open data directory', async () => {
    const dataDir = await tmp()
    const a = await createCluster({ dataDir, clock: 'virtual' })
    open.push(a)
    const err = await createCluster({ dataDir, clock: 'virtual' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
    expect((err as Error).message).toMatch(/held|open/)
  })
})

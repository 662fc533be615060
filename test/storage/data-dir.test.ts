import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { CheckpointStore } from '../../src/storage/checkpoints.js'
import { openDataDir } from '../../src/storage/data-dir.js'
import { durabilityLogConfig, resolveDurability } from '../../src/storage/durability.js'
import { bytes, codeOf, hex } from './log-store-contract.js'
import { tmpDirs } from './tmp-dirs.js'

const newDir = tmpDirs('datadir')
const TP = { topic: 'orders', partition: 2 }

describe('data directory', () => {
  it('lays out meta and logs, and reopens with logs, checkpoints and sublevels', async () => {
    const path = await newDir()
    const dd = await openDataDir(path, { durability: { flushMs: 1000 } })
    expect(dd.durability).toEqual({ flushMessages: undefined, flushMs: 1000, syncMetadata: true })
    const p = await dd.logs.openPartition(TP)
    p.roll(0)
    p.append(bytes(33))
    await dd.checkpoints.write([
      {
        topicPartition: TP,
        highWatermark: 7,
        logStartOffset: 0,
        leaderEpochs: [{ epoch: 0, startOffset: 0 }],
      },
    ])
    const coordinator = dd.sublevel<unknown>('coordinator', 'json')
    await coordinator.put('/brokers/ids/1', { host: 'h' })
    await dd.close()
    await dd.close()
    expect((await readdir(path)).sort()).toEqual(['logs', 'meta'])
    expect(existsSync(join(path, 'logs', 'orders-2', '00000000000000000000.log'))).toBe(true)

    const again = await openDataDir(path)
    try {
      expect(await again.logs.listPartitions()).toEqual([TP])
      const r = await again.logs.openPartition(TP)
      expect(hex(await r.read(0, 0, 100))).toBe(hex(bytes(33)))
      expect(await again.checkpoints.read(TP)).toEqual({
        highWatermark: 7,
        logStartOffset: 0,
        leaderEpochs: [{ epoch: 0, startOffset: 0 }],
      })
      expect(await again.sublevel<unknown>('coordinator', 'json').get('/brokers/ids/1')).toEqual({
        host: 'h',
      })
      expect(await codeOf(() => again.sublevel('checkpoints'))).toBe('INVALID_ARGUMENT')
      expect(await codeOf(() => again.sublevel('Bad Name'))).toBe('INVALID_ARGUMENT')
    } finally {
      await again.close()
    }
    expect(await codeOf(() => again.checkpoints.read(TP))).toBe('CLOSED')
  })

  it('refuses a file path and a directory open in this process', async () => {
    const path = await newDir()
    await mkdir(path)
    await writeFile(join(path, 'f'), '')
    expect(await codeOf(() => openDataDir(join(path, 'f')))).toBe('STORAGE_UNAVAILABLE')
    const dd = await openDataDir(join(path, 'd'))
    expect(await codeOf(() => openDataDir(join(path, 'd')))).toBe('STORAGE_UNAVAILABLE')
    await dd.close()
  })

  it('refuses a directory whose database another process holds, naming that process', async () => {
    const path = await newDir()
    const dd = await openDataDir(path)
    await dd.close()
    const script = `const { ClassicLevel } = require('classic-level')
      require('node:fs').writeFileSync(process.argv[2], process.pid + '\\n')
      new ClassicLevel(process.argv[1]).open().then(() => console.log('ready'))
      setTimeout(() => {}, 20000)`
    const lockFile = join(path, 'logs', '.lock')
    const child = spawn(process.execPath, ['-e', script, join(path, 'meta'), lockFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => resolve())
        child.on('exit', () => reject(new Error('child exited')))
      })
      const err = await openDataDir(path).then(
        () => undefined,
        (e: unknown) => e as Error & { code: string },
      )
      expect(err?.code).toBe('STORAGE_UNAVAILABLE')
      expect(err?.message).toContain(`held by process ${child.pid}`)
    } finally {
      child.kill()
    }
  })

  it('rejects bad durability settings and maps them to log settings', async () => {
    expect(await codeOf(() => resolveDurability({ flushMessages: 0 }))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(() => resolveDurability({ flushMs: -1 }))).toBe('INVALID_ARGUMENT')
    for (const bad of [null, 'fsync', [1]]) {
      expect(await codeOf(() => resolveDurability(bad as never))).toBe('INVALID_ARGUMENT')
    }
    expect(durabilityLogConfig(resolveDurability({ flushMessages: 1 }))).toEqual({
      'flush.messages': 1,
    })
    expect(durabilityLogConfig(resolveDurability())).toEqual({})
    const dir = await newDir()
    expect(await codeOf(() => openDataDir(dir, { durability: { flushMs: 1.5 } }))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(existsSync(dir)).toBe(false)
  })
})

describe('checkpoint store', () => {
  it('keeps fields per partition, updates them partially, deletes them', async () => {
    const cp = new CheckpointStore(new MemoryLevel(), false)
    const other = { topic: 'a', partition: 10 }
    expect(await cp.read(TP)).toEqual({})
    await cp.write([
      { topicPartition: TP, highWatermark: 5 },
      { topicPartition: other, logStartOffset: 3 },
    ])
    await cp.write([{ topicPartition: TP, logStartOffset: 1, leaderEpochs: [] }])
    expect(await cp.read(TP)).toEqual({ highWatermark: 5, logStartOffset: 1, leaderEpochs: [] })
    expect(await cp.readAll()).toEqual([
      { topicPartition: other, logStartOffset: 3 },
      { topicPartition: TP, highWatermark: 5, logStartOffset: 1, leaderEpochs: [] },
    ])
    await cp.delete(TP)
    expect(await cp.read(TP)).toEqual({})
  })

  it('refuses bad input and writes nothing', async () => {
    const cp = new CheckpointStore(new MemoryLevel(), false)
    const bad = [
      [
        { topicPartition: TP, highWatermark: 1 },
        { topicPartition: TP, highWatermark: -1 },
      ],
      [{ topicPartition: { topic: '../x', partition: 0 }, highWatermark: 1 }],
      [
        {
          topicPartition: TP,
          leaderEpochs: [
            { epoch: 2, startOffset: 5 },
            { epoch: 1, startOffset: 6 },
          ],
        },
      ],
      [
        {
          topicPartition: TP,
          leaderEpochs: [
            { epoch: 1, startOffset: 5 },
            { epoch: 2, startOffset: 4 },
          ],
        },
      ],
    ]
    for (const updates of bad)
      expect(await codeOf(() => cp.write(updates))).toBe('INVALID_ARGUMENT')
    expect(await cp.readAll()).toEqual([])
  })
})

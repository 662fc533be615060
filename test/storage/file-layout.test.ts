/**
 * FileLogStore beyond the contract: Kafka's file names and index formats on disk, the
 * directory lock, unusable paths, leftovers of a crash, and the bound on open files.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileLogStore } from '../../src/storage/file-log-store.js'
import { bytes, codeOf, hex } from './log-store-contract.js'
import { tmpDirs } from './tmp-dirs.js'

const newDir = tmpDirs('layout')
const TP = { topic: 'clicks', partition: 3 }

describe('FileLogStore on disk', () => {
  it("writes Kafka's layout: 20-digit names, batches as appended, trimmed big-endian indexes", async () => {
    const dir = await newDir()
    const store = await FileLogStore.open(dir)
    const p = await store.openPartition(TP)
    p.roll(4242)
    p.append(bytes(70, 1))
    p.append(bytes(30, 2))
    p.appendOffsetIndex(4242, { offset: 4250, position: 70 })
    p.appendTimeIndex(4242, { timestamp: 1_700_000_000_123, offset: 4250 })
    expect(existsSync(join(dir, 'clicks-3', '00000000000000004242.log'))).toBe(false)
    await p.flush({ fsync: true })
    const seg = join(dir, 'clicks-3', '00000000000000004242')
    expect(hex(await readFile(`${seg}.log`))).toBe(hex(Buffer.concat([bytes(70, 1), bytes(30, 2)])))
    expect((await readFile(`${seg}.index`)).toString('hex')).toBe('0000000800000046')
    const time = await readFile(`${seg}.timeindex`)
    expect(time.length).toBe(12)
    expect(time.readBigInt64BE(0)).toBe(1_700_000_000_123n)
    expect(time.readInt32BE(8)).toBe(8)
    expect((await readdir(dir)).sort()).toEqual(['.lock', 'clicks-3'])
    expect((await readFile(join(dir, '.lock'), 'utf8')).trim()).toBe(String(process.pid))
    await store.close()
    expect(existsSync(join(dir, '.lock'))).toBe(false)
  })

  it('refuses a directory held by this or another live process, takes over a stale lock', async () => {
    const dir = await newDir()
    const store = await FileLogStore.open(dir)
    expect(await codeOf(() => FileLogStore.open(dir))).toBe('STORAGE_UNAVAILABLE')
    await store.close()
    await writeFile(join(dir, '.lock'), '1\n') // PID 1 is always alive
    expect(await codeOf(() => FileLogStore.open(dir))).toBe('STORAGE_UNAVAILABLE')
    await writeFile(join(dir, '.lock'), '2147483646\n') // no such process
    const again = await FileLogStore.open(dir)
    await again.close()
  })

  it('refuses a path that is a file or lies under one, creating nothing', async () => {
    const dir = await newDir()
    await mkdir(dir)
    const file = join(dir, 'plain-file')
    await writeFile(file, 'x')
    const err: unknown = await FileLogStore.open(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
    expect((err as Error).message).toContain('not a directory')
    expect(await codeOf(() => FileLogStore.open(join(file, 'sub')))).toBe('STORAGE_UNAVAILABLE')
    expect(await readdir(dir)).toEqual(['plain-file'])
  })

  it.skipIf(process.getuid?.() === 0)('refuses a directory it cannot write', async () => {
    const dir = await newDir()
    await mkdir(dir, { mode: 0o500 })
    expect(await codeOf(() => FileLogStore.open(dir))).toBe('STORAGE_UNAVAILABLE')
  })

  it('on open cuts torn index entries, drops orphans, undecided replacements and deleted dirs', async () => {
    const dir = await newDir()
    const store = await FileLogStore.open(dir)
    const p = await store.openPartition(TP)
    p.roll(0)
    p.append(bytes(50))
    p.appendOffsetIndex(0, { offset: 1, position: 10 })
    await store.close()
    const part = join(dir, 'clicks-3')
    await writeFile(
      join(part, '00000000000000000000.index'),
      Buffer.from('000000010000000a0000', 'hex'),
    )
    await writeFile(join(part, '00000000000000000077.index'), Buffer.alloc(8))
    await writeFile(join(part, '00000000000000000090.log.cleaned'), Buffer.alloc(8))
    await mkdir(join(dir, 'clicks-4.0-delete'))
    const again = await FileLogStore.open(dir)
    const r = await again.openPartition(TP)
    expect(await r.readIndexes(0)).toEqual({ offsets: [{ offset: 1, position: 10 }], times: [] })
    expect((await stat(join(part, '00000000000000000000.index'))).size).toBe(8)
    expect((await readdir(part)).sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
    ])
    expect((await again.listPartitions()).map((t) => t.partition)).toEqual([3])
    await again.close()
  })

  it('finishes a decided replacement on open', async () => {
    const dir = await newDir()
    const store = await FileLogStore.open(dir)
    const p = await store.openPartition(TP)
    for (const base of [0, 10, 20]) {
      p.roll(base)
      p.append(bytes(20, base))
    }
    await store.close()
    const part = join(dir, 'clicks-3')
    for (const suffix of ['.log', '.index', '.timeindex']) {
      const content = suffix === '.log' ? Buffer.from(bytes(5, 99)) : Buffer.alloc(0)
      await writeFile(join(part, `00000000000000000000${suffix}.cleaned`), content)
    }
    await writeFile(
      join(part, 'logkeeper-replace.json'),
      JSON.stringify({ baseOffset: 0, replaced: [0, 10] }),
    )
    const again = await FileLogStore.open(dir)
    const r = await again.openPartition(TP)
    expect(r.segments()).toEqual([
      { baseOffset: 0, sizeBytes: 5 },
      { baseOffset: 20, sizeBytes: 20 },
    ])
    expect(hex(await r.read(0, 0, 5))).toBe(hex(bytes(5, 99)))
    expect(existsSync(join(part, 'logkeeper-replace.json'))).toBe(false)
    await again.close()
  })

  it('reads many closed segments through a bounded set of open files', async () => {
    const dir = await newDir()
    const store = await FileLogStore.open(dir, { maxOpenFiles: 2, readCacheBytes: 0 })
    const p = await store.openPartition(TP)
    for (let base = 0; base < 40; base += 2) {
      p.roll(base)
      p.append(bytes(10, base))
    }
    await p.flush({ fsync: false })
    const fds = () => (existsSync('/proc/self/fd') ? readdir('/proc/self/fd') : Promise.resolve([]))
    const before = (await fds()).length
    for (let base = 0; base < 40; base += 2) {
      expect(hex(await p.read(base, 3, 4))).toBe(hex(bytes(10, base).slice(3, 7)))
    }
    expect((await fds()).length - before).toBeLessThanOrEqual(2)
    await store.close()
  })
})

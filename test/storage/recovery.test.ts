/**
 * A disk-mode partition log after an unclean shutdown, with the damage done to the real
 * segment files: a torn tail or garbage after the last batch of the active segment is cut on
 * reopen and the log continues where its last whole batch ended; a flipped byte in a closed
 * segment is a CORRUPT_MESSAGE error on read, never data; and a clean reopen of a data
 * directory continues exactly where it was (offsets, segments, log start offset).
 */
import { appendFile, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { openDataDir } from '../../src/storage/data-dir.js'
import { FileLogStore } from '../../src/storage/file-log-store.js'
import { batchOf, readAll } from '../log/helpers.js'
import { codeOf } from './log-store-contract.js'
import { tmpDirs } from './tmp-dirs.js'

const newDir = tmpDirs('recovery')
const TP = { topic: 'orders', partition: 0 }
const CONFIG = { 'segment.bytes': 300 }

async function openLog(dir: string) {
  const store = await FileLogStore.open(dir)
  const log = await PartitionLog.open({
    topicPartition: TP,
    store: await store.openPartition(TP),
    clock: new VirtualClock(),
    config: CONFIG,
  })
  return {
    log,
    async close() {
      await log.close()
      await store.close()
    },
  }
}

/** A closed log of ten one-record batches over several segments; the active segment's file. */
async function tenBatches() {
  const dir = await newDir()
  const h = await openLog(dir)
  for (let i = 0; i < 10; i++) h.log.append(batchOf([`v${i}`]))
  const segments = h.log.segmentBaseOffsets
  await h.close()
  const part = join(dir, 'orders-0')
  const logs = (await readdir(part)).filter((n) => n.endsWith('.log')).sort()
  expect(logs.length).toBe(segments.length)
  expect(segments.length).toBeGreaterThan(2)
  return { dir, part, segments, active: join(part, logs.at(-1)!) }
}

describe('recovery of a disk-mode partition log', () => {
  it('cuts a torn tail of the active segment and continues after the last whole batch', async () => {
    const { dir, active } = await tenBatches()
    const { size } = await stat(active)
    await truncate(active, size - 5)
    const h = await openLog(dir)
    try {
      expect(h.log.recovery.truncatedBytes).toBeGreaterThan(0)
      expect(h.log.logEndOffset).toBe(9)
      expect(h.log.append(batchOf(['again'])).baseOffset).toBe(9)
      await h.log.flush()
      expect((await readAll(h.log)).map(([o, v]) => `${o}:${v}`).slice(-2)).toEqual([
        '8:v8',
        '9:again',
      ])
    } finally {
      await h.close()
    }
  })

  it('cuts garbage after the last batch and continues exactly where it was', async () => {
    const { dir, active } = await tenBatches()
    const { size } = await stat(active)
    await appendFile(active, Buffer.alloc(37, 0xab))
    const h = await openLog(dir)
    expect(h.log.recovery.truncatedBytes).toBe(37)
    expect(h.log.logEndOffset).toBe(10)
    const appended = batchOf(['v10'])
    expect(h.log.append(appended).baseOffset).toBe(10)
    await h.close()
    expect((await stat(active)).size).toBe(size + appended.length)
    const again = await openLog(dir)
    expect(again.log.recovery.truncatedBytes).toBe(0)
    expect((await readAll(again.log)).map(([, v]) => v)).toEqual(
      [...Array(11).keys()].map((i) => `v${i}`),
    )
    await again.close()
  })

  it('reads a flipped byte in a closed segment as CORRUPT_MESSAGE, never as data', async () => {
    const { dir, part, segments } = await tenBatches()
    const second = segments[1]!
    const file = join(part, `${String(second).padStart(20, '0')}.log`)
    const bytes = await readFile(file)
    bytes[bytes.length - 3]! ^= 0x10
    await writeFile(file, bytes)
    const h = await openLog(dir)
    try {
      expect(h.log.recovery.truncatedBytes).toBe(0)
      expect(await codeOf(() => h.log.read(second))).toBe('CORRUPT_MESSAGE')
      expect((await h.log.read(0, { maxBytes: 1 })).firstOffset).toBe(0)
      expect((await h.log.read(segments[2]!)).firstOffset).toBe(segments[2])
    } finally {
      await h.close()
    }
  })

  it('reopens a data directory exactly where it was: offsets, segments, log start offset', async () => {
    const path = await newDir()
    const clock = new VirtualClock()
    const open = async (dd: Awaited<ReturnType<typeof openDataDir>>) => {
      const { logStartOffset } = await dd.checkpoints.read(TP)
      const store = await dd.logs.openPartition(TP)
      return PartitionLog.open({ topicPartition: TP, store, clock, config: CONFIG, logStartOffset })
    }
    const dd = await openDataDir(path)
    const log = await open(dd)
    for (let i = 0; i < 12; i++) log.append(batchOf([`v${i}`]))
    await log.deleteRecordsBefore(4)
    await dd.checkpoints.write([{ topicPartition: TP, logStartOffset: log.logStartOffset }])
    const before = {
      start: log.logStartOffset,
      end: log.logEndOffset,
      segments: log.segmentBaseOffsets,
      size: log.sizeBytes,
    }
    await log.close()
    await dd.close()

    const dd2 = await openDataDir(path)
    const log2 = await open(dd2)
    try {
      expect({
        start: log2.logStartOffset,
        end: log2.logEndOffset,
        segments: log2.segmentBaseOffsets,
        size: log2.sizeBytes,
      }).toEqual(before)
      expect(log2.recovery.truncatedBytes).toBe(0)
      expect((await readAll(log2))[0]).toEqual([4, 'v4'])
      expect(log2.append(batchOf(['next'])).baseOffset).toBe(12)
    } finally {
      await log2.close()
      await dd2.close()
    }
  })
})

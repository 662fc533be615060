import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'

const TP = { topic: 't', partition: 0 }

describe('MemoryLogStore memory and views', () => {
  it('keeps at most 16 bytes per record beyond key and value (batches of 100)', async () => {
    const store = await new MemoryLogStore().openPartition(TP)
    const log = await PartitionLog.open({ topicPartition: TP, store, clock: new VirtualClock() })
    const batches = 300
    let keyValueBytes = 0
    for (let b = 0; b < batches; b++) {
      const records = Array.from({ length: 100 }, (_, i) => ({
        key: `key-${String(b * 100 + i).padStart(6, '0')}`,
        value: `value-${b}-${i}`.padEnd(24, '.'),
        timestamp: 1_700_000_000_000 + b,
      }))
      for (const r of records) keyValueBytes += r.key.length + r.value.length
      log.append(encodeRecordBatch({ records }))
    }
    const records = batches * 100
    const indexes = await store.readIndexes(0)
    const indexBytes = indexes.offsets.length * (8 + 16) + indexes.times.length * (12 + 16)
    const perRecord = (store.reservedBytes - keyValueBytes + indexBytes) / records
    expect(store.reservedBytes - log.sizeBytes).toBeLessThan(1024 * 1024)
    expect((log.sizeBytes - keyValueBytes + indexBytes) / records).toBeLessThanOrEqual(16)
    // Page slack included, on a log this size (~1.4 MB) still within bounds.
    expect(perRecord).toBeLessThanOrEqual(16 + (1024 * 1024) / records)
  })

  it('never rewrites bytes handed out by a read, even after truncate and new appends', async () => {
    const p = await new MemoryLogStore().openPartition(TP)
    p.roll(0)
    p.append(Buffer.alloc(100, 1))
    p.append(Buffer.alloc(100, 2))
    const view = await p.read(0, 100, 100)
    await p.truncate(0, 100, 1)
    p.append(Buffer.alloc(100, 3))
    expect([...view].every((b) => b === 2)).toBe(true)
    expect([...(await p.read(0, 100, 100))].every((b) => b === 3)).toBe(true)
    expect(p.segments()).toEqual([{ baseOffset: 0, sizeBytes: 200 }])
  })

  it('reads across pages and copies on append', async () => {
    const p = await new MemoryLogStore().openPartition(TP)
    p.roll(0)
    const chunk = Buffer.alloc(10_000)
    for (let i = 0; i < 5; i++) {
      chunk.fill(i)
      p.append(chunk)
    }
    const all = await p.read(0, 0, 50_000)
    expect(all.length).toBe(50_000)
    for (let i = 0; i < 5; i++) expect(all[i * 10_000 + 9_999]).toBe(i)
    expect(Buffer.from(await p.read(0, 19_995, 10)).toString('hex')).toBe('01010101010202020202')
  })

  it('keeps data across a partition close and reopen, not across the store', async () => {
    const s = new MemoryLogStore()
    const p = await s.openPartition(TP)
    p.roll(5)
    p.append(Buffer.from('abc'))
    await p.close()
    const again = await s.openPartition(TP)
    expect(again.segments()).toEqual([{ baseOffset: 5, sizeBytes: 3 }])
    expect(await s.listPartitions()).toEqual([TP])
    await s.deletePartition(TP)
    expect(await s.listPartitions()).toEqual([])
  })
})

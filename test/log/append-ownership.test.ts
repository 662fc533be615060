import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { BATCH, readInt64, splitBatches } from '../../src/log/batch-header.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import type { PartitionStore } from '../../src/storage/log-store.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'
import { openLog, TP } from './helpers.js'

/** A batch of `n` records of `valueBytes` each, in a buffer of its own (≥ 4 KiB when large). */
function batch(n: number, valueBytes: number, tag = 'v'): Buffer {
  const value = tag.repeat(valueBytes).slice(0, valueBytes)
  return encodeRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value, timestamp: 1_000 + i })),
  })
}

function offsetsOf(bytes: Uint8Array): number[] {
  return splitBatches(bytes).map((b) => readInt64(b, BATCH.BASE_OFFSET))
}

describe('PartitionLog append: ownership of the batch', () => {
  it('keeps a large handed-over batch as it is (zero-copy) and copies a small one', async () => {
    const h = await openLog()
    const large = batch(10, 1000)
    expect(large.byteOffset === 0 && large.byteLength === large.buffer.byteLength).toBe(true)
    const small = batch(1, 10)
    h.log.append(large)
    h.log.append(small)
    const first = await h.log.read(0, { maxBytes: 1 })
    expect(first.bytes.buffer).toBe(large.buffer)
    const second = await h.log.read(10, { maxBytes: 1 })
    expect(second.bytes.buffer).not.toBe(small.buffer)
    expect(offsetsOf(second.bytes)).toEqual([10])
  })

  it('copies a batch appended twice instead of patching the stored one', async () => {
    const h = await openLog()
    const large = batch(10, 1000)
    h.log.append(large)
    h.log.append(large)
    h.log.append(large)
    const all = await h.log.read(0)
    expect(offsetsOf(all.bytes)).toEqual([0, 10, 20])
    for (const b of splitBatches(all.bytes)) {
      expect(decodeRecordBatch(b).records.map((r) => r.value?.length)).toEqual(Array(10).fill(1000))
    }
  })

  it('copies the bytes of a read when they are appended again, here or to another log', async () => {
    const h = await openLog()
    const other = await openLog()
    h.log.append(batch(10, 1000))
    h.log.append(batch(3, 5))
    for (const from of [0, 10]) {
      const read = await h.log.read(from, { maxBytes: 1 })
      const [one] = splitBatches(read.bytes)
      h.log.append(one!)
      other.log.append(one!)
    }
    expect(offsetsOf((await h.log.read(0)).bytes)).toEqual([0, 10, 13, 23])
    expect(offsetsOf((await other.log.read(0)).bytes)).toEqual([0, 10])
  })

  it('keeps copying with copyOnAppend: true and never copies with false', async () => {
    for (const copyOnAppend of [true, false]) {
      const store = await new MemoryLogStore({ copyOnAppend }).openPartition(TP)
      const log = await PartitionLog.open({ topicPartition: TP, store, clock: new VirtualClock() })
      const large = batch(10, 1000)
      const small = batch(1, 10)
      log.append(large)
      log.append(small)
      const kept = [(await log.read(0, { maxBytes: 1 })).bytes, (await log.read(10)).bytes]
      expect(kept[0]!.buffer === large.buffer).toBe(!copyOnAppend)
      expect(kept[1]!.buffer === small.buffer).toBe(!copyOnAppend)
    }
  })

  it('the store copies bytes appended without handOver', async () => {
    const p = await new MemoryLogStore().openPartition(TP)
    p.roll(0)
    const bytes = Buffer.alloc(8192, 1)
    p.append(bytes)
    bytes.fill(2)
    expect([...(await p.read(0, 0, 8192))].every((b) => b === 1)).toBe(true)
  })
})

describe('PartitionLog append: verifyCrc per batch', () => {
  function corrupted(): Buffer {
    const b = batch(2, 50)
    b[b.length - 1] = (b[b.length - 1] as number) ^ 1
    return b
  }

  it('checks by default, skips with verifyCrc: false, forces with true', async () => {
    const h = await openLog()
    expect(() => h.log.append(corrupted())).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    )
    expect(h.log.append(corrupted(), { verifyCrc: false }).baseOffset).toBe(0)
    const lax = await openLog({}, { verifyCrc: false })
    expect(lax.log.append(corrupted()).baseOffset).toBe(0)
    expect(() => lax.log.append(corrupted(), { verifyCrc: true })).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    )
  })
})

describe('PartitionLog read from memory', () => {
  it('never calls the store’s asynchronous read when the bytes are in memory', async () => {
    const h = await openLog({ 'index.interval.bytes': 512 })
    for (let i = 0; i < 200; i++) h.log.append(batch(1 + (i % 5), 40 + (i % 7) * 30))
    let asyncReads = 0
    const read = h.store.read.bind(h.store)
    h.store.read = (...args) => {
      asyncReads++
      return read(...args)
    }
    let offset = 0
    while (offset < h.log.logEndOffset)
      offset = (await h.log.read(offset, { maxBytes: 300 })).nextOffset
    expect(asyncReads).toBe(0)
  })

  it('returns what the asynchronous path returns, across pages and segments', async () => {
    const h = await openLog({ 'segment.bytes': 40_000, 'index.interval.bytes': 1000 })
    for (let i = 0; i < 300; i++) h.log.append(batch(1 + (i % 4), 20 + ((i * 37) % 400)))
    h.log.append(batch(20, 1000))
    const end = h.log.logEndOffset
    // Shadowing spanAt with undefined sends the same log down the asynchronous path.
    const store = h.store as { spanAt?: PartitionStore['spanAt'] }
    const slowRead = async (from: number, options: { maxBytes: number; maxOffset?: number }) => {
      store.spanAt = undefined
      try {
        return await h.log.read(from, options)
      } finally {
        delete store.spanAt
      }
    }
    await fc.assert(
      fc.asyncProperty(
        fc.nat(end),
        fc.integer({ min: 1, max: 30_000 }),
        fc.option(fc.nat(end)),
        async (from, maxBytes, maxOffset) => {
          const options = { maxBytes, ...(maxOffset === null ? {} : { maxOffset }) }
          const fast = await h.log.read(from, options)
          const slowResult = await slowRead(from, options)
          expect(fast.firstOffset).toBe(slowResult.firstOffset)
          expect(fast.nextOffset).toBe(slowResult.nextOffset)
          expect(Buffer.compare(fast.bytes, slowResult.bytes)).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })
})

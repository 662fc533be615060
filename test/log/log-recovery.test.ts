/**
 * Recovery after an unclean shutdown, simulated by changing the memory store's bytes behind
 * the log's back: a torn tail, garbage after the last batch, a flipped bit in the active
 * segment (recovered by truncation) and in a closed one (found on read, never served).
 */
import { describe, expect, it } from 'vitest'
import { batchOf, code, openLog, readAll } from './helpers.js'

async function tenBatches(config = {}) {
  const h = await openLog({ 'index.interval.bytes': 0, ...config })
  const positions: number[] = []
  for (let i = 0; i < 10; i++) {
    positions.push(h.log.sizeBytes)
    h.log.append(batchOf([`v${i}`, `w${i}`]))
  }
  return { h, positions }
}

describe('recovery of the active segment', () => {
  it('cuts a torn last batch', async () => {
    const { h, positions } = await tenBatches()
    const size = h.log.sizeBytes
    await h.log.close()
    h.store.tamper.cut(0, size - 5)
    const log = await h.reopen()
    expect(log.recovery).toEqual({
      truncatedBytes: size - 5 - positions[9]!,
      recoveredBatches: 9,
      clean: false,
    })
    expect(log.logEndOffset).toBe(18)
    expect((await readAll(log)).length).toBe(18)
    expect(log.append(batchOf(['again'])).baseOffset).toBe(18)
    expect((await readAll(log)).at(-1)).toEqual([18, 'again'])
  })

  it('cuts garbage after the last batch', async () => {
    const { h } = await tenBatches()
    const size = h.log.sizeBytes
    await h.log.close()
    h.store.tamper.appendRaw(0, Buffer.alloc(100, 0xab))
    const log = await h.reopen()
    expect(log.recovery.truncatedBytes).toBe(100)
    expect(log.sizeBytes).toBe(size)
    expect(log.logEndOffset).toBe(20)
  })

  it('cuts from the first batch whose CRC fails, and rebuilds the indexes', async () => {
    const { h, positions } = await tenBatches()
    await h.log.close()
    h.store.tamper.flipBit(0, positions[4]! + 40, 3)
    const log = await h.reopen()
    expect(log.logEndOffset).toBe(8)
    expect(log.recovery.recoveredBatches).toBe(4)
    const indexes = await h.store.readIndexes(0)
    expect(indexes.offsets.every((e) => e.position < positions[4]! && e.offset < 8)).toBe(true)
    expect(indexes.offsets.length).toBe(3)
    expect((await readAll(log)).map(([, v]) => v)).toEqual([
      'v0',
      'w0',
      'v1',
      'w1',
      'v2',
      'w2',
      'v3',
      'w3',
    ])
  })

  it('cuts everything when the first batch is bad', async () => {
    const { h } = await tenBatches()
    await h.log.close()
    h.store.tamper.flipBit(0, 16) // magic byte
    const log = await h.reopen()
    expect(log.logEndOffset).toBe(0)
    expect(log.sizeBytes).toBe(0)
    expect(log.append(batchOf(['a'])).baseOffset).toBe(0)
  })
})

describe('corruption in a closed segment', () => {
  it('is a CORRUPT_MESSAGE error on read, never data; other segments still read', async () => {
    const h = await openLog({ 'segment.bytes': 200 })
    for (let i = 0; i < 9; i++) h.log.append(batchOf([`v${i}`]))
    const [, second, third] = h.log.segmentBaseOffsets
    await h.log.close()
    h.store.tamper.flipBit(second!, 70)
    const log = await h.reopen()
    expect(log.recovery.truncatedBytes).toBe(0)
    await expect(log.read(second!)).rejects.toThrow(code('CORRUPT_MESSAGE'))
    expect((await log.read(0, { maxBytes: 1 })).firstOffset).toBe(0)
    expect((await log.read(third!)).firstOffset).toBe(third)
  })
})

import { describe, expect, it } from 'vitest'
import { batchOf, code, openLog, readAll, recordsIn } from './helpers.js'

describe('PartitionLog basics', () => {
  it('appends, assigns offsets and reads back', async () => {
    const { log } = await openLog()
    const a = log.append(batchOf(['a', 'b', 'c']))
    const b = log.append(batchOf(['d']))
    expect([a.baseOffset, a.lastOffset, b.baseOffset, b.lastOffset]).toEqual([0, 2, 3, 3])
    expect(log.logEndOffset).toBe(4)
    expect(log.highWatermark).toBe(4)
    expect(await readAll(log)).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ])
    const mid = await log.read(1)
    expect(mid.firstOffset).toBe(0)
    expect(recordsIn(mid.bytes).map(([o]) => o)).toEqual([0, 1, 2, 3])
    expect((await log.read(4)).bytes.length).toBe(0)
    await expect(log.read(5)).rejects.toThrow(code('OFFSET_OUT_OF_RANGE'))
  })
})

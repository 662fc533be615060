import { describe, expect, it } from 'vitest'
import { LeaderEpochCache } from '../../../src/broker/replica/leader-epoch-cache.js'

describe('LeaderEpochCache', () => {
  it('assigns ascending entries and ignores a repeat of the latest epoch', () => {
    const c = new LeaderEpochCache()
    c.assign(0, 0)
    c.assign(0, 5)
    c.assign(2, 10)
    expect(c.entries()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 10 },
    ])
    expect(c.latestEpoch).toBe(2)
  })

  it('drops later entries when an epoch is assigned at an earlier offset', () => {
    const c = new LeaderEpochCache([
      { epoch: 0, startOffset: 0 },
      { epoch: 1, startOffset: 10 },
      { epoch: 2, startOffset: 20 },
    ])
    c.assign(3, 15)
    expect(c.entries()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 1, startOffset: 10 },
      { epoch: 3, startOffset: 15 },
    ])
  })

  it('answers endOffsetFor as Kafka does', () => {
    const c = new LeaderEpochCache([
      { epoch: 1, startOffset: 5 },
      { epoch: 3, startOffset: 10 },
      { epoch: 4, startOffset: 20 },
    ])
    expect(c.endOffsetFor(4, 30)).toEqual({ epoch: 4, endOffset: 30 })
    expect(c.endOffsetFor(3, 30)).toEqual({ epoch: 3, endOffset: 20 })
    expect(c.endOffsetFor(2, 30)).toEqual({ epoch: 1, endOffset: 10 })
    expect(c.endOffsetFor(0, 30)).toEqual({ epoch: 0, endOffset: 5 })
    expect(c.endOffsetFor(5, 30)).toEqual({ epoch: -1, endOffset: -1 })
    expect(c.endOffsetFor(-1, 30)).toEqual({ epoch: -1, endOffset: -1 })
    expect(new LeaderEpochCache().endOffsetFor(0, 3)).toEqual({ epoch: -1, endOffset: -1 })
  })

  it('truncates from the end and from the start', () => {
    const c = new LeaderEpochCache([
      { epoch: 1, startOffset: 5 },
      { epoch: 3, startOffset: 10 },
      { epoch: 4, startOffset: 20 },
    ])
    c.truncateFromEnd(20)
    expect(c.latestEpoch).toBe(3)
    c.truncateFromStart(12)
    expect(c.entries()).toEqual([{ epoch: 3, startOffset: 12 }])
    expect(c.epochForOffset(11)).toBe(-1)
    expect(c.epochForOffset(12)).toBe(3)
  })
})

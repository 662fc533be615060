import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { KeyedTimers } from '../../src/common/keyed-timers.js'

describe('KeyedTimers', () => {
  it('keeps one timer per key: a new one replaces it, clear cancels it, keys are apart', async () => {
    const clock = new VirtualClock(0)
    const timers = new KeyedTimers<string>(clock)
    const fired: string[] = []
    timers.set('a', 100, () => fired.push(`a1@${clock.now()}`))
    timers.set('a', 300, () => fired.push(`a2@${clock.now()}`))
    timers.set('b', 200, () => fired.push(`b@${clock.now()}`))
    timers.set('c', 50, () => fired.push('c'))
    timers.clear('c')
    timers.clear('none')
    await clock.advance(1000)
    expect(fired).toEqual(['b@200', 'a2@300'])
    expect(clock.pendingTimers).toBe(0)
  })

  it('clearAll cancels every timer', async () => {
    const clock = new VirtualClock(0)
    const timers = new KeyedTimers<number>(clock)
    let fired = 0
    for (let i = 0; i < 5; i++) timers.set(i, 10 * i, () => fired++)
    timers.clearAll()
    await clock.advance(1000)
    expect(fired).toBe(0)
    expect(clock.pendingTimers).toBe(0)
  })
})

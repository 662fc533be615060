import { describe, expect, it, vi } from 'vitest'
import { createClock, RealClock, VirtualClock } from '../../src/common/clock.js'

describe('VirtualClock', () => {
  it('fires due timers in deadline order, each at its own time', async () => {
    const clock = new VirtualClock(1000)
    const fired: [string, number][] = []
    clock.setTimeout(() => fired.push(['b', clock.now()]), 20)
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10)
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 10)
    clock.setTimeout(() => fired.push(['late', clock.now()]), 100)
    await clock.advance(50)
    expect(fired).toEqual([
      ['a', 1010],
      ['a2', 1010],
      ['b', 1020],
    ])
    expect(clock.now()).toBe(1050)
    expect(clock.pendingTimers).toBe(1)
  })

  it('fires timers set by timers when they fall due within the advance', async () => {
    const clock = new VirtualClock(0)
    const ticks: number[] = []
    const tick = () => {
      ticks.push(clock.now())
      clock.setTimeout(tick, 30)
    }
    clock.setTimeout(tick, 30)
    await clock.advance(100)
    expect(ticks).toEqual([30, 60, 90])
  })

  it('awaits the work a timer starts, also work that waits on a later timer', async () => {
    const clock = new VirtualClock(0)
    const log: string[] = []
    clock.setTimeout(async () => {
      log.push('start')
      await Promise.resolve()
      await clock.sleep(10)
      log.push(`end@${clock.now()}`)
    }, 5)
    await clock.advance(20)
    expect(log).toEqual(['start', 'end@15'])
  })

  it('cancels timers and aborts sleeps', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    const t = clock.setTimeout(() => {
      fired = true
    }, 5)
    clock.clearTimeout(t)
    clock.clearTimeout(t)
    const ac = new AbortController()
    const sleeping = clock.sleep(100, ac.signal)
    ac.abort(new Error('stop'))
    await expect(sleeping).rejects.toThrow('stop')
    await clock.advance(200)
    expect(fired).toBe(false)
    expect(clock.pendingTimers).toBe(0)
  })

  it('reports errors thrown by timers after finishing the advance', async () => {
    const clock = new VirtualClock(0)
    let after = false
    clock.setTimeout(() => {
      throw new Error('boom')
    }, 1)
    clock.setTimeout(() => {
      after = true
    }, 2)
    await expect(clock.advance(5)).rejects.toThrow('boom')
    expect(after).toBe(true)
    expect(clock.now()).toBe(5)
  })

  it('runAll stops a timer that reschedules itself forever', async () => {
    const clock = new VirtualClock(0)
    const loop = () => clock.setTimeout(loop, 1)
    loop()
    await expect(clock.runAll(50)).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/more than 50/),
    })
  })

  it('jump moves wall time without firing timers', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    clock.setTimeout(() => {
      fired = true
    }, 10)
    clock.jump(1000)
    expect(clock.now()).toBe(1000)
    expect(fired).toBe(false)
  })
})

describe('VirtualClock overlapping advances', () => {
  it('never moves time backwards when a shorter advance ends after a longer one', async () => {
    const clock = new VirtualClock(0)
    const seen: number[] = []
    // The timer's work looks at the clock a few turns later, while the shorter advance ends.
    clock.setTimeout(async () => {
      for (let turn = 0; turn < 5; turn++) {
        seen.push(clock.now())
        await new Promise((resolve) => setImmediate(resolve))
      }
    }, 3000)
    const long = clock.advance(5000)
    const short = clock.advance(1000)
    await Promise.all([long, short])
    expect(Math.min(...seen)).toBe(3000)
    expect(clock.now()).toBe(5000)
  })
})

describe('RealClock', () => {
  it('sleeps for real and can be aborted', async () => {
    const clock = createClock('real')
    expect(clock).toBeInstanceOf(RealClock)
    const before = clock.now()
    await clock.sleep(5)
    expect(clock.now()).toBeGreaterThanOrEqual(before)
    const ac = new AbortController()
    ac.abort(new Error('no'))
    await expect(clock.sleep(10_000, ac.signal)).rejects.toThrow('no')
    const t = clock.setTimeout(() => {
      throw new Error('must not fire')
    }, 1)
    clock.clearTimeout(t)
    await clock.sleep(5)
  })

  it('waits out delays longer than Node allows (Node fires those at once)', async () => {
    vi.useFakeTimers()
    try {
      const clock = new RealClock()
      const fired: string[] = []
      const long = 2 ** 31 + 1000
      clock.setTimeout(() => fired.push('long'), long)
      const never = clock.setTimeout(() => fired.push('never'), Number.POSITIVE_INFINITY)
      const cleared = clock.setTimeout(() => fired.push('cleared'), long)
      vi.advanceTimersByTime(2 ** 31)
      clock.clearTimeout(cleared)
      expect(fired).toEqual([])
      vi.advanceTimersByTime(999)
      expect(fired).toEqual([])
      vi.advanceTimersByTime(1)
      expect(fired).toEqual(['long'])
      vi.advanceTimersByTime(10 * 2 ** 31)
      expect(fired).toEqual(['long'])
      clock.clearTimeout(never)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('VirtualClock.runUntil', () => {
  it('lets time pass only as far as the promise needs', async () => {
    const clock = new VirtualClock(0)
    clock.setTimeout(() => undefined, 60_000)
    const value = await clock.runUntil(
      clock
        .sleep(1500)
        .then(() => clock.sleep(500))
        .then(() => 'done'),
    )
    expect(value).toBe('done')
    expect(clock.now()).toBe(2000)
    expect(clock.pendingTimers).toBe(1)
  })

  it('settles a promise that needs no time without moving the clock', async () => {
    const clock = new VirtualClock(0)
    expect(await clock.runUntil(Promise.resolve(7))).toBe(7)
    expect(clock.now()).toBe(0)
  })

  it('passes a rejection on', async () => {
    const clock = new VirtualClock(0)
    const failing = clock.sleep(10).then(() => {
      throw new Error('boom')
    })
    await expect(clock.runUntil(failing)).rejects.toThrow('boom')
  })

  it('fails with TIMEOUT when no timer could settle the promise, or too much time would pass', async () => {
    const clock = new VirtualClock(0)
    const never = new Promise<void>(() => undefined)
    await expect(clock.runUntil(never)).rejects.toMatchObject({ code: 'TIMEOUT' })
    clock.setTimeout(() => undefined, 5000)
    await expect(clock.runUntil(never, 1000)).rejects.toMatchObject({ code: 'TIMEOUT' })
    expect(clock.now()).toBe(0)
  })
})

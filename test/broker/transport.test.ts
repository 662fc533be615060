/** The in-process transport's faults: what a slow link holds ends with the broker it goes to. */
import { describe, expect, it } from 'vitest'
import type { RequestHandler } from '../../src/broker/api.js'
import { InProcessTransport } from '../../src/broker/transport.js'
import { VirtualClock } from '../../src/common/clock.js'
import type { LogkeeperError } from '../../src/common/errors.js'

const echo: RequestHandler = {
  handle: () => Promise.resolve({} as never),
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (err) {
    return (err as LogkeeperError).code
  }
}

describe('InProcessTransport slow links', () => {
  it('delays both ways on the clock', async () => {
    const clock = new VirtualClock()
    const t = new InProcessTransport(clock)
    t.register(1, echo)
    t.slow(1, 50)
    let done = false
    const sent = t
      .send('c', 1, 'Metadata', { topics: null, allowAutoTopicCreation: false })
      .then(() => (done = true))
    await clock.advance(99)
    expect(done).toBe(false)
    await clock.advance(1)
    await sent
    expect(done).toBe(true)
    expect(clock.pendingTimers).toBe(0)
  })

  // A message held by a slow link to a broker that then stopped kept its timer after the
  // cluster closed (seed 28 of test/sim/cluster-replication.sim.test.ts).
  it('fails a held message at once when its broker goes away, leaving no timer', async () => {
    const clock = new VirtualClock()
    const t = new InProcessTransport(clock)
    t.register(1, echo)
    t.slow(1, 3000)
    const before = t.send('c', 1, 'Metadata', { topics: null, allowAutoTopicCreation: false })
    await clock.advance(10)
    t.unregister(1)
    expect(clock.pendingTimers).toBe(0)
    expect(await codeOf(before)).toBe('NETWORK_EXCEPTION')
  })

  it('fails a message held on its way back when its broker goes away', async () => {
    const clock = new VirtualClock()
    const t = new InProcessTransport(clock)
    t.register(1, echo)
    t.slow(1, 3000)
    const sent = t.send('c', 1, 'Metadata', { topics: null, allowAutoTopicCreation: false })
    await clock.advance(3001)
    expect(clock.pendingTimers).toBe(1)
    t.unregister(1)
    expect(clock.pendingTimers).toBe(0)
    expect(await codeOf(sent)).toBe('NETWORK_EXCEPTION')
  })
})

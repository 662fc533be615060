/**
 * Chapter 4: a lock passed between two clients. Each contender creates an ephemeral
 * sequential node under the lock; the lowest holds it and each other watches only the node
 * before its own. The grant's fencing token (the czxid of its node) only grows, so a store can
 * refuse a stale holder. A holder that dies hands the lock on when its session expires.
 */

import type { InProcessClient } from '../../coordination/client.js'
import { createLock } from '../../coordination/recipes/lock.js'
import { seconds } from './narrator.js'
import type { Scenario } from './tour.js'

const LOCK = '/locks/invoices'
const SESSION_TIMEOUT_MS = 6_000

/** The lock's contender nodes, in sequence order, each with whose it is. */
async function queue(client: InProcessClient): Promise<string[]> {
  const names = await client.getChildren(LOCK)
  const bySequence = names.map((name) => ({ name, sequence: name.slice(-10) }))
  bySequence.sort((a, b) => a.sequence.localeCompare(b.sequence))
  return Promise.all(
    bySequence.map(async ({ name, sequence }, i) => {
      const { data } = await client.getData(`${LOCK}/${name}`)
      const role = i === 0 ? 'holds the lock' : 'watches the node before its own'
      return `...-lock-${sequence}  ${data?.toString('utf8')}, ${role}`
    }),
  )
}

/** The lock chapter. */
export const lockScenario: Scenario = {
  title: 'A lock passed between two clients',
  async run({ cluster, say }) {
    const clock = cluster.clock
    const connect = () =>
      cluster.coordinator.connect({ sessionTimeoutMs: SESSION_TIMEOUT_MS }) as InProcessClient
    const [alice, bob] = [connect(), connect()]
    const lockOf = (client: InProcessClient, who: string) =>
      createLock(client, LOCK, { clock, data: who, random: cluster.random.fork(`demo-${who}`) })
    const aliceLock = lockOf(alice, 'alice')
    const bobLock = lockOf(bob, 'bob')
    try {
      const aliceHolds = await aliceLock.acquire()
      say.line(`alice takes ${LOCK}: fencing token ${aliceHolds.fencingToken}`)
      // bob's node shows up under the lock: a child watch tells when.
      const bobQueued = new Promise((resolve) => void alice.getChildren(LOCK, { watch: resolve }))
      const bobWaits = bobLock.acquire()
      await clock.runUntil(bobQueued)
      say.line('bob asks for it and waits. The queue, lowest sequence first:')
      for (const line of await queue(alice)) say.fact(line)
      await aliceHolds.release()
      const bobHolds = await clock.runUntil(bobWaits)
      say.line(`alice releases it; bob, watching alice's node, takes it at once:`)
      say.fact(`bob holds ${LOCK}: fencing token ${bobHolds.fencingToken}`)

      const aliceAgain = aliceLock.acquire()
      say.line(`alice queues again. bob's process hangs: its heartbeats stop.`)
      const hung = clock.now()
      bob.pauseHeartbeats()
      const aliceHoldsAgain = await clock.runUntil(aliceAgain)
      say.fact(`after ${seconds(clock.now() - hung)} bob's session expired, and its node with it`)
      say.fact(`alice holds ${LOCK}: fencing token ${aliceHoldsAgain.fencingToken}`)
      say.line(`bob's lock is held: ${bobHolds.held} (it knew at once, from its own session).`)
      await aliceHoldsAgain.release()
    } finally {
      await Promise.all([aliceLock.close(), bobLock.close()])
      await Promise.all([alice.close(), bob.close()])
    }
  },
}

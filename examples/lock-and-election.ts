/**
 * Coordination recipes on the in-process coordinator, under a virtual clock:
 *
 * 1. Two workers take turns on one lock; each grant carries a fencing token (the czxid of the
 *    grant's node) that only grows, so a storage layer can refuse a stale holder's writes.
 * 2. Three nodes run a leader election. The leader's process hangs, its session expires after
 *    its timeout, and the next node in line becomes leader: never two at once.
 *
 * Run it: `npx tsx examples/lock-and-election.ts`.
 */
import { createCoordinator, createLock, LeaderElection, VirtualClock } from 'logkeeper'

const clock = new VirtualClock()
const coordinator = await createCoordinator({ clock })
const say = (line: string) => console.log(`[+${clock.now() - start} ms] ${line}`)
const start = clock.now()

// 1. A lock with two contenders.
const clients = [coordinator.connect(), coordinator.connect()]
await clients[0]!.create('/locks', '')
const locks = clients.map((client) => createLock(client, '/locks/orders', { clock }))
const work = locks.map(async (lock, worker) => {
  for (let round = 0; round < 2; round++) {
    const held = await lock.acquire({ timeoutMs: 5_000 })
    say(`worker ${worker} holds the lock, fencing token ${held.fencingToken}`)
    await held.release()
  }
})
await Promise.all(work)

// 2. A leader election among three nodes, each on its own session.
const sessions = ['node-1', 'node-2', 'node-3'].map(() =>
  coordinator.connect({ sessionTimeoutMs: 6_000 }),
)
await sessions[0]!.create('/election', '')
const elections = sessions.map(
  (client, i) =>
    new LeaderElection(client, '/election/master', {
      id: `node-${i + 1}`,
      data: `host-${i + 1}:8888`,
      clock,
    }),
)
for (const election of elections) {
  election.on('elected', () => say(`${election.id} is the leader`))
  election.on('revoked', () => say(`${election.id} lost leadership`))
  await election.start()
}
await elections[0]!.waitForLeadership({ timeoutMs: 1_000 })
say(
  `leaders now: ${elections
    .filter((e) => e.isLeader)
    .map((e) => e.id)
    .join(', ')}`,
)

say('node-1 hangs: its heartbeats stop')
sessions[0]!.pauseHeartbeats()
await clock.advance(10_000)
say(
  `leaders now: ${elections
    .filter((e) => e.isLeader)
    .map((e) => e.id)
    .join(', ')}`,
)

for (const election of elections) await election.close()
for (const client of [...clients, ...sessions]) await client.close()
await coordinator.close()

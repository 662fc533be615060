/**
 * The master-worker example of "ZooKeeper: Distributed Process Coordination", on the
 * in-process coordinator under a virtual clock:
 *
 * 1. Three candidates run for master through the ephemeral `/master`; one wins.
 * 2. Four workers register ephemeral `/workers/<id>`; the master sees each change.
 * 3. A worker dies (its session expires): the master's view drops it.
 * 4. The master hangs (its heartbeats stop): once its session times out, `/master` goes with
 *    it and another candidate takes over, reading the same workers.
 *
 * Run it: `npx tsx examples/master-worker.ts`.
 */
import { createCoordinator, type InProcessClient, MasterWorker, VirtualClock } from 'logkeeper'

const clock = new VirtualClock()
const coordinator = await createCoordinator({ clock })
const start = clock.now()
const say = (line: string) => console.log(`[+${clock.now() - start} ms] ${line}`)
const connect = () => coordinator.connect({ sessionTimeoutMs: 6_000 }) as InProcessClient

// 1. Three candidates, each on its own session.
const sessions = [connect(), connect(), connect()]
const candidates = sessions.map(
  (client, i) =>
    new MasterWorker(client, { id: `master-${i + 1}`, address: `m${i + 1}:2181`, clock }),
)
for (const candidate of candidates) {
  candidate.on('elected', () => say(`${candidate.id} is master`))
  candidate.on('revoked', ({ reason }) => say(`${candidate.id} is no longer master (${reason})`))
  candidate.on('workers-changed', ({ workers }) =>
    say(
      `${candidate.id} sees workers: ${workers.map((w) => `${w.id}@${w.address}`).join(', ') || '(none)'}`,
    ),
  )
  await candidate.runForMaster()
}
say(`master is ${(await candidates[2]!.master())?.id}`)

// 2. Four workers.
const workerSessions = [connect(), connect(), connect(), connect()]
const workers = workerSessions.map(
  (client, i) =>
    new MasterWorker(client, { id: `worker-${i + 1}`, address: `w${i + 1}:9000`, clock }),
)
for (const worker of workers) await worker.registerWorker()
await clock.advance(100)

// 3. worker-2 dies.
say('worker-2 dies')
await coordinator.expireSession(workerSessions[1]!.sessionId)
await clock.advance(100)

// 4. The master hangs.
const master = candidates.find((c) => c.isMaster)!
say(`${master.id} hangs: its heartbeats stop`)
sessions[candidates.indexOf(master)]!.pauseHeartbeats()
await clock.advance(6_000)
const next = candidates.find((c) => c.isMaster)
say(
  `new master ${next?.id} has workers: ${next
    ?.workers()
    .map((w) => w.id)
    .join(', ')}`,
)

say('shutting down')
for (const node of candidates) node.removeAllListeners()
for (const node of [...candidates, ...workers]) await node.close()
for (const client of [...sessions, ...workerSessions]) await client.close()
await coordinator.close()

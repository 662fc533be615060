/**
 * Chapter 5: master-worker ("ZooKeeper: Distributed Process Coordination"). Candidates run for
 * master through the ephemeral `/master`; workers register under `/workers`; the master
 * watches them. The master hangs, its session expires, `/master` goes, and a waiting
 * candidate takes over with the same view of the workers.
 */
import type { InProcessClient } from '../../coordination/client.js'
import { MasterWorker } from '../../coordination/recipes/master-worker.js'
import { seconds } from './narrator.js'
import type { Scenario, Tour } from './tour.js'

const ROOT = '/app'
const SESSION_TIMEOUT_MS = 6_000
const CANDIDATES = ['m1', 'm2', 'm3']
const WORKERS = ['w1', 'w2']

interface Node {
  readonly node: MasterWorker
  readonly client: InProcessClient
}

function start(tour: Tour, id: string, n: number): Node {
  const client = tour.cluster.coordinator.connect({
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
  }) as InProcessClient
  const node = new MasterWorker(client, {
    id,
    address: `host-${n}:9000`,
    root: ROOT,
    clock: tour.cluster.clock,
    random: tour.cluster.random.fork(`demo-${id}`),
  })
  return { node, client }
}

/** The next time one of `nodes` becomes master, and which. */
function nextMaster(nodes: readonly Node[]): Promise<Node> {
  return new Promise((resolve) => {
    for (const n of nodes) n.node.once('elected', () => resolve(n))
  })
}

/** The first worker view a new master reports. */
function workersSeen(master: Node): Promise<string> {
  return new Promise((resolve) =>
    master.node.once('workers-changed', ({ workers }) =>
      resolve(workers.map((w) => w.id).join(', ')),
    ),
  )
}

/** Workers register, the candidates run: the first master and what it sees. */
async function electFirst(tour: Tour, candidates: Node[], workers: Node[]): Promise<Node> {
  const { cluster, say } = tour
  for (const w of workers) await w.node.registerWorker()
  const views = new Map(candidates.map((c) => [c, workersSeen(c)]))
  const elected = nextMaster(candidates)
  for (const c of candidates) await c.node.runForMaster()
  const master = await cluster.clock.runUntil(elected)
  say.line(`Workers ${WORKERS.join(', ')} register under ${ROOT}/workers (ephemeral nodes).`)
  say.line(`${CANDIDATES.join(', ')} run for master: ${master.node.id} wins ${ROOT}/master.`)
  const view = await cluster.clock.runUntil(views.get(master) as Promise<string>)
  say.fact(`${master.node.id} sees workers: ${view}`)
  return master
}

/** The master hangs; another candidate takes over once its session expires. */
async function failOver(tour: Tour, candidates: Node[], master: Node): Promise<void> {
  const { cluster, say } = tour
  const clock = cluster.clock
  say.line(`${master.node.id} hangs: its heartbeats stop, the others wait on ${ROOT}/master.`)
  const hung = clock.now()
  const others = candidates.filter((c) => c !== master)
  const views = new Map(others.map((c) => [c, workersSeen(c)]))
  const next = nextMaster(others)
  master.client.pauseHeartbeats()
  const successor = await clock.runUntil(next)
  const view = await clock.runUntil(views.get(successor) as Promise<string>)
  say.fact(
    `after ${seconds(clock.now() - hung)} (the session timeout) ${master.node.id}'s session ` +
      `expired and ${successor.node.id} took over`,
  )
  say.fact(`${successor.node.id} sees workers: ${view}`)
  say.line(`${master.node.id} is master: ${master.node.isMaster}. Never two masters at once.`)
}

/** The master-worker chapter. */
export const electionScenario: Scenario = {
  title: 'A master-worker election fails over',
  async run(tour) {
    const candidates = CANDIDATES.map((id, i) => start(tour, id, i + 1))
    const workers = WORKERS.map((id, i) => start(tour, id, CANDIDATES.length + i + 1))
    try {
      const master = await electFirst(tour, candidates, workers)
      await failOver(tour, candidates, master)
    } finally {
      for (const n of [...candidates, ...workers]) {
        n.node.removeAllListeners()
        await n.node.close()
        await n.client.close()
      }
    }
  },
}

/**
 * The coordination workload of the whole-cluster simulation: actors that each hold a lock on a
 * coordinator session of their own and take part in a leader election (a fresh session from a
 * factory after each expiry), on the cluster's own coordinator. Checked after every step and
 * at every grant and election: never two lock holders, fencing tokens increasing in grant
 * order, never two leaders, a leader gone the moment its session expires, and no ephemeral
 * node owned by a session that is gone (the expired session's own nodes looked up one by one).
 */
import type { Random } from '../../../src/common/random.js'
import type { InProcessClient } from '../../../src/coordination/client.js'
import { LeaderElection, Lock, type LockHandle } from '../../../src/coordination/recipes/index.js'
import { codeOf, type SimBase } from '../support/sim-base.js'

/** Session timeout of the actors' sessions. */
export const ACTOR_SESSION_MS = 4000
const LOCK_PATH = '/wsim/lock'
const ELECTION_PATH = '/wsim/election'

/** One process using the coordinator. */
interface Actor {
  readonly name: string
  client: InProcessClient
  lock: Lock
  pending: boolean
  handle: LockHandle | undefined
  election: LeaderElection
  electionClient: InProcessClient | undefined
}

/** The actors, their locks and elections, and the checks. */
export class CoordinationWorkload {
  readonly actors: Actor[] = []
  readonly grants: number[] = []

  constructor(
    readonly sim: SimBase,
    readonly random: Random,
  ) {}

  /** `n` actors, each started in the election with probability 0.8. */
  async setUp(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const client = this.#connect()
      const actor: Actor = {
        name: `a${i}`,
        client,
        lock: this.#lock(client),
        pending: false,
        handle: undefined,
        election: undefined as unknown as LeaderElection,
        electionClient: undefined,
      }
      actor.election = this.#newElection(actor)
      this.actors.push(actor)
      if (this.random.chance(0.8)) await actor.election.start()
    }
  }

  #connect(): InProcessClient {
    return this.sim.cluster.coordinator.connect({ sessionTimeoutMs: ACTOR_SESSION_MS })
  }

  #lock(client: InProcessClient): Lock {
    return new Lock(client, LOCK_PATH, { clock: this.sim.clock, random: this.random })
  }

  #newElection(actor: Actor): LeaderElection {
    const election = new LeaderElection(
      () => {
        actor.electionClient = this.#connect()
        return actor.electionClient
      },
      ELECTION_PATH,
      { id: actor.name, clock: this.sim.clock, random: this.random },
    )
    election.on('elected', () => {
      this.sim.note(`${actor.name} elected`)
      this.checkLeaders()
    })
    return election
  }

  /** One coordination step: acquire, release, toggle the election, or lose a session. */
  async step(): Promise<void> {
    const r = this.random
    const actor = r.pick(this.actors)
    const roll = r.int(100)
    if (roll < 40) this.#acquire(actor, r.pick([0, 200, 1500, 6000]))
    else if (roll < 65) await this.#release(actor)
    else if (roll < 85) await this.#toggleElection(actor)
    else if (roll < 95) await this.expireSession(r.chance(0.5) ? 'lock' : 'election')
    else {
      this.sim.note(`${actor.name} lock client cut off`)
      actor.client.pauseHeartbeats()
      this.sim.count('fault.session-cut-off')
    }
  }

  #acquire(actor: Actor, timeoutMs: number): void {
    if (actor.pending || actor.handle !== undefined) return
    this.sim.note(`${actor.name} acquire ${timeoutMs}`)
    actor.pending = true
    const lock = actor.lock
    lock.acquire({ timeoutMs }).then(
      (handle) => {
        actor.pending = false
        if (actor.lock !== lock) return void handle.release()
        actor.handle = handle
        this.sim.note(`${actor.name} granted ${handle.fencingToken}`)
        const last = this.grants.at(-1)
        if (last !== undefined && handle.fencingToken <= last) {
          this.sim.violate(`[lock] fencing token ${handle.fencingToken} after ${last}`)
        }
        this.grants.push(handle.fencingToken)
        this.checkHolders()
      },
      (error: unknown) => {
        actor.pending = false
        const code = codeOf(error)
        this.sim.note(`${actor.name} acquire failed ${code}`)
        if (!['TIMEOUT', 'SESSION_EXPIRED', 'CLOSED'].includes(code)) {
          this.sim.violate(`[lock] unexpected acquire failure ${String(error)}`)
        }
      },
    )
  }

  async #release(actor: Actor): Promise<void> {
    const handle = actor.handle
    if (handle === undefined) return
    this.sim.note(`${actor.name} release`)
    actor.handle = undefined
    await handle.release().catch(() => undefined)
  }

  async #toggleElection(actor: Actor): Promise<void> {
    if (actor.election.state === 'started') {
      this.sim.note(`${actor.name} resigns`)
      await actor.election.close()
      actor.election = this.#newElection(actor)
    } else if (actor.election.state === 'latent') {
      this.sim.note(`${actor.name} joins`)
      await actor.election.start()
    }
  }

  /** Expire an actor's lock session or election session (the leader's more often). */
  async expireSession(which: 'lock' | 'election'): Promise<void> {
    const leader = this.actors.find((a) => a.election.isLeader)
    const actor =
      which === 'election' && leader && this.random.chance(0.6)
        ? leader
        : this.random.pick(this.actors)
    const client = which === 'lock' ? actor.client : actor.electionClient
    if (client === undefined || client.state !== 'connected') return this.sim.note('expire skipped')
    const wasLeader = actor.election.isLeader
    this.sim.note(`expire ${actor.name}'s ${which} session (leader: ${wasLeader})`)
    this.sim.count('fault.session-expiry')
    await expireAndCheck(this.sim, client.sessionId)
    if (which === 'election' && actor.election.isLeader) {
      this.sim.violate(`[election] ${actor.name} still leads after its session expired`)
    }
    if (which === 'lock' && actor.handle?.held) {
      this.sim.violate(`[lock] ${actor.name} still holds the lock after its session expired`)
    }
  }

  /** Give every actor whose lock session ended a new one; the per-step checks. */
  afterStep(): void {
    for (const a of this.actors) {
      if (a.client.state !== 'expired') continue
      void a.lock.close()
      a.client = this.#connect()
      a.lock = this.#lock(a.client)
      a.handle = undefined
    }
    this.checkHolders()
    this.checkLeaders()
    checkEphemerals(this.sim)
  }

  /** Never two lock holders (handles not yet revoked). */
  checkHolders(): void {
    this.sim.count('checks')
    const holders = this.actors.filter((a) => a.handle?.held)
    if (holders.length > 1) this.sim.violate(`[lock] two holders: ${holders.map((a) => a.name)}`)
  }

  /** Never two leaders. */
  checkLeaders(): void {
    this.sim.count('checks')
    const leaders = this.actors.filter((a) => a.election.isLeader)
    if (leaders.length > 1)
      this.sim.violate(`[election] two leaders: ${leaders.map((a) => a.name)}`)
  }

  /** Close every recipe and session. */
  async close(): Promise<void> {
    for (const a of this.actors) {
      await a.election.close().catch(() => undefined)
      await a.lock.close().catch(() => undefined)
      await a.client.close().catch(() => undefined)
    }
  }
}

/** Expire a session; then none of the ephemerals it owned may be left. */
export async function expireAndCheck(sim: SimBase, sessionId: number): Promise<void> {
  const tree = sim.cluster.coordinator.tree
  const owned = [...(tree.ephemerals.get(sessionId) ?? [])]
  await sim.cluster.coordinator.expireSession(sessionId)
  sim.count('checks')
  const left = owned.filter((p) => tree.getNode(p)?.ephemeralOwner === sessionId)
  if (left.length > 0 || tree.ephemerals.has(sessionId)) {
    sim.violate(`[ephemeral] session ${sessionId} expired but still owns ${left.join(', ')}`)
  }
}

/** No ephemeral node may be owned by a session that is gone. */
export function checkEphemerals(sim: SimBase): void {
  const tree = sim.cluster.coordinator.tree
  sim.count('checks')
  for (const [owner, paths] of tree.ephemerals) {
    if (tree.sessions.has(owner)) continue
    sim.violate(`[ephemeral] session ${owner} is gone but owns ${[...paths].join(', ')}`)
  }
}

/**
 * The world of the recipe simulation: actors that each hold a lock client and take part in an
 * election through a client factory, on one coordinator under a virtual clock. A seed drives
 * every choice (see `simulation.test.ts`); the checks of the invariants live here.
 */
import { VirtualClock } from '../../../src/common/clock.js'
import { createRandom, type Random } from '../../../src/common/random.js'
import {
  createCoordinator,
  type InProcessClient,
  type InProcessCoordinator,
} from '../../../src/coordination/index.js'
import { LeaderElection, Lock, type LockHandle } from '../../../src/coordination/recipes/index.js'

/** Session timeout of the simulated clients (2 ticks of the default 2 s). */
export const SESSION_MS = 4000

/** One simulated process. */
export interface Actor {
  readonly name: string
  client: InProcessClient
  lock: Lock
  pending: boolean
  handle: LockHandle | undefined
  election: LeaderElection
  electionClient: InProcessClient | undefined
}

/** A failed invariant. */
export class InvariantError extends Error {}

/** The world and its checks. */
export class SimWorld {
  readonly clock = new VirtualClock()
  readonly random: Random
  readonly actors: Actor[] = []
  readonly grants: number[] = []
  readonly log: string[] = []
  coordinator!: InProcessCoordinator
  #recipeRandom: Random

  constructor(readonly seed: number) {
    this.random = createRandom(seed)
    this.#recipeRandom = this.random.fork('recipes')
  }

  async open(actors: number): Promise<void> {
    this.coordinator = await createCoordinator({
      clock: this.clock,
      random: this.random.fork('coordinator'),
    })
    for (let i = 0; i < actors; i++) {
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
      actor.election = this.newElection(actor)
      this.actors.push(actor)
    }
  }

  #connect(): InProcessClient {
    return this.coordinator.connect({ sessionTimeoutMs: SESSION_MS })
  }

  #lock(client: InProcessClient): Lock {
    return new Lock(client, '/sim/lock', { clock: this.clock, random: this.#recipeRandom })
  }

  /** A new (latent) election for the actor, whose sessions come from a factory. */
  newElection(actor: Actor): LeaderElection {
    const election = new LeaderElection(
      () => {
        actor.electionClient = this.#connect()
        return actor.electionClient
      },
      '/sim/election',
      { id: actor.name, clock: this.clock, random: this.#recipeRandom },
    )
    election.on('elected', () => {
      this.log.push(`${actor.name} elected`)
      this.checkLeaders()
    })
    election.on('error', ({ error }) => this.log.push(`${actor.name} election error ${error}`))
    return election
  }

  /** Give an actor whose lock session ended a new client and lock. */
  renewLockClient(actor: Actor): void {
    void actor.lock.close()
    actor.client = this.#connect()
    actor.lock = this.#lock(actor.client)
    actor.handle = undefined
  }

  /** Start an acquire; the grant is checked the moment it resolves. */
  acquire(actor: Actor, timeoutMs: number): void {
    actor.pending = true
    const lock = actor.lock
    lock.acquire({ timeoutMs }).then(
      (handle) => {
        actor.pending = false
        if (actor.lock !== lock) return void handle.release()
        actor.handle = handle
        this.log.push(`${actor.name} granted ${handle.fencingToken}`)
        const last = this.grants.at(-1)
        if (last !== undefined && handle.fencingToken <= last) {
          this.fail(`fencing token ${handle.fencingToken} after ${last}`)
        }
        this.grants.push(handle.fencingToken)
        this.checkHolders()
      },
      (error: { code?: string }) => {
        actor.pending = false
        this.log.push(`${actor.name} acquire failed ${error.code}`)
        if (!['TIMEOUT', 'SESSION_EXPIRED', 'CLOSED'].includes(error.code ?? '')) {
          this.fail(`unexpected acquire failure ${String(error)}`)
        }
      },
    )
  }

  /** Never two lock holders (handles not yet revoked). */
  checkHolders(): void {
    const holders = this.actors.filter((a) => a.handle?.held)
    if (holders.length > 1) this.fail(`two holders: ${holders.map((a) => a.name)}`)
  }

  /** Never two leaders. */
  checkLeaders(): void {
    const leaders = this.actors.filter((a) => a.election.isLeader)
    if (leaders.length > 1) this.fail(`two leaders: ${leaders.map((a) => a.name)}`)
  }

  /** Whether some started election leads. */
  hasLeader(): boolean {
    return this.actors.some((a) => a.election.isLeader)
  }

  /** Whether an election is started. */
  hasCandidates(): boolean {
    return this.actors.some((a) => a.election.state === 'started')
  }

  fail(message: string): never {
    throw new InvariantError(
      `${message} (seed ${this.seed}; replay: SIM_SEED=${this.seed} npx vitest run ` +
        `test/coordination/recipes/simulation.test.ts)\nlast steps:\n` +
        this.log.slice(-15).join('\n'),
    )
  }

  async close(): Promise<void> {
    for (const a of this.actors) {
      await a.election.close()
      await a.lock.close()
      await a.client.close()
    }
    await this.coordinator.close()
  }
}

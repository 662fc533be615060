/**
 * The recipe tests' world: an in-process coordinator on a virtual clock, clients that are
 * closed after the test, and helpers to let pending work settle without sleeping.
 */
import { VirtualClock } from '../../../src/common/clock.js'
import { createRandom } from '../../../src/common/random.js'
import {
  type CoordinatorClient,
  createCoordinator,
  type InProcessCoordinator,
} from '../../../src/coordination/index.js'

/** One test's coordinator, clock and clients. */
export interface World {
  readonly clock: VirtualClock
  readonly coordinator: InProcessCoordinator
  connect(sessionTimeoutMs?: number): CoordinatorClient
  close(): Promise<void>
}

/** Build a {@link World}. */
export async function createWorld(seed = 1): Promise<World> {
  const clock = new VirtualClock()
  const coordinator = await createCoordinator({ clock, random: createRandom(seed) })
  const clients: CoordinatorClient[] = []
  return {
    clock,
    coordinator,
    connect(sessionTimeoutMs = 10_000) {
      const client = coordinator.connect({ sessionTimeoutMs })
      clients.push(client)
      return client
    },
    async close() {
      for (const c of clients) await c.close()
      await coordinator.close()
    },
  }
}

/** Let promise callbacks and queued deliveries run (a few turns of the event loop). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Whether a promise has settled yet (after letting pending work run). */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  promise.then(
    () => {
      done = true
    },
    () => {
      done = true
    },
  )
  await settle()
  return done
}

/** The rejection code of a promise that must fail. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (error) {
    return (error as { code?: string }).code
  }
  throw new Error('expected a rejection')
}

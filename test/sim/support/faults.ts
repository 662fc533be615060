/**
 * The faults a simulation injects into its cluster, each one seeded step: it draws what it
 * needs from the simulation's {@link Random} (always in the same order, so that a seed's
 * schedule stays the same), notes itself in the trace and counts itself as `fault.<kind>`.
 * A fault that cannot apply now (no broker left to kill) notes `<kind> skipped`.
 */
import type { Broker } from '../../../src/broker/broker.js'
import type { FaultHandle } from '../../../src/broker/transport.js'
import { codeOf, type SimBase } from './sim-base.js'

/** Count an injected fault of `kind`. */
export function countFault(sim: SimBase, kind: string): void {
  sim.count(`fault.${kind}`)
}

/** Kill one of `candidates` (the live brokers by default), keeping one broker alive. */
export function killBroker(sim: SimBase, candidates = sim.liveBrokers()): Broker | undefined {
  if (candidates.length === 0 || sim.liveBrokers().length <= 1) {
    sim.note('kill skipped')
    return undefined
  }
  const b = sim.random.pick(candidates)
  sim.note(`kill ${b.id}`)
  b.kill()
  countFault(sim, 'kill')
  return b
}

/** Kill the controller's broker (unless it is the last one alive). */
export function killController(sim: SimBase): void {
  killThis(sim, sim.cluster.brokers[sim.cluster.controller()], 'kill-controller')
}

/** Kill the broker `b` found by a simulation (the group coordinator's, say) as fault `kind`. */
export function killThis(sim: SimBase, b: Broker | undefined, kind: string): void {
  if (b === undefined || sim.liveBrokers().length <= 1) {
    sim.note(`${kind} skipped`)
    return
  }
  sim.note(`${kind.replace('kill-', 'kill ')} ${b.id}`)
  b.kill()
  countFault(sim, kind)
}

/** Restart a dead broker, waiting (bounded) for it to be back. */
export async function restartBroker(sim: SimBase): Promise<void> {
  const dead = sim.deadBrokers()
  if (dead.length === 0) return sim.note('restart skipped')
  const b = sim.random.pick(dead)
  sim.note(`restart ${b.id}`)
  if (!(await sim.advanceUntil(b.restart(), 30_000))) notBack(sim, b, '')
  countFault(sim, 'restart')
}

function notBack(sim: SimBase, b: Broker, when: string): void {
  sim.violate(`broker ${b.id} did not restart within 30 s${when}`)
}

/** Restart every dead broker (the end of a run). */
export async function restartAll(sim: SimBase): Promise<void> {
  for (const b of sim.deadBrokers()) {
    if (!(await sim.advanceUntil(b.restart(), 30_000))) notBack(sim, b, ' (recovery)')
  }
}

/** Cut the link between two brokers. */
export function cutBrokers(sim: SimBase): void {
  const ids = sim.cluster.brokers.map((b) => b.id)
  const a = sim.random.pick(ids)
  const b = sim.random.pick(ids.filter((x) => x !== a))
  sim.note(`cut ${a}-${b}`)
  sim.cluster.network.cut(a, b)
  countFault(sim, 'cut')
}

/** Cut the link between one of the named clients and a broker. */
export function cutClient(sim: SimBase, clients: readonly string[]): void {
  const who = sim.random.pick(clients)
  const b = sim.random.pick(sim.cluster.brokers).id
  sim.note(`cut ${who}-${b}`)
  sim.cluster.network.cut(who, b)
  countFault(sim, 'cut-client')
}

/** Heal every link, or (half the time) every link of one broker. */
export function healSome(sim: SimBase): void {
  const c = sim.cluster
  if (sim.random.chance(0.5)) {
    sim.note('heal all')
    c.network.heal()
  } else {
    const id = sim.random.pick(c.brokers).id
    sim.note(`heal ${id}`)
    c.network.heal(id)
  }
  countFault(sim, 'heal')
}

/** Lose the next 1..4 responses of `api` to one of the named clients. */
export function dropResponses(
  sim: SimBase,
  clients: readonly string[],
  api: 'Produce',
): FaultHandle {
  const from = sim.random.pick(clients)
  const count = sim.random.intBetween(1, 4)
  sim.note(`drop ${from} ${api} responses x${count}`)
  countFault(sim, 'drop')
  return sim.cluster.network.drop({ from, api, direction: 'response', count })
}

/** Make one broker slow (or fast again): a slow follower, or a slow leader. */
export function slowBroker(sim: SimBase): void {
  const id = sim.random.pick(sim.cluster.brokers).id
  const ms = sim.random.pick([0, 0, 50, 500, 3000])
  sim.note(`slow ${id} ${ms}ms`)
  sim.cluster.network.slow(id, ms)
  countFault(sim, 'slow')
}

/** Undo every network fault: links, slowness and the drops in `drops`. */
export function healNetwork(sim: SimBase, drops: readonly FaultHandle[]): void {
  const c = sim.cluster
  c.network.heal()
  for (const d of drops) d.remove()
  for (const b of c.brokers) c.network.slow(b.id, 0)
}

/**
 * Grow `topic` from `current` to `current + 1` partitions (up to 8) in the background;
 * `grown(count)` runs when the cluster says yes.
 */
export function addPartition(
  sim: SimBase,
  topic: string,
  current: number,
  grown: (count: number) => void,
): void {
  if (current >= 8) {
    sim.note('add-partition skipped')
    return
  }
  const count = current + 1
  sim.note(`partitions -> ${count}`)
  countFault(sim, 'add-partition')
  const growing = sim.cluster
    .admin()
    .createPartitions({ topicPartitions: [{ topic, count }] })
    .then(
      () => grown(count),
      (err: unknown) => sim.note(`partitions -> ${count} failed: ${codeOf(err)}`),
    )
  sim.track(growing)
}

/** Let one of `choices` milliseconds of virtual time pass. */
export async function advance(sim: SimBase, choices: readonly number[]): Promise<void> {
  const ms = sim.random.pick(choices)
  sim.note(`advance ${ms}`)
  await sim.clock.advance(ms)
}

/**
 * One weighted choice: `table` maps an exclusive upper bound of a roll in [0, 100) to its
 * action, in increasing order; the last entry takes what is left. A synchronous action adds
 * no turn of the microtask queue (the interleaving with in-flight requests stays the seed's).
 */
export function roll(
  sim: SimBase,
  table: readonly (readonly [number, () => unknown])[],
): Promise<void> | undefined {
  const r = sim.random.int(100)
  const entry = table.find(([bound]) => r < bound) ?? table.at(-1)
  const result = entry?.[1]()
  return result instanceof Promise ? (result as Promise<void>) : undefined
}

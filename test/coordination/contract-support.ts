/**
 * Shared pieces of the coordinator contract suite (see `coordinator-contract.ts`).
 */
import { expect } from 'vitest'
import type { Coordinator, CoordinatorClient, WatchedEvent } from '../../src/coordination/index.js'

/** What a factory hands the suite. */
export interface ContractHarness {
  readonly coordinator: Coordinator
  /** Move the coordinator's clock (needed by `supports.clock`). */
  advance?(ms: number): Promise<void>
  /** Stop a client's heartbeats (needed by `supports.clock`). */
  pauseHeartbeats?(client: CoordinatorClient): void
  /** Release everything (the coordinator, stores, servers). */
  close(): Promise<void>
}

/** Optional features, switched on per implementation. */
export interface ContractSupports {
  /** A controllable clock: heartbeat-loss expiry, container and TTL reaping. */
  readonly clock?: boolean
  /** TTL nodes (a real ZooKeeper needs `zookeeper.extendedTypesEnabled`). */
  readonly ttl?: boolean
  /** `coordinator.stats()` reflects this test's changes alone. */
  readonly stats?: boolean
  /** The jute.maxbuffer frame limit (CONNECTION_LOSS beyond it). */
  readonly frameLimit?: boolean
  /** `watcher-error` events for throwing watchers. */
  readonly watcherErrors?: boolean
}

/** The state of one contract test. */
export interface ContractContext {
  h: ContractHarness
  /** The first client. */
  zk: CoordinatorClient
  /** This test's own base path (created, persistent). */
  base: string
  clients: CoordinatorClient[]
  /** Another client, closed after the test. */
  connect(): CoordinatorClient
}

/** Collects watch events. */
export function recorder(): { events: WatchedEvent[]; watch: (e: WatchedEvent) => void } {
  const events: WatchedEvent[] = []
  return { events, watch: (e) => void events.push({ type: e.type, path: e.path }) }
}

/** Await a promise that must reject with `code`; returns the error. */
export async function rejects(
  promise: Promise<unknown>,
  code: string,
): Promise<Error & { code: string; results?: unknown }> {
  try {
    await promise
  } catch (error) {
    expect((error as { code?: string }).code).toBe(code)
    return error as Error & { code: string }
  }
  throw new Error(`expected ${code}, but the call succeeded`)
}

/** Let events in flight arrive (a real server's notifications travel a socket). */
export async function settle(zk: CoordinatorClient, path = '/'): Promise<void> {
  await zk.sync(path)
}

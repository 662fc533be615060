/**
 * What the coordination suites share: a measured target (logkeeper in some mode, or a real
 * ZooKeeper), how to start ZooKeeper as a fair opponent, how to connect, and a deadline per
 * phase so that a stuck run fails instead of hanging.
 */
import type { Coordinator, CoordinatorClient } from '../../src/coordination/types.js'
import {
  startZooKeeper,
  type ZooKeeperServer,
  zookeeperAvailable,
} from '../../test/support/zookeeper.js'
import { ZooKeeperCoordinator } from '../../test/support/zookeeper-coordinator.js'

/** A coordinator under measurement. */
export interface Target {
  /** `memory`, `disk` or `zookeeper`. */
  name: string
  coordinator: Coordinator
  close(): Promise<void>
}

/**
 * A real ZooKeeper as a fair opponent: fsync on (ZooKeeper's default), the full JIT, enough
 * heap. `undefined` when ZooKeeper is not installed.
 */
export async function zookeeperTarget(): Promise<
  { target: Target; server: ZooKeeperServer } | undefined
> {
  if (!zookeeperAvailable()) return undefined
  process.env.ZK_EXTRA_CFG = 'forceSync=yes'
  const server = await startZooKeeper({ jvmFlags: '-Xmx1g -Dzookeeper.extendedTypesEnabled=true' })
  const coordinator = new ZooKeeperCoordinator(server.connectString)
  return { server, target: { name: 'zookeeper', coordinator, close: () => coordinator.close() } }
}

/** A client of `target` whose session is established. */
export async function connect(
  target: Target,
  sessionTimeoutMs = 30_000,
): Promise<CoordinatorClient> {
  const client = target.coordinator.connect({ sessionTimeoutMs })
  await client.exists('/')
  return client
}

/** Fail a phase that has not finished in `ms` instead of hanging the whole run. */
export async function phase<T>(label: string, work: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`benchmark phase hung for ${ms} ms: ${label}`)), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The two places differential steps run: a real ZooKeeper server (a fresh root path per run,
 * `/t<n>`) and logkeeper's in-process coordinator (a fresh coordinator per run).
 */
import type { Coordinator, CoordinatorClient } from '../../src/coordination/types.js'
import { connectZooKeeper } from './zookeeper-client.js'
import type { Backend, BackendRun } from './zookeeper-steps.js'

let rootCounter = 0

/** A fresh root name (unique within this process; the real server outlives runs). */
function freshRoot(): string {
  return `/t${process.pid}-${rootCounter++}`
}

/** Steps on a real ZooKeeper server: each run under a new root path. */
export function zookeeperBackend(connectString: () => string): Backend {
  return {
    name: 'zookeeper',
    async open(): Promise<BackendRun> {
      const cs = connectString()
      const setup = await connectZooKeeper(cs)
      const root = freshRoot()
      await setup.create(root)
      return {
        root,
        connect: () => connectZooKeeper(cs),
        dispose: () => setup.close(),
      }
    },
  }
}

/** logkeeper's `createCoordinator` (loaded dynamically: it may not exist yet). */
export type CreateCoordinator = (options?: Record<string, unknown>) => Promise<Coordinator>

/** Steps on logkeeper's coordinator: a fresh coordinator per run, same root naming. */
export function coordinatorBackend(createCoordinator: CreateCoordinator): Backend {
  return {
    name: 'logkeeper',
    async open(): Promise<BackendRun> {
      const coordinator = await createCoordinator()
      const setup = coordinator.connect({ sessionTimeoutMs: 10_000 })
      const root = freshRoot()
      await setup.create(root)
      return {
        root,
        connect: async (): Promise<CoordinatorClient> =>
          coordinator.connect({ sessionTimeoutMs: 10_000 }),
        dispose: async () => {
          await setup.close()
          await coordinator.close()
        },
      }
    },
  }
}

/** logkeeper's `createCoordinator` if `src/coordination/index.ts` exports it yet. */
export async function loadCreateCoordinator(): Promise<CreateCoordinator | undefined> {
  const mod = (await import('../../src/coordination/index.js')) as Record<string, unknown>
  const create = mod.createCoordinator
  return typeof create === 'function' ? (create as CreateCoordinator) : undefined
}

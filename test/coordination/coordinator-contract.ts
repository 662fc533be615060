/**
 * The coordinator contract: what every {@link Coordinator} must do, written only against the
 * public `Coordinator` / `CoordinatorClient` interfaces, so it runs against memory mode, disk
 * mode and (through an adapter) a real ZooKeeper. Each test works under its own base path and
 * assumes nothing about the rest of the tree. Features not every implementation has are
 * switched on by the `supports` manifest.
 *
 * @example
 * ```ts
 * coordinatorContract('memory', async () => {
 *   const coordinator = await createCoordinator()
 *   return { coordinator, close: () => coordinator.close() }
 * })
 * ```
 */
import { afterEach, beforeEach, describe } from 'vitest'
import { multiContract } from './contract-multi.js'
import { nodeContract } from './contract-nodes.js'
import { sessionContract } from './contract-sessions.js'
import type { ContractContext, ContractHarness, ContractSupports } from './contract-support.js'
import { watchContract } from './contract-watches.js'

export type { ContractContext, ContractHarness, ContractSupports } from './contract-support.js'

let counter = 0

/**
 * Register the contract suite.
 *
 * @param name - the implementation's name, in test titles
 * @param factory - a fresh harness per test
 * @param supports - optional features the implementation has
 */
export function coordinatorContract(
  name: string,
  factory: () => Promise<ContractHarness>,
  supports: ContractSupports = {},
): void {
  describe(`coordinator contract: ${name}`, () => {
    const ctx = {} as ContractContext
    beforeEach(async () => {
      ctx.h = await factory()
      ctx.clients = []
      ctx.connect = () => {
        const client = ctx.h.coordinator.connect({ sessionTimeoutMs: 10_000 })
        ctx.clients.push(client)
        return client
      }
      ctx.zk = ctx.connect()
      ctx.base = `/contract-${Date.now().toString(36)}-${process.pid}-${counter++}`
      await ctx.zk.create(ctx.base, 'base')
    })
    afterEach(async () => {
      for (const c of ctx.clients) await c.close()
      await ctx.h.close()
    })
    nodeContract(ctx, supports)
    multiContract(ctx, supports)
    watchContract(ctx, supports)
    sessionContract(ctx, supports)
  })
}

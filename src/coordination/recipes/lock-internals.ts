/**
 * The acquire loop shared by the locks (Curator's `LockInternals`): create an
 * ephemeral-sequential node under a protected id, list the contenders, and either hold the
 * lock or watch the one node the driver names, with `getData` so that a node gone meanwhile
 * leaves no watch behind. A wait that ends (timeout, abort, close, session lost) removes its
 * watch and deletes its node.
 */
import { fromCode, isLogkeeperError } from '../../common/errors.js'
import type { BytesInput } from '../../common/validate.js'
import type { CoordinatorClient } from '../types.js'
import type { LockDriver } from './lock-drivers.js'
import type { ResolvedRecipeOptions } from './options.js'
import { createProtected, deleteOwned, type ProtectedNode } from './protected-create.js'
import { dropWatch, oneShot, type WaitScope } from './wait-scope.js'
import { joinPath, nodeName, sortBySequence } from './znode-paths.js'

/** One lock's fixed parts. */
export interface LockSpec {
  readonly client: CoordinatorClient
  /** The lock's node; contenders are its children. */
  readonly parent: string
  /** The contender name after the protected prefix, e.g. `lock-`. */
  readonly name: string
  readonly driver: LockDriver
  readonly data: BytesInput | null
  readonly options: ResolvedRecipeOptions
}

/**
 * Create a contender node and wait until the driver says it holds the lock. Returns the node;
 * on any failure the node is deleted and the error passed on.
 */
export async function acquireNode(
  spec: LockSpec,
  scope: WaitScope,
  tryOnce: boolean,
): Promise<ProtectedNode> {
  scope.check()
  const node = await createProtected(
    spec.client,
    { parent: spec.parent, name: spec.name, data: spec.data, mode: 'ephemeral-sequential' },
    spec.options,
  )
  try {
    await waitForTurn(spec, node, scope, tryOnce)
    return node
  } catch (error) {
    await deleteOwned(spec.client, node.path, spec.options.retries).catch(() => {})
    throw error
  }
}

async function waitForTurn(
  spec: LockSpec,
  node: ProtectedNode,
  scope: WaitScope,
  tryOnce: boolean,
): Promise<void> {
  const ours = nodeName(node.path)
  for (;;) {
    scope.check()
    const sorted = sortBySequence(await spec.client.getChildren(spec.parent), spec.driver.marker)
    if (!sorted.includes(ours)) throw fromCode('NO_NODE', `lock node ${node.path} is gone`)
    const decision = spec.driver.decide(sorted, ours)
    if (decision.holds) return
    if (tryOnce) scope.expire()
    await waitForNode(spec.client, joinPath(spec.parent, decision.watch), scope)
  }
}

/** Wait until `path` changes or goes (returns at once if it is gone already). */
export async function waitForNode(
  client: CoordinatorClient,
  path: string,
  scope: WaitScope,
): Promise<void> {
  const shot = oneShot()
  try {
    await client.getData(path, { watch: shot.watcher })
  } catch (error) {
    if (isLogkeeperError(error, 'NO_NODE')) return
    throw error
  }
  try {
    await scope.race(shot.fired)
  } finally {
    if (scope.error !== undefined) await dropWatch(client, path, 'data', shot)
  }
}

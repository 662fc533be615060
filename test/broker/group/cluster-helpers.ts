/** Helpers of the group coordinator's cluster tests: raw requests through the transport. */
import { expect } from 'vitest'
import type { ApiName, ApiRequests, ApiResponses } from '../../../src/broker/api.js'
import type { Cluster } from '../../../src/cluster.js'
import type { VirtualClock } from '../../../src/common/clock.js'
import { joinRequest } from './helpers.js'

/** Send a request to broker `to` as a client. */
export function send<K extends ApiName>(
  c: Cluster,
  to: number,
  api: K,
  req: ApiRequests[K],
): Promise<ApiResponses[K]> {
  return c.transport.send('client', to, api, req)
}

/** The group's coordinator, asking a live broker (virtual time passes while none is known). */
export async function coordinatorOf(c: Cluster<VirtualClock>, groupId: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const alive = c.brokers.find((b) => b.alive)!
    const r = await send(c, alive.id, 'FindCoordinator', { key: groupId, keyType: 0 })
    if (r.error === undefined) return r.nodeId
    await c.clock.advance(500)
  }
  throw new Error('no coordinator')
}

/** One member joins and syncs alone: its id, generation. */
export async function joinAlone(c: Cluster<VirtualClock>, to: number, groupId: string) {
  const first = await send(c, to, 'JoinGroup', joinRequest(groupId))
  expect(first.error).toBe('MEMBER_ID_REQUIRED')
  const joined = c.clock.runUntil(
    send(c, to, 'JoinGroup', joinRequest(groupId, { memberId: first.memberId })),
  )
  const j = await joined
  expect(j.error).toBeUndefined()
  const s = await send(c, to, 'SyncGroup', {
    groupId,
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: null,
    assignments: [{ memberId: j.memberId, assignment: Uint8Array.from([9]) }],
  })
  expect(s.error).toBeUndefined()
  expect([...s.assignment]).toEqual([9])
  return j
}

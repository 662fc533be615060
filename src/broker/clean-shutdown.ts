/**
 * The first step of a broker's clean shutdown (`close()`, not `kill()`): the broker stops
 * taking requests except the ones that replicate (a follower's Fetch) and the controller's,
 * and waits until its group coordinator's appends in flight are written and replicated. A
 * consumer's LeaveGroup is answered before the group's Empty record is stored (Kafka's
 * onCompleteJoin → storeGroup), so without this wait the logs closed under that record and a
 * reopened directory brought the group back with members that had left.
 */
import { type Clock, VirtualClock } from '../common/clock.js'
import type { ApiName, ApiRequests } from './api.js'

/** What the controller sends brokers: a draining broker still applies it. */
const FROM_CONTROLLER: ReadonlySet<ApiName> = new Set([
  'LeaderAndIsr',
  'StopReplica',
  'UpdateMetadata',
])

/** Whether a draining broker still serves `request`: followers' fetches and the controller's. */
export function servedWhileDraining<K extends ApiName>(api: K, request: ApiRequests[K]): boolean {
  if (api === 'Fetch') return (request as ApiRequests['Fetch']).replicaId >= 0
  return FROM_CONTROLLER.has(api)
}

/**
 * Resolves once `work` has settled (its failure is ignored: a drain that failed leaves what
 * a crash would). Each append `work` waits for is bounded by its own acks=-1 timeout on the
 * clock; under a {@link VirtualClock} nobody moves time during a close, so the clock is run
 * as far as `work` needs (at most `maxMs`): no virtual time passes when it completes without
 * a fault, and a drain stuck on a dead follower ends at its timeout instead of hanging.
 */
export async function settleOnClock(
  clock: Clock,
  work: Promise<unknown>,
  maxMs: number,
): Promise<void> {
  const settled = work.then(
    () => undefined,
    () => undefined,
  )
  if (clock instanceof VirtualClock) await clock.runUntil(settled, maxMs).catch(() => undefined)
  else await settled
}

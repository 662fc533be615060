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
 * Rounds of patience (of 20 event-loop turns each, no virtual time) a drain gets under a
 * {@link VirtualClock} before the clock is run for it: replication in disk mode waits for
 * real I/O, which virtual time must not outrun (the append would time out first).
 */
const PATIENT_ROUNDS = 500

/**
 * Resolves once `work` has settled (its failure is ignored: a drain that failed leaves what
 * a crash would). Each append `work` waits for is bounded by its own acks=-1 timeout on the
 * clock. Under a {@link VirtualClock} nobody moves time during a close: `work` first gets
 * turns of the event loop (all it needs when every broker is up), then the clock is run as
 * far as it needs, at most `maxMs`, so a drain stuck on a dead follower ends at its timeout
 * instead of hanging.
 */
export async function settleOnClock(
  clock: Clock,
  work: Promise<unknown>,
  maxMs: number,
): Promise<void> {
  let done = false
  const settled = work.then(
    () => {
      done = true
    },
    () => {
      done = true
    },
  )
  if (!(clock instanceof VirtualClock)) return settled
  // runUntil with no time to pass gives the promise its turns and moves no timer.
  for (let round = 0; round < PATIENT_ROUNDS && !done; round++) {
    await clock.runUntil(settled, 0).catch(() => undefined)
  }
  if (!done) await clock.runUntil(settled, maxMs).catch(() => undefined)
}

/**
 * Session helpers: whether a client can still act, and a subscription to the end of its
 * session. Recipes revoke what they own the moment the session ends, not when they next
 * happen to talk to the coordinator.
 */
import { fromCode } from '../../common/errors.js'
import type { CoordinatorClient } from '../types.js'

/** How a session ended, as recipes report it. */
export type SessionEnd = 'expired' | 'closed'

/** Whether the client's session can still own nodes (connecting or connected). */
export function isAlive(client: CoordinatorClient): boolean {
  return client.state === 'connecting' || client.state === 'connected'
}

/** The coded error for a client whose session is over. */
export function sessionError(client: CoordinatorClient): Error {
  return client.state === 'closed'
    ? fromCode('CLOSED', 'the client is closed')
    : fromCode('SESSION_EXPIRED', 'the session expired')
}

/**
 * Call `fn` once when the client's session expires or is closed (at once, on a later
 * microtask, if it already has). Returns the unsubscribe function.
 */
export function onSessionEnd(client: CoordinatorClient, fn: (how: SessionEnd) => void): () => void {
  let done = false
  const fire = (how: SessionEnd) => {
    if (done) return
    done = true
    off()
    fn(how)
  }
  const onExpired = () => fire('expired')
  const onClosed = () => fire('closed')
  const off = () => {
    client.off('expired', onExpired)
    client.off('closed', onClosed)
  }
  client.on('expired', onExpired)
  client.on('closed', onClosed)
  if (!isAlive(client)) {
    const how: SessionEnd = client.state === 'closed' ? 'closed' : 'expired'
    queueMicrotask(() => fire(how))
  }
  return () => {
    done = true
    off()
  }
}

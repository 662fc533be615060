/**
 * A commit whose append fails (acks=-1 timing out: the ISR did not catch up in time) is not
 * applied to the coordinator's cache, as Kafka's `failPendingOffsetWrite` does, but its record
 * may stay in the leader's log and be committed later: a coordinator that loads the log then
 * holds it. A later commit, even of a lower offset, supersedes it (the last record of a key
 * wins). Whole simulation seed 1198: the group, working from a cache without the failed
 * commit, reset a partition to 0 and committed 0 after a reload had exposed the failed 2; the
 * committed offset going from 2 to 0 is Kafka's behaviour, and the sim's [stale] check now
 * lets a later record supersede an offset whose write was never acknowledged.
 */
import { describe, expect, it } from 'vitest'
import type { GroupCoordinator } from '../../../src/broker/group/group-coordinator.js'
import { coordinator, FakeOffsetsLog } from './harness.js'
import { commitRequest } from './helpers.js'

const G = 'group'

async function committed(gc: GroupCoordinator): Promise<number> {
  const f = await gc.offsets.fetch({ groupId: G, topics: [{ topic: 't', partitions: [0] }] })
  return Number(f.topics[0]!.partitions[0]!.offset)
}

async function commit(gc: GroupCoordinator, offset: number) {
  const res = await gc.offsets.commit(commitRequest(G, -1, '', 't', offset))
  return res.topics[0]!.partitions[0]!.error
}

describe('a commit whose append failed but landed', () => {
  it('is not in the cache, is loaded from the log, and a later lower commit supersedes it', async () => {
    const log = new FakeOffsetsLog()
    const first = await coordinator({}, log)
    log.failWith = 'REQUEST_TIMED_OUT'
    log.landOnFailure = true
    expect(await commit(first.gc, 2)).toBe('REQUEST_TIMED_OUT')
    expect(log.batches).toHaveLength(1)
    expect(await committed(first.gc)).toBe(-1)
    log.failWith = undefined

    // A coordinator elected later loads the record the failed append left.
    const second = await coordinator({}, log)
    expect(await committed(second.gc)).toBe(2)

    // The group, which saw no offset, commits a lower one: the last record wins.
    expect(await commit(second.gc, 0)).toBeUndefined()
    expect(await committed(second.gc)).toBe(0)
    const third = await coordinator({}, log)
    expect(await committed(third.gc)).toBe(0)
    for (const c of [first, second, third]) c.gc.shutdown()
  })
})

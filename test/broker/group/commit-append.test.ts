/**
 * A commit is checked against the generation when it arrives; its append (acks=-1) may then
 * wait while the group moves to the next generation, and the offset is still applied once the
 * append succeeds, as Kafka's `putCacheCallback` does (a reload of the log would apply it
 * anyway). The whole simulation's [stale] check counts the generation at arrival (whole seeds
 * 114, 526: a +1 h clock jump expired the member while its commit waited for the ISR).
 */
import { describe, expect, it } from 'vitest'
import { coordinator, FakeOffsetsLog } from './harness.js'
import { commitRequest, joinAlone, peek } from './helpers.js'

const G = 'group'

describe('a commit whose append outlives its generation', () => {
  it('is applied when the append succeeds, even though the group moved on meanwhile', async () => {
    const log = new FakeOffsetsLog()
    const { gc, clock } = await coordinator({}, log)
    const a = await joinAlone(gc, G)
    let open = () => {}
    log.produceGate = new Promise((r) => {
      open = r
    })
    const commit = gc.offsets.commit(commitRequest(G, a.generationId, a.memberId, 't', 42))
    expect(await peek(commit)).toBe('pending')
    // The member's session expires while the append waits: the group rebalances to Empty.
    await clock.advance(10_000)
    const d = (await gc.describeGroups({ groups: [G] })).groups[0]!
    expect(d.groupState).toBe('Empty')
    log.produceGate = undefined
    open()
    expect((await commit).topics[0]!.partitions[0]!.error).toBeUndefined()
    const f = await gc.offsets.fetch({ groupId: G, topics: [{ topic: 't', partitions: [0] }] })
    expect(f.topics[0]!.partitions[0]!.offset).toBe(42)
    // A commit of that generation arriving now is refused.
    const late = await gc.offsets.commit(commitRequest(G, a.generationId, a.memberId, 't', 43))
    expect(late.topics[0]!.partitions[0]!.error).toBe('UNKNOWN_MEMBER_ID')
    gc.shutdown()
  })
})

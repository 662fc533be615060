/**
 * A clean close under the virtual clock, through the raw group APIs. A LeaveGroup is answered
 * before the group's Empty record is stored with acks=-1; a close must not drop that record
 * (closing the brokers under it, or the followers before they fetch it), must need no
 * virtual time when every broker is up (nor let virtual time outrun its disk reads), and must
 * not hang when the append cannot complete (a dead follower in the ISR): it ends at the
 * append's own timeout, `offsets.commit.timeout.ms`.
 * Virtual time is checked against the member's session timeout: a group found Empty after
 * that long could have been emptied by the expiry of its member instead.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DescribedGroup } from '../../../src/broker/api.js'
import { OFFSETS_TOPIC } from '../../../src/broker/group/partition-for.js'
import type { Cluster } from '../../../src/cluster.js'
import type { VirtualClock } from '../../../src/common/clock.js'
import { createTopic, virtualCluster } from '../../cluster/helpers.js'
import { coordinatorOf, joinAlone, send } from './cluster-helpers.js'
import { commitRequest, joinRequest } from './helpers.js'

const SESSION_TIMEOUT_MS = 10_000 // joinRequest's
const COMMIT_TIMEOUT_MS = 2000
const CONFIG = {
  'offsets.topic.num.partitions': 1,
  'offsets.topic.replication.factor': 3,
  'offsets.commit.timeout.ms': COMMIT_TIMEOUT_MS,
  'group.initial.rebalance.delay.ms': 0,
}

const open: Cluster[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function cluster(dataDir?: string): Promise<Cluster<VirtualClock>> {
  const c = await virtualCluster(3, CONFIG, dataDir === undefined ? {} : { dataDir })
  open.push(c)
  return c
}

/** A group of one member that then leaves: LeaveGroup answered, the Empty record in flight. */
async function joinAndLeave(c: Cluster<VirtualClock>): Promise<number> {
  const node = await coordinatorOf(c, 'g')
  const joined = await joinAlone(c, node, 'g')
  const left = await send(c, node, 'LeaveGroup', {
    groupId: 'g',
    members: [{ memberId: joined.memberId, groupInstanceId: null }],
  })
  expect(left.members[0]!.error).toBeUndefined()
  return node
}

/**
 * The group as its coordinator describes it, once the coordinator has loaded it. Loading
 * reads the logs from disk (real I/O): real time passes, and virtual time only in small steps.
 */
async function describeLoaded(c: Cluster<VirtualClock>): Promise<DescribedGroup> {
  for (let i = 0; i < 500; i++) {
    const leader = c.topic(OFFSETS_TOPIC).partitions[0]!.leader
    if (leader >= 0 && c.brokers[leader]!.alive) {
      const d = await send(c, leader, 'DescribeGroups', { groups: ['g'] })
      if (d.groups[0]!.error === undefined) return d.groups[0]!
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
    if (i % 10 === 9) await c.clock.advance(50)
  }
  throw new Error('the group was never loaded')
}

describe('a clean close under the virtual clock', () => {
  it('stores the Empty group on every replica before a broker closes (disk mode, a reopen)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-clean-close-'))
    dirs.push(dataDir)
    const c = await cluster(dataDir)
    await joinAndLeave(c)
    const before = c.clock.now()
    await c.close()
    open.splice(open.indexOf(c), 1)
    // The followers' fetches read the disk: real time, not virtual, so the append did not time out.
    expect(c.clock.now() - before).toBeLessThan(COMMIT_TIMEOUT_MS)

    const again = await cluster(dataDir)
    const start = again.clock.now()
    const group = await describeLoaded(again)
    expect(again.clock.now() - start).toBeLessThan(SESSION_TIMEOUT_MS)
    expect(group).toMatchObject({ groupState: 'Empty', members: [] })
  })

  it('keeps an acknowledged commit across a close at once and a reopen (offsets rf 3)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-clean-close-'))
    dirs.push(dataDir)
    const c = await cluster(dataDir)
    await createTopic(c, 't', 1, 1)
    const node = await coordinatorOf(c, 'g')
    const commit = await send(c, node, 'OffsetCommit', commitRequest('g', -1, '', 't', 7))
    expect(commit.topics[0]!.partitions[0]!.error).toBeUndefined()
    await c.close()
    open.splice(open.indexOf(c), 1)

    const again = await cluster(dataDir)
    await describeLoaded(again)
    const leader = again.topic(OFFSETS_TOPIC).partitions[0]!.leader
    const fetched = await send(again, leader, 'OffsetFetch', {
      groupId: 'g',
      topics: [{ topic: 't', partitions: [0] }],
    })
    expect(fetched.topics[0]!.partitions[0]!.offset).toBe(7)
  })

  it('keeps a member that did not leave until its session expires, as Kafka does', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'logkeeper-clean-close-'))
    dirs.push(dataDir)
    const c = await cluster(dataDir)
    const node = await coordinatorOf(c, 'g')
    // A member of another process: cluster.close() cannot disconnect it.
    const joined = await joinAlone(c, node, 'g')
    await c.close()
    open.splice(open.indexOf(c), 1)

    const again = await cluster(dataDir)
    const start = again.clock.now()
    const group = await describeLoaded(again)
    expect(group.groupState).toBe('Stable')
    expect(group.members.map((m) => m.memberId)).toEqual([joined.memberId])
    const leader = again.topic(OFFSETS_TOPIC).partitions[0]!.leader
    const deleted = await send(again, leader, 'DeleteGroups', { groupsNames: ['g'] })
    expect(deleted.results[0]!.error).toBe('NON_EMPTY_GROUP')
    expect(again.clock.now() - start).toBeLessThan(SESSION_TIMEOUT_MS)
    // Once the session timeout passes on the reopened coordinator, the member is gone.
    await again.clock.advance(SESSION_TIMEOUT_MS)
    expect(await describeLoaded(again)).toMatchObject({ groupState: 'Empty', members: [] })
  })

  it('hands the Empty group to the next coordinator when the coordinator broker closes alone', async () => {
    const c = await cluster()
    const node = await joinAndLeave(c)
    const start = c.clock.now()
    await c.brokers[node]!.close()
    expect(c.clock.now()).toBe(start) // in memory, the drain needs no time
    const group = await describeLoaded(c)
    expect(c.clock.now() - start).toBeLessThan(SESSION_TIMEOUT_MS)
    expect(c.topic(OFFSETS_TOPIC).partitions[0]!.leader).not.toBe(node)
    expect(group).toMatchObject({ groupState: 'Empty', members: [] })
  })

  it('refuses requests from the start of a broker close while its drain waits', async () => {
    const c = await cluster()
    const node = await coordinatorOf(c, 'g')
    const joined = await joinAlone(c, node, 'g')
    c.brokers.find((b) => b.id !== node)!.kill()
    await send(c, node, 'LeaveGroup', {
      groupId: 'g',
      members: [{ memberId: joined.memberId, groupInstanceId: null }],
    })
    const closing = c.brokers[node]!.close()
    expect(c.brokers[node]!.alive).toBe(true) // still replicating what it drains
    await expect(send(c, node, 'JoinGroup', joinRequest('g'))).rejects.toMatchObject({
      code: 'NETWORK_EXCEPTION',
    })
    await expect(
      send(c, node, 'Metadata', { topics: null, allowAutoTopicCreation: false }),
    ).rejects.toMatchObject({
      code: 'NETWORK_EXCEPTION',
    })
    await closing
    expect(c.brokers[node]!.state).toBe('closed')
  })

  it('ends a drain stuck on a dead follower at the append timeout instead of hanging', async () => {
    const c = await cluster()
    const node = await coordinatorOf(c, 'g')
    const joined = await joinAlone(c, node, 'g')
    const follower = c.brokers.find((b) => b.id !== node)!
    follower.kill()
    await send(c, node, 'LeaveGroup', {
      groupId: 'g',
      members: [{ memberId: joined.memberId, groupInstanceId: null }],
    })
    const before = c.clock.now()
    await c.close()
    const waited = c.clock.now() - before
    // It waited for the append (the dead follower stays in the ISR for 30 s), and no longer.
    expect(waited).toBeGreaterThanOrEqual(COMMIT_TIMEOUT_MS)
    expect(waited).toBeLessThanOrEqual(2 * COMMIT_TIMEOUT_MS)
  })
})

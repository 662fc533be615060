/**
 * The group coordinator in a cluster: FindCoordinator creates `__consumer_offsets` and names
 * the leader of the group's partition; join, sync, commit and fetch through the transport;
 * failover of the coordinator keeps the committed offsets; disk mode keeps them across a reopen.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OFFSETS_TOPIC, partitionFor } from '../../../src/broker/group/partition-for.js'
import type { Cluster } from '../../../src/cluster.js'
import { createTopic, virtualCluster } from '../../cluster/helpers.js'
import { coordinatorOf, joinAlone, send } from './cluster-helpers.js'
import { commitRequest, joinRequest } from './helpers.js'

const open: Cluster[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('the group coordinator in a cluster', () => {
  it('creates __consumer_offsets on the first FindCoordinator and names the partition leader', async () => {
    const c = await virtualCluster(3, { 'offsets.topic.num.partitions': 5 })
    open.push(c)
    const node = await coordinatorOf(c, 'g')
    const topic = c.topic(OFFSETS_TOPIC)
    expect(topic.partitions).toHaveLength(5)
    expect(topic.partitions[0]!.replicas).toHaveLength(3)
    expect(node).toBe(topic.partitions[partitionFor('g', 5)]!.leader)
    const other = (node + 1) % 3
    const r = await send(c, other, 'JoinGroup', joinRequest('g'))
    expect(r.error).toBe('NOT_COORDINATOR')
  })

  it('keeps committed offsets across a failover of the coordinator', async () => {
    const c = await virtualCluster(3, { 'offsets.topic.num.partitions': 3 })
    open.push(c)
    await createTopic(c, 't', 1, 3)
    const node = await coordinatorOf(c, 'g')
    const j = await joinAlone(c, node, 'g')
    const commit = await send(
      c,
      node,
      'OffsetCommit',
      commitRequest('g', j.generationId, j.memberId, 't', 42),
    )
    expect(commit.topics[0]!.partitions[0]!.error).toBeUndefined()
    c.brokers[node]!.kill()
    await c.clock.advance(30_000)
    const next = await coordinatorOf(c, 'g')
    expect(next).not.toBe(node)
    const fetched = await send(c, next, 'OffsetFetch', { groupId: 'g', topics: null })
    expect(fetched.error).toBeUndefined()
    expect(fetched.topics).toEqual([
      { topic: 't', partitions: [{ partition: 0, offset: 42, leaderEpoch: -1, metadata: 'm' }] },
    ])
    // The member stopped heartbeating long ago: the group is empty, generation bumped.
    const d = await send(c, next, 'DescribeGroups', { groups: ['g'] })
    expect(d.groups[0]).toMatchObject({ groupState: 'Empty', members: [] })
  })

  it('keeps committed offsets and the group across a reopen in disk mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logkeeper-groups-'))
    dirs.push(dir)
    const config = { 'offsets.topic.num.partitions': 2 }
    const c = await virtualCluster(1, config, { dataDir: dir })
    await createTopic(c, 't', 2, 1)
    const node = await coordinatorOf(c, 'g')
    const commit = await send(c, node, 'OffsetCommit', {
      ...commitRequest('g', -1, '', 't', 7),
      topics: [
        {
          topic: 't',
          partitions: [0, 1].map((p) => ({
            partition: p,
            offset: 7 + p,
            leaderEpoch: 0,
            metadata: null,
          })),
        },
      ],
    })
    expect(commit.topics[0]!.partitions.map((p) => p.error)).toEqual([undefined, undefined])
    await c.close()
    const again = await virtualCluster(1, config, { dataDir: dir })
    open.push(again)
    const next = await coordinatorOf(again, 'g')
    let fetched = await send(again, next, 'OffsetFetch', {
      groupId: 'g',
      topics: [{ topic: 't', partitions: [0, 1] }],
    })
    // The broker opens its logs from disk (real I/O) before it leads and loads the partition.
    for (let i = 0; i < 200 && fetched.error !== undefined; i++) {
      expect(['NOT_COORDINATOR', 'COORDINATOR_LOAD_IN_PROGRESS']).toContain(fetched.error)
      await new Promise((r) => setTimeout(r, 10))
      await again.clock.advance(100)
      fetched = await send(again, next, 'OffsetFetch', {
        groupId: 'g',
        topics: [{ topic: 't', partitions: [0, 1] }],
      })
    }
    expect(fetched.error).toBeUndefined()
    expect(fetched.topics[0]!.partitions.map((p) => p.offset)).toEqual([7, 8])
    const list = await send(again, next, 'ListGroups', { statesFilter: [] })
    expect(list.groups).toEqual([{ groupId: 'g', protocolType: '', groupState: 'Empty' }])
  })

  it('answers held joins at once when the coordinator broker stops', async () => {
    const c = await virtualCluster(1, {
      'offsets.topic.num.partitions': 1,
      'group.initial.rebalance.delay.ms': 3000,
    })
    open.push(c)
    const node = await coordinatorOf(c, 'g')
    const first = await send(c, node, 'JoinGroup', joinRequest('g'))
    const held = send(c, node, 'JoinGroup', joinRequest('g', { memberId: first.memberId }))
    await c.brokers[node]!.close()
    await expect(held).rejects.toMatchObject({ code: 'NETWORK_EXCEPTION' })
  })
})

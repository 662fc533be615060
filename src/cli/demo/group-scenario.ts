/**
 * Chapter 3: a consumer group. One member owns every partition; a second member joins, the
 * group rebalances (the coordinator waits for both to join again, the leader runs the range
 * assignor) and the partitions are shared. The waits are heartbeats and join rounds: seconds
 * of virtual time, run through at once.
 */
import type { Consumer } from '../../consumer/consumer.js'
import type { GroupJoinEvent } from '../../consumer/events.js'
import { partitionList, seconds } from './narrator.js'
import type { Scenario, Tour } from './tour.js'

const GROUP = 'billing'

/** The next generation `consumer` joins. */
function nextJoin(consumer: Consumer): Promise<GroupJoinEvent> {
  return new Promise((resolve) => consumer.once('group.join', resolve))
}

/** A member of the group reading `tour.topic` from the beginning, counting what it reads. */
async function startMember(tour: Tour, name: string, read: () => void): Promise<Consumer> {
  const consumer = tour.cluster.consumer({ groupId: GROUP, clientId: name })
  await consumer.subscribe({ topics: [tour.topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async () => {
      read()
    },
  })
  return consumer
}

/** Who owns what, as a join event says: `billing-1 owns [0, 1]`. */
function owns(name: string, event: GroupJoinEvent, topic: string): string {
  const leader = event.isLeader ? ', the leader: it ran the assignor' : ''
  return `${name} owns ${partitionList(event.memberAssignment[topic] ?? [])}${leader}`
}

/** Resolves once `total` records were read (by any member). */
function countReads(total: number): { read: () => void; all: Promise<void> } {
  let reads = 0
  let done: () => void = () => undefined
  const all = new Promise<void>((resolve) => {
    done = resolve
  })
  const read = () => {
    reads++
    if (reads === total) done()
  }
  return { read, all }
}

/** The first member joins alone and reads everything. */
async function joinAlone(tour: Tour, total: number, read: () => void, all: Promise<void>) {
  const { cluster, say, topic } = tour
  const started = cluster.clock.now()
  say.line(`billing-1 joins the group '${GROUP}' and subscribes to '${topic}':`)
  const first = await startMember(tour, 'billing-1', read)
  const [joined] = await cluster.clock.runUntil(Promise.all([nextJoin(first), all]))
  say.fact(`generation ${joined.generationId}: ${owns('billing-1', joined, topic)}`)
  say.fact(
    `billing-1 read all ${total} orders, ${seconds(cluster.clock.now() - started)} of virtual ` +
      'time after it joined (a new group waits group.initial.rebalance.delay.ms for more members)',
  )
  return first
}

/** A second member joins: the group rebalances and shares the partitions. */
async function secondJoins(tour: Tour, first: Consumer, read: () => void) {
  const { cluster, say, topic } = tour
  say.line('billing-2 joins: the coordinator starts a rebalance, both members join again.')
  const started = cluster.clock.now()
  const rejoined = nextJoin(first)
  const second = await startMember(tour, 'billing-2', read)
  const [a, b] = await cluster.clock.runUntil(Promise.all([rejoined, nextJoin(second)]))
  say.fact(`generation ${a.generationId}: ${owns('billing-1', a, topic)}`)
  say.fact(`generation ${b.generationId}: ${owns('billing-2', b, topic)}`)
  say.line(
    `One owner per partition, found in ${seconds(cluster.clock.now() - started)} of virtual ` +
      'time (billing-1 heard of the rebalance at its next heartbeat). billing-2 starts from ' +
      'the offsets billing-1 committed, so no order is read twice.',
  )
  return second
}

/** The consumer-group chapter. */
export const groupScenario: Scenario = {
  title: 'A consumer group rebalances',
  async run(tour) {
    const partitions = tour.cluster.topic(tour.topic).partitions
    const total = partitions.reduce((n, p) => n + p.highWatermark, 0)
    const { read, all } = countReads(total)
    const first = await joinAlone(tour, total, read, all)
    const second = await secondJoins(tour, first, read)
    await tour.cluster.clock.runUntil(Promise.all([first.disconnect(), second.disconnect()]))
  },
}

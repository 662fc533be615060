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

/** The consumer-group chapter. */
export const groupScenario: Scenario = {
  title: 'A consumer group rebalances',
  async run(tour) {
    const { cluster, say, topic } = tour
    const clock = cluster.clock
    const total = cluster.topic(topic).partitions.reduce((n, p) => n + p.highWatermark, 0)
    let reads = 0
    let allRead: () => void = () => undefined
    const readAll = new Promise<void>((resolve) => {
      allRead = resolve
    })
    const read = () => {
      if (++reads === total) allRead()
    }
    say.line(`billing-1 joins the group '${GROUP}' and subscribes to '${topic}':`)
    let started = clock.now()
    const first = await startMember(tour, 'billing-1', read)
    const alone = await clock.runUntil(Promise.all([nextJoin(first), readAll]))
    say.fact(`generation ${alone[0].generationId}: ${owns('billing-1', alone[0], topic)}`)
    say.fact(
      `billing-1 read all ${total} orders, ${seconds(clock.now() - started)} of virtual time ` +
        'after it joined (a new group waits group.initial.rebalance.delay.ms for more members)',
    )

    say.line('billing-2 joins: the coordinator starts a rebalance, both members join again.')
    started = clock.now()
    const rejoined = nextJoin(first)
    const second = await startMember(tour, 'billing-2', read)
    const [a, b] = await clock.runUntil(Promise.all([rejoined, nextJoin(second)]))
    say.fact(`generation ${a.generationId}: ${owns('billing-1', a, topic)}`)
    say.fact(`generation ${b.generationId}: ${owns('billing-2', b, topic)}`)
    say.line(
      `One owner per partition, found in ${seconds(clock.now() - started)} of virtual time ` +
        '(billing-1 heard of the rebalance at its next heartbeat). billing-2 starts from the ' +
        'offsets billing-1 committed, so no order is read twice.',
    )
    await clock.runUntil(Promise.all([first.disconnect(), second.disconnect()]))
  },
}

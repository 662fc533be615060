/**
 * An embedded event log in an app: a topic, a producer, and a consumer group of two members
 * that share the topic's partitions, under a virtual clock.
 *
 * 1. `orders` gets four partitions; the producer writes keyed events (a customer's events land
 *    on one partition, so they stay in order).
 * 2. Two consumers join the group `billing`: the range assignor gives each two partitions.
 * 3. One of them stops: it commits and leaves the group (LeaveGroup); the other hears of the
 *    rebalance at its next heartbeat and takes over all four partitions from the committed
 *    offsets, so no event is handled twice.
 * 4. The admin client shows the group, its committed offsets and the lag.
 *
 * Virtual time passes only while `cluster.clock.runUntil(promise)` waits for something, so the
 * run takes well under a second of real time. Run it: `npx tsx examples/event-log.ts`.
 */
import { type Consumer, createCluster } from 'logkeeper'

await using cluster = await createCluster({ brokers: 3, clock: 'virtual', seed: 42 })
const clock = cluster.clock
const start = clock.now()
const say = (line: string) => console.log(`[+${clock.now() - start} ms] ${line}`)
const list = (ps: readonly { partition: number }[]) => `[${ps.map((p) => p.partition).join(', ')}]`

/** Let virtual time pass until `check()` holds. */
const until = (check: () => boolean) =>
  clock.runUntil(
    (async () => {
      while (!check()) await clock.sleep(50)
    })(),
  )

// 1. A topic and keyed events.
const admin = cluster.admin()
await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4, replicationFactor: 3 }] })
const producer = cluster.producer()
let sent = 0
async function placeOrders(count: number): Promise<void> {
  const messages = Array.from({ length: count }, () => {
    const n = sent++
    return { key: `customer-${n % 9}`, value: JSON.stringify({ order: n, total: 10 + n }) }
  })
  await clock.runUntil(producer.send({ topic: 'orders', messages }))
}
await placeOrders(12)
say(`produced ${sent} orders to 4 partitions`)

// 2. A group of two.
const handled = new Map<string, number>()
let total = 0
const distinct = new Set<string>()
function member(name: string): Consumer {
  const consumer = cluster.consumer({ groupId: 'billing', clientId: name })
  consumer.on('partitions.assigned', (e) => {
    if (e.partitions.length > 0) say(`${name} assigned ${list(e.partitions)}`)
  })
  consumer.on('partitions.revoked', (e) => say(`${name} revoked ${list(e.partitions)}`))
  return consumer
}
async function consume(consumer: Consumer, name: string): Promise<void> {
  await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
  await consumer.run({
    autoCommitThreshold: 1, // commit after every handled event (at-least-once)
    eachMessage: async ({ partition, message }) => {
      handled.set(name, (handled.get(name) ?? 0) + 1)
      total++
      distinct.add(`${partition}:${message.offset}`)
    },
  })
}
const a = member('billing-a')
const b = member('billing-b')
await consume(a, 'billing-a')
await consume(b, 'billing-b')
await until(() => total === 12 && a.assignment().length === 2 && b.assignment().length === 2)
say(
  `the group shares the partitions: billing-a ${list(a.assignment())}, billing-b ${list(b.assignment())}`,
)
say(
  `handled: billing-a ${handled.get('billing-a')}, billing-b ${handled.get('billing-b')} of ${total}`,
)
const [described] = await clock.runUntil(admin.describeGroups(['billing']))
say(
  `describeGroups: ${described!.state}, protocol ${described!.protocol}, ${described!.members
    .map((m) => `${m.clientId} ${list(m.assignment)}`)
    .join(', ')}`,
)

// 3. billing-b stops: it leaves the group, billing-a takes everything.
const stopped = clock.now()
const generation = a.generationId
say(`billing-b stops (generation ${generation})`)
await clock.runUntil(b.disconnect())
await until(() => a.assignment().length === 4 && a.generationId > generation)
say(
  `billing-a owns ${list(a.assignment())} in generation ${a.generationId}, ${clock.now() - stopped} ms after billing-b left`,
)
await placeOrders(8)
await until(() => total === 20)
say(
  `handled: billing-a ${handled.get('billing-a')}, billing-b ${handled.get('billing-b')} of ${total}, ${distinct.size} distinct: none twice`,
)

// 4. Committed offsets and lag. billing-a stops too; orders keep coming.
await clock.runUntil(a.disconnect())
await placeOrders(5)
for (const { topic, partitions } of await clock.runUntil(
  admin.fetchOffsets({ groupId: 'billing' }),
)) {
  for (const p of partitions) {
    say(`${topic}-${p.partition}: committed ${p.offset}, end ${p.endOffset}, lag ${p.lag}`)
  }
}
const [empty] = await clock.runUntil(admin.describeGroups(['billing']))
say(`the group is ${empty!.state} with ${empty!.members.length} members`)
await producer.disconnect()

/**
 * At-most-once and at-least-once, side by side, under a virtual clock.
 *
 * Five payments wait in a topic. Each group reads them with `run({ eachMessage })` and
 * auto-commit off, and its handler fails once, at payment p2. With `retry.retries: 0` the
 * failure crashes the consumer, which restarts (`restartOnFailure` resolves true): it rejoins
 * its group and goes on from the group's committed offset. Where the commit sits decides what
 * the restart sees:
 *
 * - at-most-once commits before processing: p2's offset is already committed when its
 *   handler fails, so after the restart p2 is never charged: lost, never twice.
 * - at-least-once commits after processing: p2 is not committed, so it comes again and is
 *   charged: never lost. When the failure comes after the work (the charge is made, the
 *   commit is not), the same restart charges p2 twice: at-least-once means duplicates are
 *   possible, so handlers should be idempotent.
 *
 * Run it: `npx tsx examples/delivery-semantics.ts`.
 */
import { createCluster } from 'logkeeper'

await using cluster = await createCluster({ brokers: 1, clock: 'virtual', seed: 42 })
const clock = cluster.clock
const admin = cluster.admin()
await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 1 }] })
const payments = ['p0', 'p1', 'p2', 'p3', 'p4']
await clock.runUntil(
  cluster.producer().send({ topic: 'payments', messages: payments.map((value) => ({ value })) }),
)

type Mode = 'at-most-once' | 'at-least-once' | 'at-least-once, failing after the charge'

async function consume(mode: Mode): Promise<void> {
  const groupId = mode.replace(/\W+/g, '-')
  const consumer = cluster.consumer({
    groupId,
    autoCommit: false,
    autoOffsetReset: 'earliest',
    retry: { retries: 0, restartOnFailure: async () => true },
  })
  const charged: string[] = []
  let failed = false
  consumer.on('crash', (e) =>
    console.log(`  ${mode}: crash (${(e.error as Error).message}), restart: ${e.restart}`),
  )
  const failOnce = (value: string) => {
    if (value === 'p2' && !failed) {
      failed = true
      throw new Error(`failed on ${value}`)
    }
  }
  await consumer.subscribe({ topics: ['payments'] })
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const value = message.value!.toString()
      const next = { topic, partition, offset: String(Number(message.offset) + 1) }
      if (mode === 'at-most-once') {
        await consumer.commitOffsets([next]) // commit first...
        failOnce(value)
        charged.push(value) // ...then process
      } else if (mode === 'at-least-once') {
        failOnce(value)
        charged.push(value) // process first...
        await consumer.commitOffsets([next]) // ...then commit
      } else {
        charged.push(value)
        failOnce(value) // the charge is made, the commit is not
        await consumer.commitOffsets([next])
      }
    },
  })
  // Wait until the consumer has gone past p4 (its committed offset reaches 5).
  await clock.runUntil(
    (async () => {
      for (;;) {
        const [t] = await admin.fetchOffsets({ groupId, topics: ['payments'] })
        if (t?.partitions[0]?.offset === '5') return
        await clock.sleep(500)
      }
    })(),
  )
  await clock.runUntil(consumer.disconnect())
  const lost = payments.filter((p) => !charged.includes(p))
  const twice = payments.filter((p) => charged.filter((c) => c === p).length > 1)
  console.log(
    `${mode}: charged ${charged.join(', ')}; lost: ${lost.join(', ') || 'none'}; twice: ${twice.join(', ') || 'none'}`,
  )
}

console.log(`payments in the topic: ${payments.join(', ')}`)
await consume('at-most-once')
await consume('at-least-once')
await consume('at-least-once, failing after the charge')

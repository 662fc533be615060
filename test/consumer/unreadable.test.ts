/**
 * Data a consumer cannot read (a batch whose CRC does not check, a record that does not parse
 * inside a batch whose CRC does): the records before it are handed over, then the partition
 * fails as Java's consumer fails it, with CORRUPT_MESSAGE naming the partition and the offset,
 * thrown by every poll until the application seeks past it; `run()` crashes with it. Fetching
 * again and again, silently, was the behaviour before.
 */
import { describe, expect, it } from 'vitest'
import type { Cluster } from '../../src/cluster.js'
import type { VirtualClock } from '../../src/common/clock.js'
import { crc32c } from '../../src/common/crc32c.js'
import type { LogkeeperError } from '../../src/common/errors.js'
import type { Consumer } from '../../src/consumer/consumer.js'
import type { ConsumerOptions } from '../../src/consumer/options.js'
import type { ConsumerRecord } from '../../src/consumer/types.js'
import { BATCH, BATCH_HEADER_BYTES, splitBatches } from '../../src/log/batch-header.js'
import { consumerOf, perTest } from './helpers.js'

const world = perTest()

/** A cluster with topic `t` of `partitions`, each holding three batches of five records. */
async function start(partitions = 1): Promise<Cluster<VirtualClock>> {
  const c = await world.cluster()
  await c.admin().createTopics({ topics: [{ topic: 't', numPartitions: partitions }] })
  const producer = c.producer()
  for (let batch = 0; batch < 3; batch++) {
    for (let partition = 0; partition < partitions; partition++) {
      const messages = Array.from({ length: 5 }, (_, i) => ({
        value: `v${batch * 5 + i}`,
        partition,
      }))
      await c.clock.runUntil(producer.send({ topic: 't', messages }))
    }
  }
  await c.clock.runUntil(producer.disconnect())
  return c
}

function make(c: Cluster<VirtualClock>, options: ConsumerOptions = {}): Consumer {
  const consumer = consumerOf(c, { groupId: 'g', autoOffsetReset: 'earliest', ...options })
  return world.track(consumer)
}

/** The leader's stored bytes of the batch at `baseOffset` (a view: changing it changes the log). */
async function storedBatch(c: Cluster<VirtualClock>, partition: number, baseOffset: number) {
  const leader = c.topic('t').partitions[partition]?.leader as number
  const host = c.brokers[leader]?.replicaHost
  const read = await host?.readLocal({ topic: 't', partition }, baseOffset, {
    maxBytes: 1,
    noCopy: true,
  })
  const batch = splitBatches(read?.bytes ?? new Uint8Array())[0]
  if (batch === undefined) throw new Error(`no batch at ${baseOffset}`)
  return batch
}

/** Flip a byte of a value in the batch: its CRC no longer checks. */
async function breakCrc(c: Cluster<VirtualClock>, partition: number, baseOffset: number) {
  const batch = await storedBatch(c, partition, baseOffset)
  batch[batch.length - 2] = (batch[batch.length - 2] as number) ^ 0x01
}

/**
 * Make the batch's record `index` claim a key longer than the record, and write a CRC that
 * checks: a batch a producer wrote wrong. Values are short: every length is one varint byte.
 */
async function breakRecord(
  c: Cluster<VirtualClock>,
  partition: number,
  baseOffset: number,
  index: number,
) {
  const batch = await storedBatch(c, partition, baseOffset)
  let pos = BATCH_HEADER_BYTES
  for (let i = 0; i < index; i++) pos += 1 + ((batch[pos] as number) >> 1)
  // length, attributes, timestamp delta, offset delta, then the key's length (zigzag 50).
  batch[pos + 4] = 100
  const view = new DataView(batch.buffer, batch.byteOffset, batch.length)
  view.setUint32(BATCH.CRC, crc32c(batch, BATCH.ATTRIBUTES))
}

/** Poll until a poll throws (or 30 s of virtual time pass); the offsets read before it. */
async function pollUntilFailure(c: Cluster<VirtualClock>, consumer: Consumer) {
  const read: string[] = []
  const until = c.clock.now() + 30_000
  while (c.clock.now() < until) {
    try {
      const records = await c.clock.runUntil(consumer.poll({ timeoutMs: 200 }))
      read.push(...records.map(at))
    } catch (error) {
      return { read, error: error as LogkeeperError }
    }
  }
  return { read, error: undefined }
}

const at = (r: ConsumerRecord) => `${r.partition}@${r.offset}`
const offsets = (partition: number, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${partition}@${from + i}`)

describe('data a consumer cannot read', () => {
  it('a CRC that does not check: the records before it, then every poll throws until a seek past it', async () => {
    const c = await start()
    await breakCrc(c, 0, 5)
    const consumer = make(c)
    await consumer.subscribe({ topics: ['t'] })
    const { read, error } = await pollUntilFailure(c, consumer)
    expect(read).toEqual(offsets(0, 0, 5))
    expect(error).toMatchObject({ code: 'CORRUPT_MESSAGE' })
    expect(error?.message).toMatch(/^t-0: the record at offset 5 cannot be read \(.*CRC/)
    expect(error?.message).toContain('seek past it')
    await expect(c.clock.runUntil(consumer.poll({ timeoutMs: 200 }))).rejects.toMatchObject({
      code: 'CORRUPT_MESSAGE',
    })
    consumer.seek({ topic: 't', partition: 0, offset: '10' })
    const after = await c.clock.runUntil(consumer.poll({ timeoutMs: 1000 }))
    expect(after.map(at)).toEqual(offsets(0, 10, 15))
  })

  it('a record that does not parse inside a batch whose CRC checks: the records before it in the batch too', async () => {
    const c = await start()
    await breakRecord(c, 0, 5, 2)
    const consumer = make(c)
    await consumer.subscribe({ topics: ['t'] })
    const { read, error } = await pollUntilFailure(c, consumer)
    expect(read).toEqual(offsets(0, 0, 7))
    expect(error).toMatchObject({ code: 'CORRUPT_MESSAGE' })
    expect(error?.message).toMatch(/^t-0: the record at offset 7 cannot be read/)
  })

  it('a poll that hands over other partitions first loses nothing of them when it throws', async () => {
    const c = await start(2)
    await breakCrc(c, 0, 0)
    const consumer = make(c)
    await consumer.subscribe({ topics: ['t'] })
    const { read, error } = await pollUntilFailure(c, consumer)
    expect(error).toMatchObject({ code: 'CORRUPT_MESSAGE' })
    expect(error?.message).toMatch(/^t-0: the record at offset 0 /)
    // Paused, the failed partition no longer throws and the other one is read to its end.
    consumer.pause([{ topic: 't', partitions: [0] }])
    for (let i = 0; i < 5 && read.length < 15; i++) {
      read.push(...(await c.clock.runUntil(consumer.poll({ timeoutMs: 200 }))).map(at))
    }
    expect(read).toEqual(offsets(1, 0, 15))
  })

  it('the iterator throws it after the records before it', async () => {
    const c = await start()
    await breakCrc(c, 0, 10)
    const consumer = make(c)
    await consumer.subscribe({ topics: ['t'] })
    const read: string[] = []
    const iterate = (async () => {
      for await (const r of consumer) read.push(at(r))
    })()
    const error = await c.clock.runUntil(
      iterate.then(
        () => undefined,
        (e: LogkeeperError) => e,
      ),
    )
    expect(read).toEqual(offsets(0, 0, 10))
    expect(error).toMatchObject({ code: 'CORRUPT_MESSAGE' })
  })

  it('run() crashes with it, without a restart, having committed what it handled', async () => {
    const c = await start()
    await breakCrc(c, 0, 5)
    const consumer = make(c, { retry: { restartOnFailure: async () => true } })
    const handled: string[] = []
    const crashes: { code?: string; restart: boolean }[] = []
    consumer.on('crash', (e) => {
      crashes.push({ code: (e.error as LogkeeperError).code, restart: e.restart })
    })
    await consumer.subscribe({ topics: ['t'] })
    await consumer.run({ eachMessage: async ({ message }) => void handled.push(message.offset) })
    await c.clock.runUntil(
      (async () => {
        while (crashes.length === 0) await c.clock.sleep(100)
      })(),
    )
    expect(handled).toEqual(['0', '1', '2', '3', '4'])
    expect(crashes).toEqual([{ code: 'CORRUPT_MESSAGE', restart: false }])
    expect(consumer.running).toBe(false)
    const admin = c.admin()
    const [committed] = await c.clock.runUntil(admin.fetchOffsets({ groupId: 'g', topics: ['t'] }))
    expect(committed?.partitions).toMatchObject([{ partition: 0, offset: '5' }])
  })
})

/**
 * The partition log against its baselines, measured in the same run:
 * - memory append: `PartitionLog.append` over the memory store vs pushing the same
 *   pre-encoded batches onto a plain array (target: ≥ 50% of the baseline);
 * - memory read: sequential `read` of whole batches vs indexing that array;
 * - disk append without fsync and with fsync per batch: the log over segment files vs
 *   `writev` of the same bytes to one file with the same fsync policy (target ≥ 50%);
 * - memory per retained record beyond key and value (target ≤ 16 B in batches of ≥ 100).
 */
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import { FileLogStore } from '../../src/storage/file-log-store.js'
import type { LogStore } from '../../src/storage/log-store.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'
import { type BenchContext, measure, type Row, ratioRow, round, type Suite } from '../harness.js'

const SUITE = 'log'
/** Distinct pre-encoded batches cycled through, so no append sees the same bytes twice in a row. */
const POOL = 16
/** Most bytes one append measurement may copy into a memory log. */
const MEMORY_BYTES_BUDGET = 512 * 1024 * 1024

function batches(recordBytes: number, batchRecords: number): Buffer[] {
  const value = Buffer.alloc(recordBytes, 0x61)
  return Array.from({ length: POOL }, (_, b) =>
    encodeRecordBatch({
      baseOffset: 0n,
      records: Array.from({ length: batchRecords }, (_, i) => ({
        key: `key-${b}-${i}`,
        value,
        timestamp: 1_735_689_600_000 + i,
      })),
    }),
  )
}

async function openLog(store: LogStore, topic: string, clock = new VirtualClock()) {
  const partitionStore = await store.openPartition({ topic, partition: 0 })
  return PartitionLog.open({
    topicPartition: { topic, partition: 0 },
    store: partitionStore,
    clock,
  })
}

async function memoryCases(ctx: BenchContext, recordBytes: number, batchRecords: number) {
  const pool = batches(recordBytes, batchRecords)
  const batchBytes = pool[0]!.length
  const label = `${recordBytes} B x ${batchRecords}`
  const opts = {
    seconds: ctx.seconds,
    opsPerCall: batchRecords,
    bytesPerCall: batchBytes,
    maxCalls: Math.floor(MEMORY_BYTES_BUDGET / batchBytes),
  }
  const array: Buffer[] = []
  let n = 0
  const baseline = await measure(() => array.push(pool[n++ % POOL]!), opts)
  array.length = 0

  const store = new MemoryLogStore()
  const log = await openLog(store, 'bench-mem')
  n = 0
  const subject = await measure(() => log.append(pool[n++ % POOL]!), opts)
  const rows: Row[] = [ratioRow(SUITE, `memory append ${label}`, subject, baseline, 0.5)]

  // Reads: the whole batches just appended, one batch per call, in order.
  const readArray = Array.from({ length: 4096 }, (_, i) => pool[i % POOL]!)
  let r = 0
  let sink = 0
  const readBaseline = await measure(
    () => {
      sink += readArray[r++ % readArray.length]!.length
    },
    { ...opts, maxCalls: Number.POSITIVE_INFINITY },
  )
  const end = log.logEndOffset
  let offset = log.logStartOffset
  const readSubject = await measure(
    async () => {
      if (offset >= end) offset = log.logStartOffset
      const result = await log.read(offset, { maxBytes: batchBytes })
      offset += batchRecords
      sink += result.bytes.length
    },
    { ...opts, maxCalls: Number.POSITIVE_INFINITY },
  )
  rows.push(ratioRow(SUITE, `memory read ${label}`, readSubject, readBaseline))
  await log.close()
  await store.close()
  if (sink < 0) console.log(sink)
  return rows
}

async function diskCases(ctx: BenchContext, recordBytes: number, batchRecords: number) {
  const pool = batches(recordBytes, batchRecords)
  const batchBytes = pool[0]!.length
  const label = `${recordBytes} B x ${batchRecords}`
  const rows: Row[] = []
  for (const fsync of [false, true]) {
    const opts = {
      seconds: ctx.seconds,
      opsPerCall: batchRecords,
      bytesPerCall: batchBytes,
      warmupCalls: 10,
      maxCalls: Math.floor(((fsync ? 64 : 512) * 1024 * 1024) / batchBytes),
    }
    const rawPath = join(ctx.tmpDir, `raw-${fsync}.log`)
    const fh = await open(rawPath, 'a')
    let n = 0
    const baseline = await measure(async () => {
      await fh.writev([pool[n++ % POOL]!])
      if (fsync) await fh.sync()
    }, opts)
    await fh.close()
    await rm(rawPath)

    const dir = join(ctx.tmpDir, `files-${fsync}`)
    const store = await FileLogStore.open(dir)
    const log = await openLog(store, 'bench-disk')
    n = 0
    const subject = await measure(async () => {
      if (fsync) await log.appendDurable(pool[n++ % POOL]!)
      else {
        log.append(pool[n++ % POOL]!)
        await log.flush({ fsync: false })
      }
    }, opts)
    await log.close()
    await store.close()
    await rm(dir, { recursive: true, force: true })
    const mode = fsync ? 'fsync per batch' : 'no fsync'
    rows.push(ratioRow(SUITE, `disk append ${mode} ${label}`, subject, baseline, 0.5))
  }
  return rows
}

async function memoryPerRecord(batchRecords: number): Promise<Row> {
  const gc = (globalThis as { gc?: () => void }).gc
  const total = 200_000
  const value = Buffer.alloc(100, 0x61)
  const keyBytes = 10
  const encoded: Buffer[] = []
  for (let b = 0; b < total / batchRecords; b++) {
    encoded.push(
      encodeRecordBatch({
        baseOffset: 0n,
        records: Array.from({ length: batchRecords }, (_, i) => ({
          key: String(b * batchRecords + i).padStart(keyBytes, '0'),
          value,
          timestamp: 1_735_689_600_000,
        })),
      }),
    )
  }
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const store = new MemoryLogStore()
  const log = await openLog(store, 'bench-bytes')
  gc?.()
  const before = used()
  for (const batch of encoded) log.append(batch)
  encoded.length = 0
  gc?.()
  const perRecord = (used() - before) / total - (keyBytes + value.length)
  await log.close()
  await store.close()
  return {
    suite: SUITE,
    name: `memory per record beyond key+value, batches of ${batchRecords}`,
    unit: 'bytes',
    subject: round(perRecord),
    target: batchRecords >= 100 ? '<= 16 B' : undefined,
    met: batchRecords >= 100 && gc ? perRecord <= 16 : undefined,
    extra: gc ? {} : { note: 'run with --expose-gc for a figure' },
  }
}

/** The log suite. */
export const logSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const rows: Row[] = []
    for (const recordBytes of [100, 1024]) {
      for (const batchRecords of [1, 1000]) {
        rows.push(...(await memoryCases(ctx, recordBytes, batchRecords)))
        rows.push(...(await diskCases(ctx, recordBytes, batchRecords)))
      }
    }
    for (const batchRecords of [1, 100, 1000]) rows.push(await memoryPerRecord(batchRecords))
    return rows
  },
}

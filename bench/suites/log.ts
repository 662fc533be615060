/**
 * The partition log against its baselines, measured in the same run:
 * - memory append: `PartitionLog.append` over the memory store vs pushing the same
 *   pre-encoded batches onto a plain array (target: ≥ 50% of the baseline). Each call gets a
 *   batch of its own, as a producer encodes each batch into a new buffer: `append` takes
 *   ownership of the batch and the memory store keeps batches ≥ 4 KiB without copying. Rows:
 *   with the default CRC check, with `verifyCrc: false` (a trusted in-process producer), and
 *   re-appending the same 16 buffers (which the log must copy, as it may not patch bytes it
 *   keeps);
 * - memory read: sequential `read` of whole batches vs indexing that array;
 * - disk append without fsync (also with `verifyCrc: false`) and with fsync per batch: the
 *   log over segment files vs `writev` of the same bytes to one file with the same fsync
 *   policy (target ≥ 50%). Baseline and subject alternate three times, best of each, since the
 *   page cache makes whichever runs second on a loaded machine slower;
 * - memory per retained record beyond key and value (target ≤ 16 B in batches of ≥ 100);
 * - first touch of fresh memory against a write to memory in use: what retaining bytes costs
 *   on the machine (page faults), a floor under every append that copies;
 * - reopening a disk log after a clean close against recovering it (log-reopen.ts).
 */
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import { FileLogStore } from '../../src/storage/file-log-store.js'
import type { LogStore } from '../../src/storage/log-store.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'
import {
  type BenchContext,
  type Measurement,
  measure,
  type Row,
  ratioRow,
  round,
  type Suite,
} from '../harness.js'
import { reopenRow } from './log-reopen.js'

const SUITE = 'log'
/** Distinct pre-encoded batches cycled through, so no append sees the same bytes twice in a row. */
const POOL = 16
/** Most bytes one append measurement may hand to a memory log. */
const MEMORY_BYTES_BUDGET = 256 * 1024 * 1024
/** Most batches one append measurement hands over (each is a Buffer object). */
const MAX_HANDED_BATCHES = 400_000

function encodeBatch(recordBytes: number, batchRecords: number, b: number): Buffer {
  const value = Buffer.alloc(recordBytes, 0x61)
  return encodeRecordBatch({
    baseOffset: 0n,
    records: Array.from({ length: batchRecords }, (_, i) => ({
      key: `key-${b}-${i}`,
      value,
      timestamp: 1_735_689_600_000 + i,
    })),
  })
}

function batches(recordBytes: number, batchRecords: number): Buffer[] {
  return Array.from({ length: POOL }, (_, b) => encodeBatch(recordBytes, batchRecords, b))
}

/**
 * `count` batches, each in a buffer of its own allocated as `encodeRecordBatch` allocates
 * (`Buffer.allocUnsafe`: a slice of Node's pool below 4 KiB, an ArrayBuffer of its own above).
 */
function handedOver(pool: Buffer[], count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const src = pool[i % POOL] as Buffer
    const copy = Buffer.allocUnsafe(src.length)
    copy.set(src)
    return copy
  })
}

/** Measure `a` and `b` alternately `rounds` times; the best of each. */
async function alternate(
  rounds: number,
  a: () => Promise<Measurement>,
  b: () => Promise<Measurement>,
): Promise<[Measurement, Measurement]> {
  let bestA: Measurement | undefined
  let bestB: Measurement | undefined
  for (let i = 0; i < rounds; i++) {
    const ma = await a()
    const mb = await b()
    if (!bestA || ma.opsPerSec > bestA.opsPerSec) bestA = ma
    if (!bestB || mb.opsPerSec > bestB.opsPerSec) bestB = mb
  }
  return [bestA as Measurement, bestB as Measurement]
}

async function openLog(store: LogStore, topic: string, clock = new VirtualClock()) {
  const partitionStore = await store.openPartition({ topic, partition: 0 })
  return PartitionLog.open({
    topicPartition: { topic, partition: 0 },
    store: partitionStore,
    clock,
  })
}

/**
 * A full GC before a timed append loop (with --expose-gc, as `npm run bench` runs), for the
 * baseline and the subject alike: allocating the handed-over batches (up to 256 MiB) just before
 * a loop of a few thousand calls otherwise lands a GC of that setup in whichever loop runs next.
 */
function settle(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

async function memoryCases(ctx: BenchContext, recordBytes: number, batchRecords: number) {
  const pool = batches(recordBytes, batchRecords)
  const batchBytes = pool[0]!.length
  const label = `${recordBytes} B x ${batchRecords}`
  const warmupCalls = batchBytes >= 64 * 1024 ? 10 : 100
  const maxCalls = Math.min(Math.floor(MEMORY_BYTES_BUDGET / batchBytes), MAX_HANDED_BATCHES)
  const opts = { seconds: ctx.seconds, opsPerCall: batchRecords, bytesPerCall: batchBytes }
  const handedOpts = { ...opts, warmupCalls, maxCalls }
  const rows: Row[] = []

  let handed = handedOver(pool, warmupCalls + maxCalls)
  const array: Buffer[] = []
  let n = 0
  settle()
  const baseline = await measure(() => array.push(handed[n++]!), handedOpts)
  array.length = 0

  const store = new MemoryLogStore()
  const log = await openLog(store, 'bench-mem')
  n = 0
  settle()
  const subject = await measure(() => log.append(handed[n++]!), handedOpts)
  rows.push(ratioRow(SUITE, `memory append ${label}`, subject, baseline, 0.5))

  handed = handedOver(pool, warmupCalls + maxCalls)
  const trustedStore = new MemoryLogStore()
  const trusted = await openLog(trustedStore, 'bench-mem-trusted')
  const noCrc = { verifyCrc: false }
  n = 0
  settle()
  const trustedSubject = await measure(() => trusted.append(handed[n++]!, noCrc), handedOpts)
  rows.push(
    ratioRow(SUITE, `memory append ${label}, verifyCrc: false`, trustedSubject, baseline, 0.5),
  )
  await trusted.close()
  await trustedStore.close()
  handed = []

  const reusedStore = new MemoryLogStore()
  const reused = await openLog(reusedStore, 'bench-mem-reused')
  n = 0
  settle()
  const reusedSubject = await measure(() => reused.append(pool[n++ % POOL]!), handedOpts)
  rows.push(
    ratioRow(
      SUITE,
      `memory append ${label}, 16 buffers re-appended (copied)`,
      reusedSubject,
      baseline,
    ),
  )
  await reused.close()
  await reusedStore.close()

  // Reads: the whole batches appended by the first subject, one batch per call, in order.
  const readArray = Array.from({ length: 4096 }, (_, i) => pool[i % POOL]!)
  let r = 0
  let sink = 0
  const readOpts = { ...opts, maxCalls: Number.POSITIVE_INFINITY }
  const readBaseline = await measure(() => {
    sink += readArray[r++ % readArray.length]!.length
  }, readOpts)
  const end = log.logEndOffset
  let offset = log.logStartOffset
  const readSubject = await measure(async () => {
    if (offset >= end) offset = log.logStartOffset
    const result = await log.read(offset, { maxBytes: batchBytes })
    offset += batchRecords
    sink += result.bytes.length
  }, readOpts)
  rows.push(ratioRow(SUITE, `memory read ${label}`, readSubject, readBaseline))
  await log.close()
  await store.close()
  if (sink < 0) console.log(sink)
  return rows
}

async function diskCase(
  ctx: BenchContext,
  pool: Buffer[],
  batchRecords: number,
  fsync: boolean,
  verifyCrc: boolean,
): Promise<[Measurement, Measurement]> {
  const batchBytes = pool[0]!.length
  const opts = {
    seconds: ctx.seconds / 3,
    opsPerCall: batchRecords,
    bytesPerCall: batchBytes,
    warmupCalls: 10,
    maxCalls: Math.floor(((fsync ? 32 : 128) * 1024 * 1024) / batchBytes),
  }
  const tag = `${fsync}-${verifyCrc}`
  const baseline = async () => {
    const rawPath = join(ctx.tmpDir, `raw-${tag}.log`)
    const fh = await open(rawPath, 'a')
    let n = 0
    const m = await measure(async () => {
      await fh.writev([pool[n++ % POOL]!])
      if (fsync) await fh.sync()
    }, opts)
    await fh.close()
    await rm(rawPath)
    return m
  }
  const subject = async () => {
    const dir = join(ctx.tmpDir, `files-${tag}`)
    const store = await FileLogStore.open(dir)
    const log = await openLog(store, 'bench-disk')
    const options = { verifyCrc }
    let n = 0
    const m = await measure(async () => {
      if (fsync) await log.appendDurable(pool[n++ % POOL]!, options)
      else {
        log.append(pool[n++ % POOL]!, options)
        await log.flush({ fsync: false })
      }
    }, opts)
    await log.close()
    await store.close()
    await rm(dir, { recursive: true, force: true })
    return m
  }
  const [b, s] = await alternate(3, baseline, subject)
  return [s, b]
}

async function diskCases(ctx: BenchContext, recordBytes: number, batchRecords: number) {
  const pool = batches(recordBytes, batchRecords)
  const label = `${recordBytes} B x ${batchRecords}`
  const rows: Row[] = []
  for (const [fsync, verifyCrc] of [
    [false, true],
    [false, false],
    [true, true],
  ] as const) {
    const [subject, baseline] = await diskCase(ctx, pool, batchRecords, fsync, verifyCrc)
    const mode = fsync ? 'fsync per batch' : 'no fsync'
    const crc = verifyCrc ? '' : ', verifyCrc: false'
    rows.push(ratioRow(SUITE, `disk append ${mode} ${label}${crc}`, subject, baseline, 0.5))
  }
  return rows
}

/**
 * Bytes the log retains per record beyond key and value: gc, measure, then encode and append
 * one batch at a time keeping nothing else, gc, measure again.
 */
async function memoryPerRecord(batchRecords: number): Promise<Row> {
  const gc = (globalThis as { gc?: () => void }).gc
  const total = 200_000
  const value = Buffer.alloc(100, 0x61)
  const keyBytes = 10
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const store = new MemoryLogStore()
  const log = await openLog(store, 'bench-bytes')
  gc?.()
  gc?.()
  const before = used()
  for (let b = 0; b < total / batchRecords; b++) {
    log.append(
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
  gc?.()
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

/**
 * MiB/s of writing fresh memory that is kept (as a log keeps what it copies: page faults on
 * first touch) against rewriting one MiB already in use.
 */
async function freshMemory(ctx: BenchContext): Promise<Row> {
  const mib = 1024 * 1024
  const opts = { seconds: ctx.seconds, bytesPerCall: mib, warmupCalls: 4, maxCalls: 256 }
  const warm = Buffer.allocUnsafeSlow(mib).fill(1)
  let sink = 0
  const baseline = await measure(() => {
    sink += warm.fill(sink & 0xff)[0]!
  }, opts)
  const kept: Buffer[] = []
  const subject = await measure(() => {
    kept.push(Buffer.allocUnsafeSlow(mib).fill(sink & 0xff))
  }, opts)
  sink += kept.length
  kept.length = 0
  if (sink < 0) console.log(sink)
  const name = 'reference: write 1 MiB of fresh memory (kept) vs memory in use'
  return { ...ratioRow(SUITE, name, subject, baseline), unit: 'MiB/s' }
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
    rows.push(await freshMemory(ctx))
    rows.push(await reopenRow(ctx, SUITE))
    return rows
  },
}

/**
 * Reopening a disk log (a row of the `log` suite): one partition's active segment holding
 * 128 MiB (32 MiB with `--quick`) of 1000-record batches of 100 B values, reopened after a
 * clean close (`PartitionLog.open({ cleanShutdown })`: nothing read) and as after a crash
 * (the active segment scanned and CRC-checked, producers replayed). Both over a fresh
 * `FileLogStore` each time, alternating three times, best of each. The baseline is the
 * recovering open: the ratio says how many times faster the clean one is.
 */
import { join } from 'node:path'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import type { CleanShutdown } from '../../src/storage/checkpoints.js'
import { FileLogStore } from '../../src/storage/file-log-store.js'
import { type BenchContext, type Row, round } from '../harness.js'

const TP = { topic: 'bench-reopen', partition: 0 }

async function open(dir: string, cleanShutdown?: CleanShutdown) {
  const store = await FileLogStore.open(dir)
  const log = await PartitionLog.open({
    topicPartition: TP,
    store: await store.openPartition(TP),
    clock: new VirtualClock(),
    ...(cleanShutdown ? { cleanShutdown } : {}),
  })
  return { store, log }
}

async function close({ store, log }: Awaited<ReturnType<typeof open>>) {
  await log.close()
  await store.close()
  return log.cleanShutdown as CleanShutdown
}

/** Milliseconds to open the log (with `clean`, trusting it), and what its close leaves. */
async function timedOpen(dir: string, clean?: CleanShutdown): Promise<[number, CleanShutdown]> {
  const started = process.hrtime.bigint()
  const opened = await open(dir, clean)
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (opened.log.recovery.clean !== (clean !== undefined)) throw new Error('unexpected recovery')
  return [ms, await close(opened)]
}

/** The reopen row. */
export async function reopenRow(ctx: BenchContext, suite: string): Promise<Row> {
  const mib = ctx.quick ? 32 : 128
  const dir = join(ctx.tmpDir, 'reopen')
  const value = Buffer.alloc(100, 0x61)
  const batch = () =>
    encodeRecordBatch({ records: Array.from({ length: 1000 }, () => ({ value, timestamp: 1 })) })
  const written = await open(dir)
  let bytes = 0
  while (bytes < mib * 1024 * 1024) {
    const b = batch()
    written.log.append(b)
    bytes += b.length
    if (written.log.logEndOffset % 100_000 === 0) await written.log.flush({ fsync: false })
  }
  let clean = await close(written)
  let cleanMs = Number.POSITIVE_INFINITY
  let recoverMs = Number.POSITIVE_INFINITY
  for (let round = 0; round < 3; round++) {
    const [c] = await timedOpen(dir, clean)
    const [r, afterRecovery] = await timedOpen(dir)
    cleanMs = Math.min(cleanMs, c)
    recoverMs = Math.min(recoverMs, r)
    clean = afterRecovery
  }
  return {
    suite,
    name: `disk reopen of a ${mib} MiB active segment: after a clean close vs recovering`,
    unit: 'ms',
    subject: round(cleanMs),
    baseline: round(recoverMs),
    ratio: round(recoverMs / cleanMs),
    extra: { 'x faster': round(recoverMs / cleanMs), MiB: mib },
  }
}

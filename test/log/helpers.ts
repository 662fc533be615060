import { VirtualClock } from '../../src/common/clock.js'
import { splitBatches } from '../../src/log/batch-header.js'
import type { LogConfig } from '../../src/log/log-config.js'
import { PartitionLog, type PartitionLogOptions } from '../../src/log/partition-log.js'
import { decodeRecordBatch, encodeRecordBatch } from '../../src/log/record-batch.js'
import type { RecordInput } from '../../src/log/record-types.js'
import { MemoryLogStore, type MemoryPartitionStore } from '../../src/storage/memory-log-store.js'

export const TP = { topic: 'orders', partition: 0 }

export interface Harness {
  clock: VirtualClock
  logStore: MemoryLogStore
  store: MemoryPartitionStore
  log: PartitionLog
  reopen(options?: Partial<PartitionLogOptions>): Promise<PartitionLog>
}

export async function openLog(
  config: Partial<LogConfig> = {},
  options: Partial<PartitionLogOptions> = {},
): Promise<Harness> {
  const clock = new VirtualClock()
  const logStore = new MemoryLogStore()
  const store = await logStore.openPartition(TP)
  const log = await PartitionLog.open({ topicPartition: TP, store, clock, config, ...options })
  const h: Harness = {
    clock,
    logStore,
    store,
    log,
    async reopen(more = {}) {
      await h.log.close()
      h.store = await logStore.openPartition(TP)
      h.log = await PartitionLog.open({
        topicPartition: TP,
        store: h.store,
        clock,
        config,
        ...options,
        ...more,
      })
      return h.log
    },
  }
  return h
}

/** A batch of `n` records with values `${prefix}${i}`, timestamps from the clock. */
export function batchOf(
  values: (string | null)[],
  options: { keys?: (string | null)[]; timestamp?: number } = {},
) {
  const records: RecordInput[] = values.map((value, i) => ({
    key: options.keys?.[i] ?? null,
    value,
    timestamp: options.timestamp ?? 1_000,
  }))
  return encodeRecordBatch({ records })
}

/** Every record in read bytes, as [offset, value]. */
export function recordsIn(bytes: Uint8Array): [number, string | null][] {
  return splitBatches(bytes).flatMap((b) =>
    decodeRecordBatch(b).records.map(
      (r) => [Number(r.offset), r.value?.toString() ?? null] as [number, string | null],
    ),
  )
}

/** Read the whole log from `from`, following nextOffset. */
export async function readAll(
  log: PartitionLog,
  from = log.logStartOffset,
): Promise<[number, string | null][]> {
  const out: [number, string | null][] = []
  let next = from
  while (next < log.logEndOffset) {
    const r = await log.read(next, { maxBytes: 1 })
    if (r.bytes.length === 0) break
    out.push(...recordsIn(r.bytes).filter(([o]) => o >= next))
    next = r.nextOffset
  }
  return out
}

export const code = (c: string) => expect.objectContaining({ code: c })

import { expect } from 'vitest'

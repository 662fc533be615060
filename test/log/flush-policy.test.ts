import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import type { FlushOptions, PartitionStore } from '../../src/storage/log-store.js'
import { MemoryLogStore } from '../../src/storage/memory-log-store.js'
import { batchOf, code, TP } from './helpers.js'

async function spied(config: Record<string, number> = {}) {
  const clock = new VirtualClock()
  const inner = await new MemoryLogStore().openPartition(TP)
  const flushes: FlushOptions[] = []
  let fail = false
  const spy = async (options: FlushOptions) => {
    flushes.push(options)
    if (fail) throw new Error('disk on fire')
  }
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'flush') return spy
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  }) as PartitionStore
  const log = await PartitionLog.open({ topicPartition: TP, store, clock, config })
  return {
    log,
    clock,
    flushes,
    failNext: () => {
      fail = true
    },
  }
}

describe('flush policy', () => {
  it('leaves flushing to the store by default', async () => {
    const { log, clock, flushes } = await spied()
    for (let i = 0; i < 100; i++) log.append(batchOf(['a']))
    await clock.advance(7 * 24 * 3600 * 1000)
    expect(flushes).toEqual([])
  })

  it('fsyncs every flush.messages records', async () => {
    const { log, flushes } = await spied({ 'flush.messages': 5 })
    for (let i = 0; i < 4; i++) log.append(batchOf(['a']))
    expect(flushes).toEqual([])
    log.append(batchOf(['a', 'b']))
    expect(flushes).toEqual([{ fsync: true }])
    for (let i = 0; i < 5; i++) log.append(batchOf(['a']))
    expect(flushes).toHaveLength(2)
  })

  it('fsyncs flush.ms after the first unflushed append', async () => {
    const { log, clock, flushes } = await spied({ 'flush.ms': 1000 })
    log.append(batchOf(['a']))
    await clock.advance(999)
    log.append(batchOf(['b']))
    expect(flushes).toEqual([])
    await clock.advance(1)
    expect(flushes).toEqual([{ fsync: true }])
    await clock.advance(5000)
    expect(flushes).toHaveLength(1)
  })

  it('takes flush.messages and flush.ms changed by setConfig on an open log', async () => {
    const { log, clock, flushes } = await spied()
    log.setConfig({ 'flush.messages': 2 })
    log.append(batchOf(['a']))
    expect(flushes).toEqual([])
    log.append(batchOf(['b']))
    expect(flushes).toEqual([{ fsync: true }])
    log.setConfig({ 'flush.messages': Number.MAX_SAFE_INTEGER, 'flush.ms': 1000 })
    log.append(batchOf(['c']))
    log.setConfig({ 'flush.ms': 100 })
    await clock.advance(100)
    expect(flushes).toHaveLength(2)
    log.setConfig({ 'flush.ms': Number.MAX_SAFE_INTEGER })
    log.append(batchOf(['d']))
    await clock.advance(7 * 24 * 3600 * 1000)
    expect(flushes).toHaveLength(2)
  })

  it('appendDurable waits for an fsync', async () => {
    const { log, flushes } = await spied()
    const info = await log.appendDurable(batchOf(['a']))
    expect(info.baseOffset).toBe(0)
    expect(flushes).toEqual([{ fsync: true }])
    await log.flush()
    expect(flushes.at(-1)).toEqual({ fsync: false })
  })

  it('reports a failed background flush on the next append', async () => {
    const { log, flushes, failNext } = await spied({ 'flush.messages': 1 })
    failNext()
    log.append(batchOf(['a']))
    expect(flushes).toHaveLength(1)
    await new Promise((r) => setImmediate(r))
    expect(() => log.append(batchOf(['b']))).toThrow(code('KAFKA_STORAGE_ERROR'))
    expect(log.logEndOffset).toBe(1)
  })
})

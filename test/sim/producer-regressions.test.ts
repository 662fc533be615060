/**
 * Bugs the whole-cluster simulation found in the producer (src/producer), fixed, and pinned
 * here by small deterministic cases: sends that waited for metadata landed out of send order;
 * a batch already sent under an old producer id was written again under the new one; an
 * idempotent sender waiting to reset its producer id spun on a 0 ms timer.
 */
import { describe, expect, it } from 'vitest'
import { createCluster } from '../../src/cluster.js'
import { readCommitted } from '../support/cluster-reader.js'
import { runSimulation, SIM_CONFIG } from './cluster-sim.js'

describe('producer bugs the simulation found (fixed)', () => {
  // Producer.#produce queues a send whose topic is not in the metadata snapshot when its own
  // TopicInfo.resolve ends; each resolve runs its own requests and retry loop, and a later
  // send that finds the topic known is queued at once. So records are appended out of send
  // order (here v1 and v2 land last), idempotence or not. Also on a live cluster: a metadata
  // answer from a restarted broker whose cache is still empty drops the topic from the
  // snapshot (sim seeds 36, 38, 39).
  it('an idempotent producer writes concurrent sends in send order (slow leader, first use)', async () => {
    const c = await createCluster({ brokers: 3, clock: 'virtual', seed: 1, config: SIM_CONFIG })
    try {
      await c
        .admin()
        .createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: 3 }] })
      const leader = c.topic('t').partitions[0]?.leader ?? -1
      c.network.slow(leader, 50)
      const producer = c.producer({ idempotent: true })
      const sends: Promise<unknown>[] = []
      for (let i = 0; i < 12; i++) {
        sends.push(producer.send({ topic: 't', messages: [{ value: `v${i}` }] }))
        if (i % 3 === 2) await new Promise((r) => setImmediate(r))
      }
      for (let i = 0; i < 50; i++) await c.clock.advance(100)
      await Promise.all(sends)
      c.network.slow(leader, 0)
      const values = (await readCommitted(c, 't', 0)).map((r) => r.value)
      expect(values).toEqual(Array.from({ length: 12 }, (_, i) => `v${i}`))
    } finally {
      await c.close()
    }
  })

  // Sender.#failed asks for a new producer id when any sent batch fails for good; #encode
  // then re-identifies every batch still waiting (new id, sequence from 0). A batch whose
  // earlier attempt was appended (here idem-46: NOT_ENOUGH_REPLICAS_AFTER_APPEND at 1@39,
  // then NOT_ENOUGH_REPLICAS on each retry while the ISR was short) is written again under
  // the new id (1@40), which the leader cannot recognise as a duplicate.
  it('an idempotent producer writes a retried batch once across a producer id reset (sim seed 1, 150 steps)', async () => {
    const result = await runSimulation(1, { steps: 150 })
    expect(result.violations.filter((v) => v.startsWith('[4-dup-new-pid]'))).toEqual([])
  })

  // Sender.drain: in state 'reset-pending' with a batch in flight #idempotenceReady is false
  // and `next = min(next, #pidRetryAt)` with #pidRetryAt = 0 (never set), so wakeAt(0) re-arms
  // a 0 ms timer on every drain until the in-flight request ends. Under the virtual clock
  // time never moves again (advance never returns); under the real clock it spins the CPU.
  it('an idempotent producer waiting to reset its producer id sets no 0 ms timer loop (sim seed 18)', async () => {
    const result = await runSimulation(18)
    expect(result.violations.filter((v) => v.startsWith('[livelock]'))).toEqual([])
  })
})

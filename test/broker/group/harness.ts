/**
 * A group coordinator alone under a VirtualClock: `__consumer_offsets` has one partition
 * (every group maps to it) and the replica host is a fake that acknowledges every append at
 * once and keeps the batches, so a second coordinator can load them.
 */
import type { ProduceRequest, ProduceResponse } from '../../../src/broker/api.js'
import { resolveBrokerConfig } from '../../../src/broker/config.js'
import { GroupCoordinator } from '../../../src/broker/group/group-coordinator.js'
import type { ReplicaHost } from '../../../src/broker/replica-host.js'
import { VirtualClock } from '../../../src/common/clock.js'
import { createRandom } from '../../../src/common/random.js'
import { decodeRecordBatch } from '../../../src/log/record-batch.js'

/** A fake log of `__consumer_offsets`-0: appends succeed at once. */
export class FakeOffsetsLog {
  readonly batches: Buffer[] = []
  next = 0
  /** When set, appends answer this error. */
  failWith: string | undefined
  /**
   * With `failWith`: the failed append lands in the log anyway (acks=-1 timing out after the
   * leader appended: the record may still be replicated and committed later).
   */
  landOnFailure = false
  /** When set, reads wait for it (the coordinator stays loading). */
  gate: Promise<void> | undefined
  /** When set, appends wait for it (an append waiting for the ISR). */
  produceGate: Promise<void> | undefined

  /** Append a batch at the log end; its base offset. */
  #land(records: Uint8Array): number {
    const bytes = Buffer.from(records)
    bytes.writeBigInt64BE(BigInt(this.next), 0)
    const count = decodeRecordBatch(bytes, { verifyCrc: false }).records.length
    const baseOffset = this.next
    this.next += count
    this.batches.push(bytes)
    return baseOffset
  }

  host(): ReplicaHost {
    return {
      produce: async (req: ProduceRequest): Promise<ProduceResponse> => {
        const data = req.topics[0]!.partitions[0]!
        if (this.produceGate !== undefined) await this.produceGate
        if (this.failWith !== undefined) {
          if (this.landOnFailure) this.#land(data.records)
          return {
            topics: [
              {
                topic: req.topics[0]!.topic,
                partitions: [
                  {
                    partition: data.partition,
                    baseOffset: -1,
                    logAppendTimeMs: -1,
                    logStartOffset: 0,
                    error: this.failWith as never,
                  },
                ],
              },
            ],
          }
        }
        const baseOffset = this.#land(data.records)
        return {
          topics: [
            {
              topic: req.topics[0]!.topic,
              partitions: [
                { partition: data.partition, baseOffset, logAppendTimeMs: -1, logStartOffset: 0 },
              ],
            },
          ],
        }
      },
      replica: () => undefined,
      readLocal: async (_tp: unknown, from: number) => {
        if (this.gate !== undefined) await this.gate
        const bytes = from === 0 ? Buffer.concat(this.batches) : Buffer.alloc(0)
        return {
          bytes,
          firstOffset: bytes.length > 0 ? 0 : -1,
          nextOffset: bytes.length > 0 ? this.next : from,
          highWatermark: this.next,
          logStartOffset: 0,
          logEndOffset: this.next,
        }
      },
    } as unknown as ReplicaHost
  }
}

/** A coordinator leading the single offsets partition, on a fresh virtual clock. */
export async function coordinator(
  config: Record<string, unknown> = {},
  log = new FakeOffsetsLog(),
  clock = new VirtualClock(),
) {
  const host = log.host()
  const gc = new GroupCoordinator({
    clock,
    random: createRandom(7),
    config: resolveBrokerConfig({
      'group.initial.rebalance.delay.ms': 0,
      'offsets.topic.num.partitions': 1,
      ...config,
    }),
    replicas: () => host,
    offsetsPartitionCount: () => 1,
    partitionExists: (topic) => topic !== 'missing',
  })
  const loaded = gc.onElection(0, 0)
  if (log.gate === undefined) await loaded
  return { gc, clock, log }
}

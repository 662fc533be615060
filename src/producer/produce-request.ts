/**
 * One produce request in the making: the batches bound for one leader with the same acks and
 * ISR timeout, at most one per partition (as Kafka's ProduceRequest), up to the request size
 * limit; and the lookup of each batch's answer in the response.
 */
import type {
  BrokerId,
  ProducePartitionResponse,
  ProduceRequest,
  ProduceResponse,
} from '../broker/api.js'
import type { PartitionQueue } from './accumulator.js'
import type { ProducerBatch } from './batch.js'

/** Batches gathered for one request. */
export class PendingRequest {
  /** The queues of the batches, index by index. */
  readonly queues: PartitionQueue[] = []
  /** The batches. */
  readonly batches: ProducerBatch[] = []
  /** Bytes of the batches. */
  sizeBytes = 0

  /**
   * An empty request.
   *
   * @param leader - the broker it goes to
   * @param acks - its acks
   * @param timeoutMs - the leader's ISR wait
   */
  constructor(
    readonly leader: BrokerId,
    readonly acks: -1 | 0 | 1,
    readonly timeoutMs: number,
  ) {}

  /** Add one encoded batch. */
  add(q: PartitionQueue, batch: ProducerBatch): void {
    this.queues.push(q)
    this.batches.push(batch)
    this.sizeBytes += batch.bytes?.length ?? 0
  }

  /** The request object, grouped by topic. */
  build(): ProduceRequest {
    const byTopic = new Map<string, { partition: number; records: Uint8Array }[]>()
    for (const b of this.batches) {
      let list = byTopic.get(b.topic)
      if (list === undefined) {
        list = []
        byTopic.set(b.topic, list)
      }
      list.push({ partition: b.partition, records: b.bytes as Buffer })
    }
    return {
      acks: this.acks,
      timeoutMs: this.timeoutMs,
      trusted: true,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    }
  }
}

/** The answer to one batch in a response, if the broker gave one. */
export function answerFor(
  response: ProduceResponse,
  batch: ProducerBatch,
): ProducePartitionResponse | undefined {
  for (const t of response.topics) {
    if (t.topic !== batch.topic) continue
    for (const p of t.partitions) if (p.partition === batch.partition) return p
  }
  return undefined
}

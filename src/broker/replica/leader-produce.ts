/**
 * The leader's side of Produce (Kafka's `ReplicaManager.appendRecords` and
 * `Partition.appendRecordsToLeader`): check leadership, acks and `min.insync.replicas`,
 * append each partition's batch stamped with the leader epoch, then answer at once (acks 0),
 * once the appended bytes are written to the operating system (acks 1; Kafka writes to the page
 * cache before it answers, so an acknowledged record survives a crash of the process) or once
 * they are written and the high watermark passes every batch (acks -1, see
 * {@link DelayedProduce}).
 * A log error (`CORRUPT_MESSAGE`, `MESSAGE_TOO_LARGE`, `OUT_OF_ORDER_SEQUENCE_NUMBER`, ...)
 * is that partition's answer and appends nothing; an idempotent duplicate answers with the
 * original offset.
 */
import type { Clock } from '../../common/clock.js'
import { type ErrorCode, InvalidArgumentError, isLogkeeperError } from '../../common/errors.js'
import type { ProduceRequest, ProduceResponse } from '../api.js'
import { DelayedProduce, type ProduceSlot } from './delayed-produce.js'
import { type Partition, partitionKey } from './partition.js'

/** What the leader's produce path needs from the replica manager. */
export interface LeaderProduceContext {
  /** Time and timers. */
  readonly clock: Clock
  /** The hosted partitions by {@link partitionKey}. */
  readonly partitions: ReadonlyMap<string, Partition>
}

function codeOf(err: unknown): ErrorCode {
  if (!isLogkeeperError(err)) return 'UNKNOWN_SERVER_ERROR'
  if (err.family === 'kafka') return err.code
  if (err.code === 'CLOSED') return 'NOT_LEADER_OR_FOLLOWER'
  if (err.code === 'INVALID_ARGUMENT') return 'INVALID_REQUEST'
  return 'UNKNOWN_SERVER_ERROR'
}

function checkProduce(req: ProduceRequest): void {
  if (typeof req !== 'object' || req === null || !Array.isArray(req.topics)) {
    throw new InvalidArgumentError('a produce request needs a topics array')
  }
  if (typeof req.timeoutMs !== 'number' || !(req.timeoutMs >= 0)) {
    throw new InvalidArgumentError(`timeoutMs must be a number ≥ 0, got ${String(req.timeoutMs)}`)
  }
}

/** Serve a produce as the leader. */
export function leaderProduce(
  ctx: LeaderProduceContext,
  req: ProduceRequest,
): Promise<ProduceResponse> {
  checkProduce(req)
  const acks = req.acks
  const badAcks = acks !== -1 && acks !== 0 && acks !== 1
  const trusted = req.trusted === true
  let op: DelayedProduce | undefined
  let answer: (() => void) | undefined
  const done =
    acks === -1
      ? new Promise<void>((resolve) => {
          answer = resolve
        })
      : undefined
  if (answer !== undefined) op = new DelayedProduce(ctx.clock, answer)
  const topics: { topic: string; partitions: ProduceSlot[] }[] = []
  const writes: Promise<void>[] = []
  for (const t of req.topics) {
    const partitions: ProduceSlot[] = []
    for (const data of t.partitions) {
      const slot: ProduceSlot = {
        partition: data.partition,
        baseOffset: -1,
        logAppendTimeMs: -1,
        logStartOffset: -1,
      }
      partitions.push(slot)
      const p = ctx.partitions.get(partitionKey(t.topic, data.partition))
      if (p === undefined) slot.error = 'UNKNOWN_TOPIC_OR_PARTITION'
      else if (!p.isLeader) slot.error = 'NOT_LEADER_OR_FOLLOWER'
      else if (badAcks) slot.error = 'INVALID_REQUIRED_ACKS'
      else if (acks === -1 && p.isr.length < p.minInsyncReplicas) {
        slot.error = 'NOT_ENOUGH_REPLICAS'
        slot.errorMessage = `ISR ${p.isr.length} < min.insync.replicas ${p.minInsyncReplicas}`
      } else if (appendOne(p, data.records, trusted, slot, op) && acks !== 0) {
        writes.push(written(p, slot))
      }
    }
    topics.push({ topic: t.topic, partitions })
  }
  const response: ProduceResponse = { topics }
  if (op !== undefined) op.start(req.timeoutMs)
  return Promise.all([done, ...writes]).then(() => response)
}

/** Wait until the partition's appended bytes are written to the OS; a failure is the slot's error. */
function written(p: Partition, slot: ProduceSlot): Promise<void> {
  return p.log.written().catch((err: unknown) => {
    slot.error = codeOf(err)
    if (err instanceof Error) slot.errorMessage = err.message
  })
}

function appendOne(
  p: Partition,
  records: Uint8Array,
  trusted: boolean,
  slot: ProduceSlot,
  op: DelayedProduce | undefined,
): boolean {
  const log = p.log
  let info: ReturnType<typeof log.append>
  try {
    info = log.append(records, p.appendOptions(trusted))
  } catch (err) {
    slot.error = codeOf(err)
    if (err instanceof Error) slot.errorMessage = err.message
    return false
  }
  slot.baseOffset = info.baseOffset
  slot.logAppendTimeMs = info.logAppendTimeMs
  slot.logStartOffset = info.logStartOffset
  if (!info.duplicate) p.onLeaderAppend()
  if (op !== undefined && info.lastOffset >= log.highWatermark) {
    p.acks.add(info.lastOffset + 1, op, slot)
  }
  return true
}

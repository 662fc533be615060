/**
 * CreatePartitions on the controller (Kafka's `ZkAdminManager.createPartitions` and
 * `AdminZkClient.addPartitions`): a topic only grows; the new partitions are placed from
 * partition 0's preferred leader on (or as the request assigns them), written into
 * `/brokers/topics/<t>` (conditional on its version), and awaited in the metadata cache.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { CreatePartitionsRequest, CreatePartitionsResponse, ResponseError } from '../api.js'
import {
  type AdminContext,
  checkAssignment,
  checkPartitionCount,
  duplicates,
  fail,
  liveBrokerIds,
  settle,
  TIMED_OUT,
  toResponseError,
} from './admin-context.js'
import { assignAddedPartitions } from './replica-placement.js'

type Item = CreatePartitionsRequest['topics'][number]

/** Serve CreatePartitions (the broker is the controller). */
export async function createPartitions(
  ctx: AdminContext,
  request: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  const dup = duplicates(request.topics.map((t) => t.name))
  const deleting = new Set(await ctx.zk.topicDeletions())
  const live = await liveBrokerIds(ctx)
  const results: ({ name: string } & ResponseError)[] = []
  const grown = new Map<string, number>()
  for (const item of request.topics) {
    if (dup.has(item.name)) {
      results.push({
        name: item.name,
        error: 'INVALID_REQUEST',
        errorMessage: 'Duplicate topic in request.',
      })
      continue
    }
    try {
      const count = await grow(ctx, item, live, deleting, request.validateOnly)
      if (!request.validateOnly) grown.set(item.name, count)
      results.push({ name: item.name })
    } catch (err) {
      results.push({ name: item.name, ...toResponseError(err) })
    }
  }
  if (grown.size === 0 || request.timeoutMs <= 0) return { results }
  const ready = (topic: string) => {
    const parts = ctx.cache.partitions(topic)
    return (
      parts !== undefined &&
      parts.length >= grown.get(topic)! &&
      parts.every((p) => ctx.cache.isLive(p.leader))
    )
  }
  const started = ctx.clock.now()
  const ok = await ctx.cache.waitFor(
    () => [...grown.keys()].every(ready),
    request.timeoutMs,
    ctx.clock,
  )
  if (ok) await settle(ctx, started, request.timeoutMs)
  return {
    results: results.map((r) => (grown.has(r.name) && !ready(r.name) ? { ...r, ...TIMED_OUT } : r)),
  }
}

async function grow(
  ctx: AdminContext,
  item: Item,
  live: readonly number[],
  deleting: ReadonlySet<string>,
  validateOnly: boolean,
): Promise<number> {
  const found = await ctx.zk.assignment(item.name)
  if (found === null) fail('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${item.name}' does not exist.`)
  if (deleting.has(item.name))
    fail('INVALID_TOPIC_EXCEPTION', `The topic '${item.name}' is queued for deletion.`)
  const old = found.assignment.length
  if (!Number.isSafeInteger(item.count))
    fail('INVALID_PARTITIONS', 'The partition count must be an integer.')
  if (item.count === old) fail('INVALID_PARTITIONS', `Topic already has ${old} partitions.`)
  checkPartitionCount(item.count)
  if (item.count < old) {
    fail(
      'INVALID_PARTITIONS',
      `Topic currently has ${old} partitions, which is higher than the requested ${item.count}.`,
    )
  }
  const added = item.count - old
  const factor = found.assignment[0]!.length
  let extra: number[][]
  if (item.assignments !== undefined && item.assignments !== null) {
    if (item.assignments.length !== added) {
      fail(
        'INVALID_REPLICA_ASSIGNMENT',
        `Increasing the number of partitions by ${added} but ${item.assignments.length} assignments provided.`,
      )
    }
    extra = item.assignments.map((a) => [...a])
    checkAssignment(extra, live, factor)
  } else {
    extra = assignAddedPartitions(live, found.assignment[0]!, old, added)
  }
  if (validateOnly) return item.count
  try {
    await ctx.zk.setAssignment(item.name, [...found.assignment, ...extra], found.version)
  } catch (err) {
    if (isLogkeeperError(err, 'BAD_VERSION'))
      fail('INVALID_REQUEST', `The topic '${item.name}' changed meanwhile; try again.`)
    throw err
  }
  return item.count
}

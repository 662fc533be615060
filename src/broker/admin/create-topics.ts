/**
 * CreateTopics on the controller (Kafka's `ZkAdminManager.createTopics`): validate each topic
 * (name, existing topics and `.`/`_` collisions, partitions, replication factor against the
 * live brokers, manual assignments, configs), write `/config/topics/<t>` and
 * `/brokers/topics/<t>`, then wait up to `timeoutMs` for every partition to have a leader in
 * this broker's metadata cache; past it the topic stays created and the answer is
 * `REQUEST_TIMED_OUT`, as in Kafka.
 */
import { isLogkeeperError } from '../../common/errors.js'
import { topicNameProblem, topicNamesCollide } from '../../log/topic-name.js'
import type {
  CreatableTopic,
  CreatableTopicResult,
  CreateTopicsRequest,
  CreateTopicsResponse,
} from '../api.js'
import { parseTopicConfig } from '../config.js'
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
import { assignReplicasToBrokers } from './replica-placement.js'

/** A validated topic, ready to write. */
interface Plan {
  readonly name: string
  readonly assignment: number[][]
  readonly configs: Record<string, string>
}

/** Serve CreateTopics (the broker is the controller). */
export async function createTopics(
  ctx: AdminContext,
  request: CreateTopicsRequest,
): Promise<CreateTopicsResponse> {
  const dup = duplicates(request.topics.map((t) => t.name))
  const existing = await ctx.zk.topics()
  const live = await liveBrokerIds(ctx)
  const results: CreatableTopicResult[] = []
  const created: Plan[] = []
  for (const topic of request.topics) {
    const failed = { name: topic.name, numPartitions: -1, replicationFactor: -1 }
    if (dup.has(topic.name)) {
      results.push({
        ...failed,
        error: 'INVALID_REQUEST',
        errorMessage: 'Create topics request contains multiple entries for this topic.',
      })
      continue
    }
    try {
      const plan = plan1(ctx, topic, existing, live)
      if (!request.validateOnly) {
        await write(ctx, plan)
        created.push(plan)
        existing.push(plan.name)
      }
      results.push({
        name: topic.name,
        numPartitions: plan.assignment.length,
        replicationFactor: plan.assignment[0]!.length,
      })
    } catch (err) {
      results.push({ ...failed, ...toResponseError(err) })
    }
  }
  if (created.length === 0 || request.timeoutMs <= 0) return { topics: results }
  const ready = (p: Plan) => {
    const parts = ctx.cache.partitions(p.name)
    return (
      parts !== undefined &&
      parts.length >= p.assignment.length &&
      parts.every((s) => ctx.cache.isLive(s.leader))
    )
  }
  const started = ctx.clock.now()
  const ok = await ctx.cache.waitFor(() => created.every(ready), request.timeoutMs, ctx.clock)
  if (ok) await settle(ctx, started, request.timeoutMs)
  return {
    topics: results.map((r) => {
      const plan = created.find((p) => p.name === r.name)
      return plan !== undefined && !ready(plan) ? { ...r, ...TIMED_OUT } : r
    }),
  }
}

function plan1(
  ctx: AdminContext,
  topic: CreatableTopic,
  existing: readonly string[],
  live: readonly number[],
): Plan {
  const problem = topicNameProblem(topic.name)
  if (problem !== undefined) fail('INVALID_TOPIC_EXCEPTION', problem)
  if (existing.includes(topic.name))
    fail('TOPIC_ALREADY_EXISTS', `Topic '${topic.name}' already exists.`)
  const clash = existing.find((t) => topicNamesCollide(t, topic.name))
  if (clash !== undefined) {
    fail('INVALID_TOPIC_EXCEPTION', `Topic '${topic.name}' collides with existing topic: ${clash}`)
  }
  const configs = checkConfigs(topic.configs)
  if (topic.assignments !== undefined && topic.assignments.length > 0) {
    return { name: topic.name, assignment: manual(topic, live), configs }
  }
  const partitions = topic.numPartitions === -1 ? ctx.config['num.partitions'] : topic.numPartitions
  const factor =
    topic.replicationFactor === -1
      ? ctx.config['default.replication.factor']
      : topic.replicationFactor
  if (!Number.isSafeInteger(partitions))
    fail('INVALID_PARTITIONS', 'Number of partitions must be an integer.')
  checkPartitionCount(partitions)
  if (!Number.isSafeInteger(factor))
    fail('INVALID_REPLICATION_FACTOR', 'Replication factor must be an integer.')
  const assignment = assignReplicasToBrokers(live, partitions, factor, { random: ctx.random })
  return { name: topic.name, assignment, configs }
}

function manual(topic: CreatableTopic, live: readonly number[]): number[][] {
  const byPartition = new Map<number, readonly number[]>()
  for (const a of topic.assignments ?? []) {
    if (byPartition.has(a.partition))
      fail(
        'INVALID_REPLICA_ASSIGNMENT',
        `Duplicate partition ${a.partition} in replica assignment.`,
      )
    byPartition.set(a.partition, a.brokerIds)
  }
  checkPartitionCount(byPartition.size)
  const assignment: number[][] = []
  for (let p = 0; p < byPartition.size; p++) {
    const replicas = byPartition.get(p)
    if (replicas === undefined) {
      fail(
        'INVALID_REPLICA_ASSIGNMENT',
        'Partitions should be a consecutive 0-based integer sequence.',
      )
    }
    assignment.push([...replicas])
  }
  checkAssignment(assignment, live)
  return assignment
}

/** Validate configs (`INVALID_CONFIG`); keep them as the strings given, as Kafka stores them. */
export function checkConfigs(
  configs: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  if (configs === undefined) return {}
  parseTopicConfig(configs)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(configs)) out[k] = String(v)
  return out
}

async function write(ctx: AdminContext, plan: Plan): Promise<void> {
  try {
    await ctx.zk.createTopic(plan.name, plan.assignment, plan.configs)
  } catch (err) {
    if (isLogkeeperError(err, 'NODE_EXISTS'))
      fail('TOPIC_ALREADY_EXISTS', `Topic '${plan.name}' already exists.`)
    throw err
  }
}

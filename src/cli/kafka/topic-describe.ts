/**
 * `topics --describe`, in `kafka-topics.sh`'s layout: per topic a header line
 * (`Topic: t01\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: k=v,...`) and one
 * tab-led line per partition (`\tTopic: t01\tPartition: 0\tLeader: 2\tReplicas: 2,1\tIsr: 2,1`).
 * logkeeper's topics have no topic id, so `TopicId:` is left out, as Kafka leaves out a zero
 * id. Right after a data directory reopens, partitions may have no leader for a moment while
 * the brokers open their logs: the description is asked again (bounded) until they do.
 */
import type { Admin } from '../../admin/admin.js'
import type { PartitionDescription, TopicDescription } from '../../admin/types.js'
import { withRetries } from '../../client/retry.js'
import type { Cluster } from '../../cluster.js'
import { fromCode, isLogkeeperError } from '../../common/errors.js'
import type { CliIo } from '../io.js'
import { markedForDeletion, namedTopics } from './topic-lookup.js'
import type { TopicsRequest } from './topics-request.js'

/** How often the description is asked again while partitions have no leader (about 4 s). */
const LEADER_RETRIES = 10

/** The topics' descriptions, once every partition has a leader or the retries run out. */
async function describeWithLeaders(
  cluster: Cluster,
  admin: Admin,
  topics: readonly string[],
): Promise<TopicDescription[]> {
  let last: TopicDescription[] | undefined
  const attempt = async () => {
    last = await admin.describeTopics({ topics })
    if (last.some((t) => t.partitions.some((p) => p.leader < 0))) {
      throw fromCode('LEADER_NOT_AVAILABLE', 'partitions without a leader')
    }
    return last
  }
  try {
    return await withRetries(attempt, {
      clock: cluster.clock,
      retries: LEADER_RETRIES,
      maxBackoffMs: 500,
    })
  } catch (error) {
    if (last !== undefined && isLogkeeperError(error, 'LEADER_NOT_AVAILABLE')) return last
    throw error
  }
}

/** The overridden configs of each topic (`name=value`), by topic. */
async function overrides(admin: Admin, topics: readonly string[]): Promise<Map<string, string[]>> {
  const described = await admin.describeConfigs({
    resources: topics.map((name) => ({ type: 'topic' as const, name })),
  })
  return new Map(
    described.map((d) => [
      d.name,
      d.configs.filter((c) => !c.isDefault).map((c) => `${c.name}=${c.value ?? ''}`),
    ]),
  )
}

const MARK = '\tMarkedForDeletion: true'

function headerLine(t: TopicDescription, configs: readonly string[], marked: boolean): string {
  const factor = t.partitions[0]?.replicas.length ?? 0
  return (
    `Topic: ${t.name}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${factor}` +
    `\tConfigs: ${configs.join(',')}${marked ? MARK : ''}`
  )
}

function partitionLine(topic: string, p: PartitionDescription, marked: boolean): string {
  const leader = p.leader < 0 ? 'none' : String(p.leader)
  return (
    `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${leader}` +
    `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}${marked ? MARK : ''}`
  )
}

/** Which partitions the report options keep (all of them without one). */
function partitionFilter(
  request: TopicsRequest,
  live: ReadonlySet<number>,
): ((p: PartitionDescription) => boolean) | undefined {
  if (!request.underReplicated && !request.unavailable) return undefined
  return (p) =>
    (request.underReplicated && p.isr.length < p.replicas.length) ||
    (request.unavailable && (p.leader < 0 || !live.has(p.leader)))
}

/** `--describe`: the named topics (all without `--topic`), as `kafka-topics.sh` prints them. */
export async function describeTopics(
  cluster: Cluster,
  admin: Admin,
  request: TopicsRequest,
  io: CliIo,
  help: string,
): Promise<void> {
  const topics = await namedTopics(admin, request, help)
  if (topics.length === 0) return
  const descriptions = (await describeWithLeaders(cluster, admin, topics)).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )
  const configs = await overrides(admin, topics)
  const marked = await markedForDeletion(cluster)
  const live = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId))
  const onlySome = partitionFilter(request, live)
  for (const t of descriptions) {
    const own = configs.get(t.name) ?? []
    const isMarked = marked.has(t.name)
    if (onlySome === undefined && (!request.withOverrides || own.length > 0)) {
      io.stdout.line(headerLine(t, own, isMarked))
    }
    if (request.withOverrides) continue
    for (const p of t.partitions) {
      if (onlySome === undefined || onlySome(p)) io.stdout.line(partitionLine(t.name, p, isMarked))
    }
    await io.stdout.ready()
  }
}

/**
 * The topic a console command works on: its name checked as Kafka checks it (a usage error),
 * and whether it exists. A missing topic is created on first use when the cluster's
 * `auto.create.topics.enable` is on (as Kafka's clients have a broker create it through
 * their Metadata request), else it is an error that says so, at once rather than after
 * Kafka's 60 s metadata wait.
 */
import type { Cluster, Topic } from '../../cluster.js'
import { isLogkeeperError } from '../../common/errors.js'
import { topicNameProblem } from '../../log/topic-name.js'
import { UsageError, UserError } from '../errors.js'
import type { TimestampType } from './formatter.js'

/** Check the name of `topic`: a usage error when Kafka would refuse it. */
export function checkTopicName(topic: string, help: string): void {
  const problem = topicNameProblem(topic)
  if (problem !== undefined) throw new UsageError(`--topic: ${problem}`, help)
}

/** The topic as the cluster sees it now, or undefined when it does not exist. */
export function findTopic(cluster: Cluster, topic: string): Topic | undefined {
  try {
    return cluster.topic(topic)
  } catch (error) {
    if (isLogkeeperError(error, 'UNKNOWN_TOPIC_OR_PARTITION')) return undefined
    throw error
  }
}

/**
 * Refuse a missing topic unless the cluster creates topics on first use; the topic as it
 * is now (undefined when it will be created by its first use).
 */
export function topicOrAutoCreated(cluster: Cluster, topic: string): Topic | undefined {
  const found = findTopic(cluster, topic)
  if (found !== undefined || cluster.config['auto.create.topics.enable']) return found
  throw new UserError(
    `topic ${topic} does not exist and auto.create.topics.enable is false ` +
      `(create it first: logkeeper topics --create --topic ${topic})`,
  )
}

/**
 * Create `topic` with the cluster's defaults (`num.partitions`, `default.replication.factor`),
 * as a Kafka client's Metadata request has a broker create it; one created meanwhile is taken.
 */
export async function createTopic(cluster: Cluster, topic: string): Promise<Topic> {
  try {
    await cluster.admin({ clientId: 'console-consumer' }).createTopics({ topics: [{ topic }] })
  } catch (error) {
    if (!isLogkeeperError(error, 'TOPIC_ALREADY_EXISTS')) throw error
  }
  return cluster.topic(topic)
}

/** The topic's `message.timestamp.type`, as the consumer's formatter prints it. */
export async function timestampTypeOf(cluster: Cluster, topic: string): Promise<TimestampType> {
  const [described] = await cluster.admin({ clientId: 'console-consumer' }).describeConfigs({
    resources: [{ type: 'topic', name: topic, configNames: ['message.timestamp.type'] }],
  })
  const entry = described?.configs.find((c) => c.name === 'message.timestamp.type')
  return entry?.value === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime'
}

/**
 * The `topics` actions that change or list topics, with `kafka-topics.sh`'s messages (its
 * ZooKeeper-mode service, which marks deletions as logkeeper's controller does): `--create`,
 * `--list`, `--alter` (partitions only grow) and `--delete`.
 */
import type { Admin } from '../../admin/admin.js'
import type { Cluster } from '../../cluster.js'
import { isLogkeeperError } from '../../common/errors.js'
import { UserError } from '../errors.js'
import type { CliIo } from '../io.js'
import { asUserError } from './failure.js'
import { isInternalTopic, selectTopics } from './topic-filter.js'
import { markedForDeletion, namedTopics } from './topic-lookup.js'
import type { TopicsRequest } from './topics-request.js'

/** Kafka's prefix of a failed admin request. */
export const TOPIC_ERROR = 'Error while executing topic command : '

const MAX_REPLICATION_FACTOR = 32767

const COLLISION_WARNING =
  "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') " +
  'could collide. To avoid issues it is best to use either, but not both.'

const ALTER_WARNING =
  'WARNING: If partitions are increased for a topic that has a key, the partition logic or ' +
  'ordering of the messages will be affected'

function checkCreateNumbers(request: TopicsRequest): void {
  const rf = request.replicationFactor
  if (rf !== undefined && (rf < 1 || rf > MAX_REPLICATION_FACTOR)) {
    throw new UserError(
      `The replication factor must be between 1 and ${MAX_REPLICATION_FACTOR} inclusive`,
    )
  }
  if (request.partitions !== undefined && request.partitions < 1) {
    throw new UserError('The partitions must be greater than 0')
  }
}

/** `--create`: "Created topic t01."; an existing topic is an error unless `--if-not-exists`. */
export async function createTopic(admin: Admin, request: TopicsRequest, io: CliIo): Promise<void> {
  const topic = request.topic as string
  checkCreateNumbers(request)
  if (topic.includes('.') || topic.includes('_')) io.stdout.line(COLLISION_WARNING)
  try {
    await admin.createTopics({
      topics: [
        {
          topic,
          ...(request.partitions === undefined ? {} : { numPartitions: request.partitions }),
          ...(request.replicationFactor === undefined
            ? {}
            : { replicationFactor: request.replicationFactor }),
          configs: request.configs,
        },
      ],
    })
  } catch (error) {
    if (isLogkeeperError(error, 'TOPIC_ALREADY_EXISTS') && request.ifNotExists) return
    asUserError(error, TOPIC_ERROR, topic)
  }
  io.stdout.line(`Created topic ${topic}.`)
}

/** `--list`: the names, sorted, internal topics included unless `--exclude-internal`. */
export async function listTopics(
  cluster: Cluster,
  admin: Admin,
  request: TopicsRequest,
  io: CliIo,
  help: string,
): Promise<void> {
  const all = await admin.listTopics({ listInternal: true })
  const marked = await markedForDeletion(cluster)
  for (const topic of selectTopics(all, request.topic, request.excludeInternal, help)) {
    io.stdout.line(marked.has(topic) ? `${topic} - marked for deletion` : topic)
  }
}

/** `--alter --partitions N`: grow each named topic to N partitions. */
export async function alterTopics(
  admin: Admin,
  request: TopicsRequest,
  io: CliIo,
  help: string,
): Promise<void> {
  const count = request.partitions as number
  for (const topic of await namedTopics(admin, request, help)) {
    if (isInternalTopic(topic)) {
      throw new UserError(
        `${TOPIC_ERROR}The number of partitions for the internal topic ${topic} cannot be changed.`,
      )
    }
    io.stdout.line(ALTER_WARNING)
    try {
      await admin.createPartitions({ topicPartitions: [{ topic, count }] })
    } catch (error) {
      asUserError(error, TOPIC_ERROR, topic)
    }
    io.stdout.line('Adding partitions succeeded!')
  }
}

/**
 * `--delete`: mark each named topic for deletion; the controller deletes it when
 * `delete.topic.enable` is true, and leaves it marked otherwise.
 */
export async function deleteTopics(
  cluster: Cluster,
  admin: Admin,
  request: TopicsRequest,
  io: CliIo,
  help: string,
): Promise<void> {
  const topics = await namedTopics(admin, request, help)
  const marked = await markedForDeletion(cluster)
  for (const topic of topics) {
    if (isInternalTopic(topic)) {
      throw new UserError(
        `${TOPIC_ERROR}Topic ${topic} is a kafka internal topic and is not allowed to be marked for deletion.`,
      )
    }
    if (marked.has(topic)) {
      io.stdout.line(`Topic ${topic} is already marked for deletion.`)
      continue
    }
    try {
      await admin.deleteTopics({ topics: [topic] })
    } catch (error) {
      if (!isLogkeeperError(error, 'TOPIC_DELETION_DISABLED'))
        asUserError(error, TOPIC_ERROR, topic)
    }
    io.stdout.line(`Topic ${topic} is marked for deletion.`)
    io.stdout.line('Note: This will have no impact if delete.topic.enable is not set to true.')
  }
}

/**
 * What the `topics` actions look up before they act: the topics a `--topic` expression names
 * (Kafka's `getTopics` and `ensureTopicExists`) and the topics marked for deletion under
 * `/admin/delete_topics`, read from the cluster's coordinator as Kafka's ZooKeeper-mode tool
 * reads them.
 */
import type { Admin } from '../../admin/admin.js'
import { DELETE_TOPICS_PATH } from '../../broker/zk/paths.js'
import type { Cluster } from '../../cluster.js'
import { UserError } from '../errors.js'
import { selectTopics } from './topic-filter.js'
import type { TopicsRequest } from './topics-request.js'

/**
 * The existing topics the request's `--topic` names (every topic without one), sorted; none
 * found for a named topic is a {@link UserError} unless `--if-exists`.
 */
export async function namedTopics(
  admin: Admin,
  request: TopicsRequest,
  help: string,
): Promise<string[]> {
  const all = await admin.listTopics({ listInternal: true })
  const found = selectTopics(all, request.topic, request.excludeInternal, help)
  if (request.topic !== undefined && found.length === 0 && !request.ifExists) {
    throw new UserError(`Topic '${request.topic}' does not exist as expected`)
  }
  return found
}

/** The topics marked for deletion (the children of `/admin/delete_topics`). */
export async function markedForDeletion(cluster: Cluster): Promise<Set<string>> {
  const client = cluster.coordinator.connect()
  try {
    return new Set(await client.getChildren(DELETE_TOPICS_PATH))
  } finally {
    await client.close()
  }
}

/**
 * The znode paths Kafka (ZooKeeper mode, 2.8–3.x) keeps its cluster metadata under, as
 * `kafka.zk.ZkData` names them. `ls /brokers/ids` in a ZooKeeper shell lists the live brokers.
 */

/** Parent of the brokers' ephemeral registrations. */
export const BROKER_IDS_PATH = '/brokers/ids'
/** Parent of the topics' replica assignments. */
export const TOPICS_PATH = '/brokers/topics'
/** The active controller's ephemeral node. */
export const CONTROLLER_PATH = '/controller'
/** How many controllers there have been (the controller epoch). */
export const CONTROLLER_EPOCH_PATH = '/controller_epoch'
/** Parent of the topics' config overrides. */
export const TOPIC_CONFIGS_PATH = '/config/topics'
/** Parent of the config change notifications. */
export const CONFIG_CHANGES_PATH = '/config/changes'
/** The name prefix of a config change notification (a persistent-sequential node). */
export const CONFIG_CHANGE_PREFIX = 'config_change_'
/** Parent of the topics marked for deletion. */
export const DELETE_TOPICS_PATH = '/admin/delete_topics'
/** Parent of the leaders' ISR change notifications. */
export const ISR_CHANGES_PATH = '/isr_change_notification'
/** The name prefix of an ISR change notification (a persistent-sequential node). */
export const ISR_CHANGE_PREFIX = 'isr_change_'
/** The last producer-id block handed out. */
export const PRODUCER_ID_BLOCK_PATH = '/latest_producer_id_block'
/** The cluster id. */
export const CLUSTER_ID_PATH = '/cluster/id'

/** The persistent paths every broker makes sure exist at startup (as Kafka's `PersistentZkPaths`). */
export const PERSISTENT_PATHS: readonly string[] = [
  '/brokers',
  BROKER_IDS_PATH,
  TOPICS_PATH,
  '/config',
  TOPIC_CONFIGS_PATH,
  CONFIG_CHANGES_PATH,
  '/config/brokers',
  '/admin',
  DELETE_TOPICS_PATH,
  ISR_CHANGES_PATH,
  '/cluster',
]

/** `/brokers/ids/<id>`. */
export function brokerPath(id: number): string {
  return `${BROKER_IDS_PATH}/${id}`
}

/** `/brokers/topics/<topic>`. */
export function topicPath(topic: string): string {
  return `${TOPICS_PATH}/${topic}`
}

/** `/brokers/topics/<topic>/partitions`. */
export function partitionsPath(topic: string): string {
  return `${topicPath(topic)}/partitions`
}

/** `/brokers/topics/<topic>/partitions/<p>`. */
export function partitionPath(topic: string, partition: number): string {
  return `${partitionsPath(topic)}/${partition}`
}

/** `/brokers/topics/<topic>/partitions/<p>/state`. */
export function partitionStatePath(topic: string, partition: number): string {
  return `${partitionPath(topic, partition)}/state`
}

/** `/config/topics/<topic>`. */
export function topicConfigPath(topic: string): string {
  return `${TOPIC_CONFIGS_PATH}/${topic}`
}

/** `/admin/delete_topics/<topic>`. */
export function deleteTopicPath(topic: string): string {
  return `${DELETE_TOPICS_PATH}/${topic}`
}

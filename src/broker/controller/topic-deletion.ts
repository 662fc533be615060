/**
 * Topic deletion (Kafka's `TopicDeletionManager`, simplified). A topic marked under
 * `/admin/delete_topics` is deleted when `delete.topic.enable` is on: every replica gets
 * StopReplica with `deletePartition` (all replicas must be live, else the deletion waits for
 * them), then the topic's znodes, config and mark are removed and every broker hears
 * `deletedTopics` in an UpdateMetadata. With `delete.topic.enable` off the mark stays and the
 * topic stays.
 */
import { fromCode } from '../../common/errors.js'
import type { BrokerId, StopReplicaRequest } from '../api.js'
import type { BrokerConfig } from '../config.js'
import type { KafkaZk } from '../zk/kafka-zk.js'
import type { ControllerChannel } from './channel.js'
import type { ControllerContext } from './controller-context.js'
import { ControllerMovedError, isEpochCheckFailure } from './errors.js'
import type { Propagation } from './propagation.js'

/** What deletion works with. */
export interface TopicDeletionDeps {
  /** The controller's state. */
  readonly ctx: ControllerContext
  /** Its coordinator access. */
  readonly zk: KafkaZk
  /** Its request queues. */
  readonly channel: ControllerChannel
  /** Its request batches. */
  readonly send: Propagation
  /** Its broker id. */
  readonly controllerId: BrokerId
  /** Runs `fn` as a controller event. */
  readonly enqueue: (fn: () => Promise<void>) => Promise<void>
}

/** The controller's topic deletions. */
export class TopicDeletion {
  readonly #inProgress = new Set<string>()

  /** Deleting through `deps`. */
  constructor(private readonly deps: TopicDeletionDeps) {}

  /** Read the marks (re-arming `watch`), queue the topics that exist, and go on deleting. */
  async onMarksChanged(
    watch: () => void,
    config: Readonly<BrokerConfig>,
    resume = true,
  ): Promise<void> {
    const { ctx, zk } = this.deps
    for (const topic of await zk.topicDeletions(watch)) {
      if (!ctx.topics.has(topic)) {
        await zk.deleteMark(topic)
        continue
      }
      if (config['delete.topic.enable']) ctx.topicsToDelete.add(topic)
    }
    if (resume) this.resume(config)
  }

  /** Start deleting each queued topic whose replicas are all live. */
  resume(config: Readonly<BrokerConfig>): void {
    if (!config['delete.topic.enable']) return
    const { ctx } = this.deps
    for (const topic of ctx.topicsToDelete) {
      if (this.#inProgress.has(topic)) continue
      const entry = ctx.topics.get(topic)
      if (entry === undefined) {
        ctx.topicsToDelete.delete(topic)
        continue
      }
      const brokers = [...new Set(entry.replicas.flat())]
      if (!brokers.every(ctx.isLive)) continue
      this.#inProgress.add(topic)
      const sends = brokers.map((id) => this.#stopReplicas(id, topic, entry.replicas))
      Promise.all(sends).then(
        () => void this.deps.enqueue(() => this.#complete(topic)),
        () => void this.deps.enqueue(async () => void this.#inProgress.delete(topic)),
      )
    }
  }

  #stopReplicas(id: BrokerId, topic: string, replicas: readonly (readonly BrokerId[])[]) {
    const request: StopReplicaRequest = {
      controllerId: this.deps.controllerId,
      controllerEpoch: this.deps.ctx.epoch,
      partitions: replicas
        .map((r, partition) => ({ r, partition }))
        .filter(({ r }) => r.includes(id))
        .map(({ partition }) => ({ topic, partition, deletePartition: true })),
    }
    return this.deps.channel.send(id, 'StopReplica', request).then((response) => {
      // Only a clean answer counts (Kafka's ReplicaDeletionSuccessful); any error leaves the
      // topic marked, to be tried again when a broker starts or the marks change.
      const failed = response.error ?? response.partitions.find((p) => p.error)?.error
      if (failed !== undefined) throw fromCode(failed, `broker ${id} did not delete ${topic}`)
    })
  }

  async #complete(topic: string): Promise<void> {
    const { ctx, zk, send } = this.deps
    this.#inProgress.delete(topic)
    try {
      await zk.deleteTopicZnodes(ctx.epochZkVersion, topic)
    } catch (err) {
      if (isEpochCheckFailure(err)) throw new ControllerMovedError()
      throw err
    }
    ctx.topics.delete(topic)
    ctx.topicsToDelete.delete(topic)
    send.updateMetadata([], { deletedTopics: [topic] })
  }
}

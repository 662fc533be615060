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

/** One round of StopReplica requests for a topic. */
interface Attempt {
  /** The brokers that have not answered yet. */
  readonly waiting: Set<BrokerId>
}

/** The controller's topic deletions. */
export class TopicDeletion {
  /** The topics whose StopReplica requests are out, each with its attempt. */
  readonly #inProgress = new Map<string, Attempt>()

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
      const attempt: Attempt = { waiting: new Set(brokers) }
      this.#inProgress.set(topic, attempt)
      const sends = brokers.map((id) =>
        this.#stopReplicas(id, topic, entry.replicas).then(() => attempt.waiting.delete(id)),
      )
      Promise.all(sends).then(
        () => void this.deps.enqueue(() => this.#complete(topic, attempt)),
        () => void this.deps.enqueue(async () => void this.#end(topic, attempt)),
      )
    }
  }

  /**
   * Brokers `dead` left (their queues are dropped): the attempts still waiting for one of
   * them end now, before the same event sees a broker start again and resumes the deletion
   * (Kafka marks those replicas ineligible and retries them at their broker's startup; a
   * replica that already answered stays deleted). Left to the failed attempt's own callback,
   * which runs after that event, a broker that registered again at once (its session ended
   * and it came back before the controller looked) was never asked again.
   */
  onBrokersDead(dead: readonly BrokerId[]): void {
    for (const [topic, attempt] of [...this.#inProgress]) {
      if (dead.some((id) => attempt.waiting.has(id))) this.#inProgress.delete(topic)
    }
  }

  /** End `attempt` if it is still `topic`'s current one; true if it was. */
  #end(topic: string, attempt: Attempt): boolean {
    if (this.#inProgress.get(topic) !== attempt) return false
    this.#inProgress.delete(topic)
    return true
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

  async #complete(topic: string, attempt: Attempt): Promise<void> {
    const { ctx, zk, send } = this.deps
    if (!this.#end(topic, attempt)) return
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

/**
 * What the controller tells brokers (Kafka's `ControllerBrokerRequestBatch`): LeaderAndIsr to
 * the replicas of changed partitions, UpdateMetadata with their states to every live broker,
 * StopReplica to the replicas of deleted topics.
 */
import type {
  BrokerId,
  LeaderAndIsrRequest,
  PartitionState,
  UpdateMetadataRequest,
} from '../api.js'
import type { ControllerChannel } from './channel.js'
import type { ControllerContext, PartitionKey } from './controller-context.js'

/** Sends the controller's requests for one context. */
export class Propagation {
  /** As broker `controllerId`, through `channel`. */
  constructor(
    private readonly ctx: ControllerContext,
    private readonly channel: ControllerChannel,
    private readonly controllerId: BrokerId,
  ) {}

  /**
   * LeaderAndIsr for `partitions` to each live replica (only to `only` when given); `isNew`
   * marks partitions just created.
   */
  leaderAndIsr(
    partitions: readonly PartitionKey[],
    options: { only?: readonly BrokerId[]; isNew?: boolean } = {},
  ): void {
    const perBroker = new Map<BrokerId, (PartitionState & { isNew: boolean })[]>()
    for (const key of partitions) {
      const state = this.ctx.partitionState(key)
      if (state === undefined) continue
      for (const id of state.replicas) {
        if (!this.ctx.isLive(id) || (options.only !== undefined && !options.only.includes(id)))
          continue
        let list = perBroker.get(id)
        if (list === undefined) {
          list = []
          perBroker.set(id, list)
        }
        list.push({ ...state, isNew: options.isNew ?? false })
      }
    }
    for (const [id, list] of perBroker) {
      const leaders = new Set(list.map((p) => p.leader))
      const request: LeaderAndIsrRequest = {
        controllerId: this.controllerId,
        controllerEpoch: this.ctx.epoch,
        partitions: list,
        liveLeaders: this.ctx.liveBrokerInfos().filter((b) => leaders.has(b.nodeId)),
      }
      void this.channel.send(id, 'LeaderAndIsr', request).catch(() => undefined)
    }
  }

  /** UpdateMetadata with `partitions` (and `deletedTopics`) to `brokers` (default: all live). */
  updateMetadata(
    partitions: readonly PartitionKey[],
    options: { brokers?: readonly BrokerId[]; deletedTopics?: readonly string[] } = {},
  ): void {
    const request = this.#metadataRequest(partitions, options.deletedTopics ?? [], 'incremental')
    this.#sendMetadata(request, options.brokers)
  }

  /**
   * A full UpdateMetadata (every partition the controller knows) to `brokers` (default: all
   * live): after a controller change, and to a broker that (re)registered. Its cache becomes
   * the controller's view, dropping topics it lacks: an UpdateMetadata that carried a
   * deletion may have been lost (the old controller died with it queued, or this one dropped
   * the broker's queue when its session ended). Kafka's own ZooKeeper-mode controller leaves
   * such a topic in the cache; its full requests (UpdateMetadata v8, KIP-866) remove it.
   */
  fullMetadata(brokers?: readonly BrokerId[]): void {
    this.#sendMetadata(this.#metadataRequest(this.ctx.allPartitions(), [], 'full'), brokers)
  }

  #metadataRequest(
    partitions: readonly PartitionKey[],
    deletedTopics: readonly string[],
    type: UpdateMetadataRequest['type'],
  ): UpdateMetadataRequest {
    const states: UpdateMetadataRequest['partitionStates'][number][] = []
    for (const key of partitions) {
      const state = this.ctx.partitionState(key)
      if (state === undefined) continue
      states.push({
        ...state,
        offlineReplicas: state.replicas.filter((id) => !this.ctx.isLive(id)),
      })
    }
    return {
      controllerId: this.controllerId,
      controllerEpoch: this.ctx.epoch,
      liveBrokers: this.ctx.liveBrokerInfos(),
      partitionStates: states,
      deletedTopics,
      type,
    }
  }

  #sendMetadata(request: UpdateMetadataRequest, brokers?: readonly BrokerId[]): void {
    for (const id of brokers ?? [...this.ctx.liveBrokers.keys()]) {
      void this.channel.send(id, 'UpdateMetadata', request).catch(() => undefined)
    }
  }

  /** A partition change: LeaderAndIsr to its replicas, then UpdateMetadata to all. */
  changed(partitions: readonly PartitionKey[], isNew = false): void {
    if (partitions.length === 0) return
    this.leaderAndIsr(partitions, { isNew })
    this.updateMetadata(partitions)
  }
}

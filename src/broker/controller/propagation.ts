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
    const states: UpdateMetadataRequest['partitionStates'][number][] = []
    for (const key of partitions) {
      const state = this.ctx.partitionState(key)
      if (state === undefined) continue
      states.push({
        ...state,
        offlineReplicas: state.replicas.filter((id) => !this.ctx.isLive(id)),
      })
    }
    const request: UpdateMetadataRequest = {
      controllerId: this.controllerId,
      controllerEpoch: this.ctx.epoch,
      liveBrokers: this.ctx.liveBrokerInfos(),
      partitionStates: states,
      deletedTopics: options.deletedTopics ?? [],
    }
    for (const id of options.brokers ?? [...this.ctx.liveBrokers.keys()]) {
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

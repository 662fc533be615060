/**
 * A topic's znodes: `/brokers/topics/<t>` (the replica assignment, Kafka's `TopicZNode`
 * version 2) and `/brokers/topics/<t>/partitions/<p>/state` (leader, ISR and epochs, Kafka's
 * `TopicPartitionStateZNode` version 1).
 */
import type { BrokerId } from '../api.js'
import {
  checkVersion,
  encodeJson,
  intArray,
  intField,
  malformed,
  objectField,
  parseObject,
} from './json.js'

/** The replicas of each partition, by partition index (0..n-1). */
export type ReplicaAssignment = readonly (readonly BrokerId[])[]

/** The assignment data of a topic. */
export function encodeTopicAssignment(assignment: ReplicaAssignment): Buffer {
  const partitions: Record<string, readonly BrokerId[]> = {}
  assignment.forEach((replicas, p) => {
    partitions[String(p)] = replicas
  })
  return encodeJson({ version: 2, partitions, adding_replicas: {}, removing_replicas: {} })
}

/** Read a topic's assignment; partitions must be 0..n-1, each with at least one replica. */
export function decodeTopicAssignment(path: string, data: Uint8Array | null): BrokerId[][] {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1, 2, 3])
  const partitions = objectField(path, obj, 'partitions')
  const keys = Object.keys(partitions)
  const out: BrokerId[][] = []
  for (let p = 0; p < keys.length; p++) {
    const replicas = partitions[String(p)]
    if (replicas === undefined) throw malformed(path, `partition ${p} is missing`)
    const list = intArray(path, replicas, `partition ${p}`)
    if (list.length === 0) throw malformed(path, `partition ${p} has no replicas`)
    out.push(list)
  }
  return out
}

/** What the state znode of a partition holds. */
export interface LeaderIsr {
  /** The leader, or -1. */
  readonly leader: BrokerId
  /** The leader epoch. */
  readonly leaderEpoch: number
  /** The in-sync replicas. */
  readonly isr: readonly BrokerId[]
  /** The epoch of the controller that wrote it (or whose LeaderAndIsr the leader acted on). */
  readonly controllerEpoch: number
}

/** The state data of a partition. */
export function encodePartitionState(state: LeaderIsr): Buffer {
  return encodeJson({
    controller_epoch: state.controllerEpoch,
    leader: state.leader,
    version: 1,
    leader_epoch: state.leaderEpoch,
    isr: state.isr,
  })
}

/** Read a partition's state. */
export function decodePartitionState(path: string, data: Uint8Array | null): LeaderIsr {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1])
  return {
    controllerEpoch: intField(path, obj, 'controller_epoch'),
    leader: intField(path, obj, 'leader'),
    leaderEpoch: intField(path, obj, 'leader_epoch'),
    isr: intArray(path, obj.isr, '"isr"'),
  }
}

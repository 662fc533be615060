/**
 * Typed reads and writes of Kafka's znodes over one coordinator session (Kafka's
 * `KafkaZkClient`). Writes of the controller carry its epoch: each is a multi that first checks
 * the version of `/controller_epoch`, so a deposed controller's write fails (`BAD_VERSION` on
 * op 0) and changes nothing.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { Random } from '../../common/random.js'
import type { CoordinatorClient, Op, Stat, Watcher } from '../../coordination/types.js'
import type { BrokerId, BrokerInfo } from '../api.js'
import { decodeBrokerRegistration, encodeBrokerRegistration } from './broker-registration.js'
import { decodeTopicConfig, encodeConfigChange, encodeTopicConfig } from './config-znodes.js'
import {
  decodeController,
  decodeControllerEpoch,
  encodeController,
  encodeControllerEpoch,
} from './controller-znodes.js'
import { decodeClusterId, encodeClusterId, newClusterId } from './misc-znodes.js'
import {
  BROKER_IDS_PATH,
  brokerPath,
  CLUSTER_ID_PATH,
  CONFIG_CHANGE_PREFIX,
  CONFIG_CHANGES_PATH,
  CONTROLLER_EPOCH_PATH,
  CONTROLLER_PATH,
  DELETE_TOPICS_PATH,
  deleteTopicPath,
  PERSISTENT_PATHS,
  partitionPath,
  partitionStatePath,
  partitionsPath,
  TOPICS_PATH,
  topicConfigPath,
  topicPath,
} from './paths.js'
import {
  decodePartitionState,
  decodeTopicAssignment,
  encodePartitionState,
  encodeTopicAssignment,
  type LeaderIsr,
  type ReplicaAssignment,
} from './topic-znodes.js'

/** A live broker as registered, with its registration's czxid (Kafka's broker epoch). */
export interface RegisteredBroker extends BrokerInfo {
  /** The czxid of its registration node: a re-registration has a larger one. */
  readonly epoch: number
}

/** A partition state with the version of its znode. */
export interface VersionedState extends LeaderIsr {
  /** The state znode's version. */
  readonly zkVersion: number
}

/** A state write: the partition, its new state, and the version expected (-1: create). */
export interface StateWrite {
  /** The topic. */
  readonly topic: string
  /** The partition index. */
  readonly partition: number
  /** The new state. */
  readonly state: LeaderIsr
  /** The version the znode must have, or -1 to create it. */
  readonly expectedVersion: number
}

function code(err: unknown): string | undefined {
  return isLogkeeperError(err) ? err.code : undefined
}

/** Kafka's metadata in the coordinator, read and written through one client. */
export class KafkaZk {
  /** Over `client` (the broker's session). */
  constructor(readonly client: CoordinatorClient) {}

  /** Create the persistent parents Kafka keeps (those that exist are left alone). */
  async ensurePersistentPaths(): Promise<void> {
    for (const path of PERSISTENT_PATHS) await this.#createIfAbsent(path, null)
  }

  async #createIfAbsent(path: string, data: Buffer | null): Promise<boolean> {
    try {
      await this.client.create(path, data)
      return true
    } catch (err) {
      if (code(err) === 'NODE_EXISTS') return false
      throw err
    }
  }

  /** The cluster id, creating it from `random` when absent. */
  async clusterId(random: Random): Promise<string> {
    const fresh = newClusterId(random)
    await this.#createIfAbsent(CLUSTER_ID_PATH, encodeClusterId(fresh))
    const { data } = await this.client.getData(CLUSTER_ID_PATH)
    return decodeClusterId(CLUSTER_ID_PATH, data)
  }

  /** Register this broker (an ephemeral node); `NODE_EXISTS` when the id is taken. */
  async registerBroker(info: BrokerInfo, timestampMs: number): Promise<Stat> {
    const result = await this.client.create(
      brokerPath(info.nodeId),
      encodeBrokerRegistration(info, timestampMs),
      { mode: 'ephemeral' },
    )
    return result.stat
  }

  /** The stat of a node, or null. */
  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.client.exists(path, watch ? { watch } : {})
  }

  /** The live brokers, by id (ascending). */
  async liveBrokers(watch?: Watcher): Promise<RegisteredBroker[]> {
    const ids = await this.client.getChildren(BROKER_IDS_PATH, watch ? { watch } : {})
    const out: RegisteredBroker[] = []
    for (const name of ids) {
      const id = Number(name)
      if (!Number.isSafeInteger(id)) continue
      try {
        const { data, stat } = await this.client.getData(brokerPath(id))
        out.push({ ...decodeBrokerRegistration(brokerPath(id), id, data), epoch: stat.czxid })
      } catch (err) {
        if (code(err) !== 'NO_NODE') throw err
      }
    }
    return out.sort((a, b) => a.nodeId - b.nodeId)
  }

  /** The controller's id, or -1; `watch` hears its creation, change and deletion. */
  async controllerId(watch?: Watcher): Promise<BrokerId> {
    const stat = await this.exists(CONTROLLER_PATH, watch)
    if (stat === null) return -1
    try {
      const { data } = await this.client.getData(CONTROLLER_PATH)
      return decodeController(CONTROLLER_PATH, data)
    } catch (err) {
      if (code(err) === 'NO_NODE') return -1
      throw err
    }
  }

  /** The controller epoch and its znode version (0 and -1 when absent). */
  async controllerEpoch(): Promise<{ epoch: number; version: number }> {
    try {
      const { data, stat } = await this.client.getData(CONTROLLER_EPOCH_PATH)
      return { epoch: decodeControllerEpoch(CONTROLLER_EPOCH_PATH, data), version: stat.version }
    } catch (err) {
      if (code(err) === 'NO_NODE') return { epoch: 0, version: -1 }
      throw err
    }
  }

  /**
   * Try to become controller: create `/controller` and bump `/controller_epoch` in one multi.
   * Returns the new epoch and the epoch znode's version, or null when another broker won.
   */
  async registerController(
    brokerId: BrokerId,
    timestampMs: number,
  ): Promise<{ epoch: number; epochZkVersion: number } | null> {
    for (;;) {
      if (await this.#createIfAbsent(CONTROLLER_EPOCH_PATH, encodeControllerEpoch(0))) continue
      const { epoch, version } = await this.controllerEpoch()
      try {
        const results = await this.client.multi([
          {
            op: 'create',
            path: CONTROLLER_PATH,
            data: encodeController(brokerId, timestampMs),
            mode: 'ephemeral',
          },
          {
            op: 'setData',
            path: CONTROLLER_EPOCH_PATH,
            data: encodeControllerEpoch(epoch + 1),
            version,
          },
        ])
        const set = results[1]
        const newVersion = set?.op === 'setData' ? set.stat.version : version + 1
        return { epoch: epoch + 1, epochZkVersion: newVersion }
      } catch (err) {
        if (code(err) === 'NODE_EXISTS') return null
        if (code(err) === 'BAD_VERSION') continue
        throw err
      }
    }
  }

  /** Delete `/controller` if this session owns it (a resigning controller). */
  async deleteControllerIfOwned(): Promise<void> {
    const stat = await this.exists(CONTROLLER_PATH)
    if (stat === null || stat.ephemeralOwner !== this.client.sessionId) return
    await this.client.delete(CONTROLLER_PATH, { version: stat.version }).catch(() => undefined)
  }

  /** The topic names. */
  topics(watch?: Watcher): Promise<string[]> {
    return this.client.getChildren(TOPICS_PATH, watch ? { watch } : {})
  }

  /** A topic's assignment and its znode version, or null when the topic does not exist. */
  async assignment(
    topic: string,
    watch?: Watcher,
  ): Promise<{ assignment: number[][]; version: number } | null> {
    try {
      const { data, stat } = await this.client.getData(topicPath(topic), watch ? { watch } : {})
      return { assignment: decodeTopicAssignment(topicPath(topic), data), version: stat.version }
    } catch (err) {
      if (code(err) === 'NO_NODE') return null
      throw err
    }
  }

  /** A partition's state, or null when it has none yet. */
  async partitionState(topic: string, partition: number): Promise<VersionedState | null> {
    const path = partitionStatePath(topic, partition)
    try {
      const { data, stat } = await this.client.getData(path)
      return { ...decodePartitionState(path, data), zkVersion: stat.version }
    } catch (err) {
      if (code(err) === 'NO_NODE') return null
      throw err
    }
  }

  /** Create a topic: its config node and its assignment, in one multi (`NODE_EXISTS` if taken). */
  async createTopic(
    topic: string,
    assignment: ReplicaAssignment,
    config: Readonly<Record<string, string>>,
  ): Promise<void> {
    const ops: Op[] = []
    const configStat = await this.exists(topicConfigPath(topic))
    if (configStat === null) {
      ops.push({ op: 'create', path: topicConfigPath(topic), data: encodeTopicConfig(config) })
    } else {
      ops.push({ op: 'setData', path: topicConfigPath(topic), data: encodeTopicConfig(config) })
    }
    ops.push({ op: 'create', path: topicPath(topic), data: encodeTopicAssignment(assignment) })
    await this.client.multi(ops)
  }

  /** Replace a topic's assignment (partition additions), conditional on its version. */
  async setAssignment(
    topic: string,
    assignment: ReplicaAssignment,
    version: number,
  ): Promise<void> {
    await this.client.setData(topicPath(topic), encodeTopicAssignment(assignment), { version })
  }

  /**
   * Write one partition state as controller (epoch-checked): create it (with its parents)
   * when `expectedVersion` is -1, else a conditional setData. Returns the new version.
   */
  async writeState(epochZkVersion: number, write: StateWrite): Promise<number> {
    const { topic, partition, state, expectedVersion } = write
    const ops: Op[] = [{ op: 'check', path: CONTROLLER_EPOCH_PATH, version: epochZkVersion }]
    const data = encodePartitionState(state)
    if (expectedVersion < 0) {
      if ((await this.exists(partitionsPath(topic))) === null) {
        ops.push({ op: 'create', path: partitionsPath(topic), data: null })
      }
      if ((await this.exists(partitionPath(topic, partition))) === null) {
        ops.push({ op: 'create', path: partitionPath(topic, partition), data: null })
      }
      ops.push({ op: 'create', path: partitionStatePath(topic, partition), data })
      await this.client.multi(ops)
      return 0
    }
    ops.push({
      op: 'setData',
      path: partitionStatePath(topic, partition),
      data,
      version: expectedVersion,
    })
    const results = await this.client.multi(ops)
    const last = results[results.length - 1]
    return last?.op === 'setData' ? last.stat.version : expectedVersion + 1
  }

  /** A leader's ISR write: a conditional setData of the state (not epoch-checked). */
  async writeIsr(topic: string, partition: number, state: LeaderIsr, version: number) {
    return this.client.setData(partitionStatePath(topic, partition), encodePartitionState(state), {
      version,
    })
  }

  /** A topic's config overrides as strings (`{}` when none). */
  async topicConfig(topic: string): Promise<Record<string, string>> {
    try {
      const { data } = await this.client.getData(topicConfigPath(topic))
      return decodeTopicConfig(topicConfigPath(topic), data)
    } catch (err) {
      if (code(err) === 'NO_NODE') return {}
      throw err
    }
  }

  /** Replace a topic's overrides and tell every broker (`/config/changes`). */
  async setTopicConfig(topic: string, config: Readonly<Record<string, string>>): Promise<void> {
    const path = topicConfigPath(topic)
    if ((await this.exists(path)) === null)
      await this.client.create(path, encodeTopicConfig(config))
    else await this.client.setData(path, encodeTopicConfig(config))
    await this.client.create(
      `${CONFIG_CHANGES_PATH}/${CONFIG_CHANGE_PREFIX}`,
      encodeConfigChange(topic),
      {
        mode: 'persistent-sequential',
      },
    )
  }

  /** Mark a topic for deletion (`/admin/delete_topics/<t>`); an existing mark stays. */
  async markForDeletion(topic: string): Promise<void> {
    await this.#createIfAbsent(deleteTopicPath(topic), null)
  }

  /** The topics marked for deletion. */
  topicDeletions(watch?: Watcher): Promise<string[]> {
    return this.client.getChildren(DELETE_TOPICS_PATH, watch ? { watch } : {})
  }

  /** Remove a topic's znodes, its config and its deletion mark, as controller (epoch-checked). */
  async deleteTopicZnodes(epochZkVersion: number, topic: string): Promise<void> {
    const ops: Op[] = [{ op: 'check', path: CONTROLLER_EPOCH_PATH, version: epochZkVersion }]
    const deletes: string[] = []
    await this.#collect(topicPath(topic), deletes)
    if ((await this.exists(topicConfigPath(topic))) !== null) deletes.push(topicConfigPath(topic))
    if ((await this.exists(deleteTopicPath(topic))) !== null) deletes.push(deleteTopicPath(topic))
    for (const path of deletes) ops.push({ op: 'delete', path })
    await this.client.multi(ops)
  }

  async #collect(path: string, out: string[]): Promise<void> {
    let children: string[]
    try {
      children = await this.client.getChildren(path)
    } catch (err) {
      if (code(err) === 'NO_NODE') return
      throw err
    }
    for (const child of children) await this.#collect(`${path}/${child}`, out)
    out.push(path)
  }

  /** Remove a deletion mark (a topic that no longer exists). */
  async deleteMark(topic: string): Promise<void> {
    await this.client.delete(deleteTopicPath(topic)).catch((err) => {
      if (code(err) !== 'NO_NODE') throw err
    })
  }
}

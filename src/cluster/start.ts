/**
 * Starting a cluster: clock, random, data directory, coordinator, network and brokers, in
 * that order; on a failure everything started so far is stopped again.
 */
import { Broker } from '../broker/broker.js'
import {
  type BrokerStorage,
  DiskBrokerStorage,
  MemoryBrokerStorage,
} from '../broker/broker-storage.js'
import { ReplicaManager } from '../broker/replica/replica-manager.js'
import type { ReplicaHostFactory } from '../broker/replica-host.js'
import { InProcessTransport } from '../broker/transport.js'
import { KafkaZk } from '../broker/zk/kafka-zk.js'
import { CONTROLLER_PATH } from '../broker/zk/paths.js'
import type { ClusterParts } from '../cluster.js'
import { type Clock, createClock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import { createRandom } from '../common/random.js'
import type { InProcessCoordinator } from '../coordination/coordinator.js'
import { createCoordinator } from '../coordination/create-coordinator.js'
import { CheckpointStore } from '../storage/checkpoints.js'
import { type DataDir, openDataDir } from '../storage/data-dir.js'
import { type ClusterShape, type ResolvedClusterOptions, withRecordedShape } from './options.js'

/** How long createCluster waits for the brokers to hear from the controller. */
const READY_TIMEOUT_MS = 60_000

/** The replica manager every broker runs. */
export const defaultReplicas: ReplicaHostFactory = (options) => new ReplicaManager(options)

/** Start everything `options` describes. */
export async function startCluster(resolved: ResolvedClusterOptions): Promise<ClusterParts<Clock>> {
  const dataDir =
    resolved.dataDir === undefined
      ? undefined
      : await openDataDir(resolved.dataDir, { durability: resolved.durability })
  let options = resolved
  let coordinator: InProcessCoordinator | undefined
  const brokers: Broker[] = []
  const clock = createClock(options.clock)
  const random = createRandom(options.seed)
  try {
    if (dataDir !== undefined) options = await recordShape(dataDir, resolved)
    coordinator = await createCoordinator({
      clock,
      random: random.fork('coordinator'),
      ...(dataDir === undefined
        ? {}
        : { db: dataDir.sublevel('coordinator'), syncWrites: dataDir.durability.syncMetadata }),
    })
    if (dataDir !== undefined) await expirePreviousProcess(coordinator)
    const network = random.fork('network')
    const transport = new InProcessTransport(clock, () => network.next())
    for (let id = 0; id < options.brokers; id++) {
      brokers.push(
        new Broker({
          id,
          coordinator,
          transport,
          clock,
          random: random.fork(`broker-${id}`),
          config: options.config,
          storage: storageOf(dataDir, id),
          replicas: defaultReplicas,
        }),
      )
    }
    for (const broker of brokers) await broker.start()
    await waitReady(brokers, clock)
    return { clock, random, coordinator, transport, brokers, config: options.config, dataDir }
  } catch (err) {
    await Promise.all(brokers.map((b) => b.close().catch(() => undefined)))
    await coordinator?.close().catch(() => undefined)
    await dataDir?.close().catch(() => undefined)
    throw err
  }
}

/** The sublevel of the metadata database where the cluster keeps its {@link ClusterShape}. */
const CLUSTER_SUBLEVEL = 'cluster'
const SHAPE_KEY = 'shape'

/**
 * Complete `resolved` with the shape the directory recorded (the broker count and settings of
 * the last open, where the options omit them), and record the shape this open runs with.
 */
async function recordShape(
  dataDir: DataDir,
  resolved: ResolvedClusterOptions,
): Promise<ResolvedClusterOptions> {
  const db = dataDir.sublevel<ClusterShape>(CLUSTER_SUBLEVEL, 'json')
  const recorded = await db.get(SHAPE_KEY).catch(() => undefined)
  const options = withRecordedShape(resolved, isShape(recorded) ? recorded : undefined)
  const config: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options.givenConfig ?? {})) {
    if (['string', 'number', 'boolean'].includes(typeof value)) config[key] = value
  }
  const shape: ClusterShape = { brokers: options.brokers, config }
  await db.put(SHAPE_KEY, shape, { sync: dataDir.durability.syncMetadata } as object)
  return options
}

function isShape(value: unknown): value is ClusterShape {
  const v = value as Partial<ClusterShape> | undefined
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.brokers === 'number' &&
    typeof v.config === 'object' &&
    v.config !== null
  )
}

function storageOf(dataDir: DataDir | undefined, id: number): BrokerStorage {
  if (dataDir === undefined) return new MemoryBrokerStorage()
  const checkpoints = new CheckpointStore(
    dataDir.sublevel(`broker-${id}`),
    dataDir.durability.syncMetadata,
  )
  return new DiskBrokerStorage(`${dataDir.path}/brokers/${id}`, checkpoints)
}

/**
 * The previous process's brokers cannot resume their sessions: expire the sessions that own
 * `/controller` and `/brokers/ids/*` at once, so this process's brokers register and elect
 * without waiting out a session timeout.
 */
async function expirePreviousProcess(coordinator: InProcessCoordinator): Promise<void> {
  const client = coordinator.connect()
  try {
    const zk = new KafkaZk(client)
    const owners = new Set<number>()
    const controller = await zk.exists(CONTROLLER_PATH)
    if (controller !== null) owners.add(controller.ephemeralOwner)
    const ids = await client.getChildren('/brokers/ids').catch(() => [] as string[])
    for (const id of ids) {
      const stat = await zk.exists(`/brokers/ids/${id}`)
      if (stat !== null) owners.add(stat.ephemeralOwner)
    }
    for (const owner of owners)
      if (owner !== 0) await coordinator.expireSession(owner).catch(() => undefined)
  } finally {
    await client.close()
  }
}

/** Wait until every broker's cache names a controller and lists every broker as live. */
async function waitReady(brokers: readonly Broker[], clock: Clock): Promise<void> {
  for (const broker of brokers) {
    const ready = () =>
      broker.cache.controllerId !== -1 && brokers.every((o) => broker.cache.isLive(o.id))
    if (!(await broker.cache.waitFor(ready, READY_TIMEOUT_MS, clock))) {
      throw fromCode('TIMEOUT', `broker ${broker.id} did not hear from a controller`)
    }
  }
}

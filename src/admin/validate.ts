/**
 * Checks of the admin client's arguments: a wrong type or shape is `INVALID_ARGUMENT` before
 * anything is sent. Topic names and configs are checked by the controller (Kafka's codes).
 */
import type { AlterableConfig, ConfigResourceType, CreatableTopic } from '../broker/api.js'
import { InvalidArgumentError } from '../common/errors.js'
import { describe, toNonNegativeInt, toPositiveInt } from '../common/validate.js'
import type { AdminOptions, NewTopic } from './types.js'

const ADMIN_OPTIONS: ReadonlySet<string> = new Set([
  'clientId',
  'retries',
  'retryBackoffMs',
  'requestTimeoutMs',
])

/**
 * Check the options of `cluster.admin()` (an unknown name, a `clientId` that is not a
 * non-empty string, a count or time that is not a non-negative integer: `INVALID_ARGUMENT`).
 */
export function checkAdminOptions(options: AdminOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`admin options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!ADMIN_OPTIONS.has(key))
      throw new InvalidArgumentError(`unknown admin option ${describe(key)}`)
  }
  const { clientId, retries, retryBackoffMs, requestTimeoutMs } = options
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    throw new InvalidArgumentError(`clientId must be a non-empty string, got ${describe(clientId)}`)
  }
  if (retries !== undefined) toNonNegativeInt(retries, 'retries')
  if (retryBackoffMs !== undefined) toNonNegativeInt(retryBackoffMs, 'retryBackoffMs')
  if (requestTimeoutMs !== undefined) toPositiveInt(requestTimeoutMs, 'requestTimeoutMs')
}

/**
 * `value` as an array (a copy, holes read as `undefined` so that each item gets checked), or
 * `INVALID_ARGUMENT` naming `what`.
 */
export function checkArray<T>(value: readonly T[] | undefined, what: string): readonly T[] {
  if (!Array.isArray(value))
    throw new InvalidArgumentError(`${what} must be an array, got ${describe(value)}`)
  return Array.from(value)
}

/** A non-empty array of strings. */
export function checkNames(value: readonly string[] | undefined, what: string): string[] {
  const names = checkArray(value, what)
  for (const [i, name] of names.entries()) {
    if (typeof name !== 'string') {
      throw new InvalidArgumentError(
        `${what}[${i}] must be a topic name (a string), got ${describe(name)}`,
      )
    }
  }
  return [...names]
}

function optionalInt(value: unknown, what: string): number {
  if (value === undefined) return -1
  if (!Number.isSafeInteger(value))
    throw new InvalidArgumentError(`${what} must be an integer, got ${describe(value)}`)
  return value as number
}

function configStrings(
  configs: NewTopic['configs'],
  what: string,
): Record<string, string> | undefined {
  if (configs === undefined) return undefined
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) {
    throw new InvalidArgumentError(
      `${what} must be an object of config names to values, got ${describe(configs)}`,
    )
  }
  const out: Record<string, string> = {}
  for (const key of Object.keys(configs)) {
    const value = configs[key]
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new InvalidArgumentError(
        `${what}.${key} must be a string, number or boolean, got ${describe(value)}`,
      )
    }
    Object.defineProperty(out, key, {
      value: String(value),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

/** A {@link NewTopic} as the CreateTopics request carries it. */
export function toCreatableTopic(topic: NewTopic, i: number): CreatableTopic {
  if (typeof topic !== 'object' || topic === null) {
    throw new InvalidArgumentError(`topics[${i}] must be an object, got ${describe(topic)}`)
  }
  if (typeof topic.topic !== 'string') {
    throw new InvalidArgumentError(
      `topics[${i}].topic must be a string, got ${describe(topic.topic)}`,
    )
  }
  const what = `topics[${i}].replicaAssignment`
  const assignments =
    topic.replicaAssignment === undefined
      ? undefined
      : checkArray(topic.replicaAssignment, what).map((a, j) => {
          if (!Number.isSafeInteger(a?.partition) || !Array.isArray(a?.replicas)) {
            throw new InvalidArgumentError(`${what}[${j}] must be { partition, replicas }`)
          }
          return { partition: a.partition, brokerIds: [...a.replicas] }
        })
  const configs = configStrings(topic.configs, `topics[${i}].configs`)
  return {
    name: topic.topic,
    numPartitions: assignments
      ? -1
      : optionalInt(topic.numPartitions, `topics[${i}].numPartitions`),
    replicationFactor: assignments
      ? -1
      : optionalInt(topic.replicationFactor, `topics[${i}].replicationFactor`),
    ...(assignments ? { assignments } : {}),
    ...(configs ? { configs } : {}),
  }
}

/** `{ name: value | null }` as IncrementalAlterConfigs operations. */
export function toConfigChanges(
  configs: Readonly<Record<string, string | number | boolean | null>> | undefined,
  i: number,
): AlterableConfig[] {
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) {
    throw new InvalidArgumentError(
      `resources[${i}].configs must be an object, got ${describe(configs)}`,
    )
  }
  return Object.keys(configs).map((name) => {
    const value = configs[name]
    if (value === null) return { name, op: 'delete', value: null }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new InvalidArgumentError(
        `resources[${i}].configs.${name} must be a string, number, boolean or null`,
      )
    }
    return { name, op: 'set', value: String(value) }
  })
}

/** A config resource's `{ type, name }`: `topic` or `broker`, and a string name. */
export function toResourceRef(
  r: { readonly type: ConfigResourceType; readonly name: string } | undefined,
  i: number,
): { type: ConfigResourceType; name: string } {
  if (r?.type !== 'topic' && r?.type !== 'broker') {
    throw new InvalidArgumentError(
      `resources[${i}].type must be 'topic' or 'broker', got ${describe(r?.type)}`,
    )
  }
  if (typeof r.name !== 'string') {
    throw new InvalidArgumentError(`resources[${i}].name must be a string, got ${describe(r.name)}`)
  }
  return { type: r.type, name: r.name }
}

/** A request's `timeout` option: a non-negative integer of ms, or `fallback` when absent. */
export function toTimeout(value: unknown, fallback: number): number {
  return value === undefined ? fallback : toNonNegativeInt(value, 'timeout')
}

/** createPartitions' `assignments`: an array of arrays of broker ids (checked by the broker). */
export function toAssignments(value: unknown, i: number): number[][] {
  const what = `topicPartitions[${i}].assignments`
  return checkArray(value as readonly unknown[], what).map((replicas, j) => {
    if (!Array.isArray(replicas)) {
      throw new InvalidArgumentError(
        `${what}[${j}] must be an array of broker ids, got ${describe(replicas)}`,
      )
    }
    return [...replicas]
  })
}

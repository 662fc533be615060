/**
 * Checks of the admin client's arguments: a wrong type or shape is `INVALID_ARGUMENT` before
 * anything is sent. Topic names and configs are checked by the controller (Kafka's codes).
 */
import type { AlterableConfig, CreatableTopic } from '../broker/api.js'
import { InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import type { NewTopic } from './types.js'

/** `value` as an array, or `INVALID_ARGUMENT` naming `what`. */
export function checkArray<T>(value: readonly T[] | undefined, what: string): readonly T[] {
  if (!Array.isArray(value))
    throw new InvalidArgumentError(`${what} must be an array, got ${describe(value)}`)
  return value
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
  const assignments = topic.replicaAssignment?.map((a, j) => {
    if (!Number.isSafeInteger(a?.partition) || !Array.isArray(a?.replicas)) {
      throw new InvalidArgumentError(
        `topics[${i}].replicaAssignment[${j}] must be { partition, replicas }`,
      )
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

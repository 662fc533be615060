/**
 * Topic names, by Kafka's rules (`org.apache.kafka.common.internals.Topic`): 1 to 249
 * characters from `[a-zA-Z0-9._-]`, and neither `.` nor `..`. Names such as `__proto__` are
 * legal, so code keyed by topic name uses `Map`, never a plain object.
 */
import { fromCode } from '../common/errors.js'
import { describe } from '../common/validate.js'

/** The longest legal topic name. */
export const MAX_TOPIC_NAME_LENGTH = 249

const LEGAL = /^[a-zA-Z0-9._-]+$/

/** Why `name` is not a legal topic name, or `undefined` when it is. */
export function topicNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `a topic name must be a string, got ${describe(name)}`
  if (name.length === 0) return 'a topic name cannot be empty'
  if (name === '.' || name === '..') return `a topic name cannot be "${name}"`
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `a topic name is at most ${MAX_TOPIC_NAME_LENGTH} characters, got ${name.length}`
  }
  if (!LEGAL.test(name)) {
    return `topic name ${describe(name)} has characters outside [a-zA-Z0-9._-]`
  }
  return undefined
}

/** Whether `name` is a legal topic name. */
export function isValidTopicName(name: unknown): name is string {
  return topicNameProblem(name) === undefined
}

/** Return `name` if it is a legal topic name; otherwise throw `INVALID_TOPIC_EXCEPTION`. */
export function validateTopicName(name: unknown): string {
  const problem = topicNameProblem(name)
  if (problem !== undefined) throw fromCode('INVALID_TOPIC_EXCEPTION', problem)
  return name as string
}

/**
 * Whether two legal names collide in Kafka's metric names, where `.` and `_` are the same
 * (Kafka warns about, and refuses to create, such pairs).
 */
export function topicNamesCollide(a: string, b: string): boolean {
  return a.replaceAll('.', '_') === b.replaceAll('.', '_')
}

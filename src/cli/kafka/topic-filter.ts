/**
 * Which topics a `--topic` value names, as Kafka's `IncludeList` reads it for every action but
 * `--create`: a regular expression matched against the whole name, commas meaning "or"
 * (`t1,t2`), spaces and surrounding quotes dropped.
 */
import { UsageError } from '../errors.js'

/** The internal topics (Kafka's `Topic.isInternal`). */
const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state'])

/** Whether `topic` is one of Kafka's internal topics. */
export function isInternalTopic(topic: string): boolean {
  return INTERNAL_TOPICS.has(topic)
}

/** A predicate for the topics `spec` names; a malformed expression is a usage error. */
export function topicFilter(spec: string, help: string): (topic: string) => boolean {
  const source = spec
    .trim()
    .replaceAll(',', '|')
    .replaceAll(' ', '')
    .replace(/^["']+/, '')
    .replace(/["']+$/, '')
  let regex: RegExp
  try {
    regex = new RegExp(`^(?:${source})$`)
  } catch {
    throw new UsageError(`${spec} is an invalid regex.`, help)
  }
  return (topic) => regex.test(topic)
}

/**
 * The topics of `all` (sorted) that `spec` names (all of them without a spec), internal
 * topics left out when `excludeInternal`.
 */
export function selectTopics(
  all: readonly string[],
  spec: string | undefined,
  excludeInternal: boolean,
  help: string,
): string[] {
  const named = spec === undefined ? () => true : topicFilter(spec, help)
  return [...all].sort().filter((t) => named(t) && !(excludeInternal && isInternalTopic(t)))
}

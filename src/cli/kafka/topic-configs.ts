/**
 * `--config name=value` options, read as Kafka's `TopicCommand` reads them: each splits on
 * `=` (spaces around it dropped) into exactly a name and a value.
 */
import { UserError } from '../errors.js'

/** The configs of repeated `--config` values, by name; a malformed one is a {@link UserError}. */
export function parseTopicConfigs(entries: readonly string[]): Record<string, string> {
  const configs: Record<string, string> = {}
  for (const entry of entries) {
    const pair = entry.split(/\s*=\s*/)
    if (pair.length !== 2 || (pair[0] as string).trim() === '') {
      throw new UserError(
        'Invalid topic config: all configs to be added must be in the format "key=val".',
      )
    }
    configs[(pair[0] as string).trim()] = (pair[1] as string).trim()
  }
  return configs
}

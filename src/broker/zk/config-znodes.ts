/**
 * Config znodes: `/config/topics/<t>` (a topic's overrides as strings, Kafka's
 * `ConfigEntityZNode` version 1) and `/config/changes/config_change_<seq>` (a notification
 * that an entity's config changed, version 2).
 */
import {
  checkVersion,
  encodeJson,
  malformed,
  objectField,
  parseObject,
  stringField,
} from './json.js'

/** A topic's config overrides data. */
export function encodeTopicConfig(config: Readonly<Record<string, string>>): Buffer {
  return encodeJson({ version: 1, config })
}

/** Read a topic's config overrides (string values, as Kafka keeps them). */
export function decodeTopicConfig(path: string, data: Uint8Array | null): Record<string, string> {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1])
  const config = objectField(path, obj, 'config')
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(config)) {
    if (typeof v !== 'string') throw malformed(path, `config "${k}" must be a string`)
    out[k] = v
  }
  return out
}

/** A config change notification for topic `topic`. */
export function encodeConfigChange(topic: string): Buffer {
  return encodeJson({ version: 2, entity_path: `topics/${topic}` })
}

/** The entity a config change notification names: `{ type, name }` (e.g. `topics`, `t1`). */
export function decodeConfigChange(
  path: string,
  data: Uint8Array | null,
): { readonly type: string; readonly name: string } {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [2])
  const entity = stringField(path, obj, 'entity_path')
  const slash = entity.indexOf('/')
  if (slash <= 0 || slash === entity.length - 1) throw malformed(path, 'bad "entity_path"')
  return { type: entity.slice(0, slash), name: entity.slice(slash + 1) }
}

/**
 * Good-looking arguments the suites mix hostile values into: topic names (the fixture's, fresh
 * ones, odd ones), partition indexes, offsets, config entries, group ids and znode paths.
 */
import fc from 'fast-check'
import { hostileNumber, hostileString, mostly, PROTO_KEYS } from './hostile.js'

/** The topic every cluster suite creates first (2 partitions). */
export const FIXTURE_TOPIC = 'fz-topic'

/** A topic name: the fixture's, a fresh valid one, a prototype key, or an odd string. */
export const topicName: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(FIXTURE_TOPIC) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{1,6}$/).map((s) => `fz-${s}`) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS.filter((k) => /^[\w.-]+$/.test(k))) },
  { weight: 2, arbitrary: hostileString },
)

/** A partition index: small ones, and edge numbers. */
export const partitionIndex: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 2, arbitrary: hostileNumber },
)

/** An offset as users pass it: numbers, decimal strings, bigints, names of the ends. */
export const offsetLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.integer({ min: 0, max: 5 }).map(String),
  fc.constantFrom('-1', '-2', 'earliest', 'latest', '9007199254740993', '1e3', ' 1', '01'),
  fc.constantFrom(0n, 2n ** 63n - 1n, -1n),
  hostileNumber,
)

/** Topic config names: real ones, prototype keys and odd strings. */
export const configName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'retention.ms',
    'cleanup.policy',
    'max.message.bytes',
    'segment.bytes',
    'min.insync.replicas',
    'message.timestamp.type',
    'retention.bytes',
  ),
  fc.constantFrom(...PROTO_KEYS),
  hostileString,
)

/** A config value: good-looking strings and numbers, or anything. */
export const configValue: fc.Arbitrary<unknown> = mostly(
  fc.oneof(
    fc.constantFrom('1000', '-1', 'compact', 'delete', '0', '1', 'CreateTime', '', 'true'),
    fc.integer({ min: -2, max: 1 << 20 }),
  ),
)

/** An object of config names to values, keys possibly `__proto__`. */
export const configMap: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.tuple(configName, configValue), { maxLength: 3 })
  .map((entries) => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of entries) {
      Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true })
    }
    return out
  })

/** A group id: a fixture-like one, a prototype key or an odd string. */
export const groupId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('fz-group', 'fz-empty'),
  fc.constantFrom(...PROTO_KEYS),
  hostileString,
)

/** An array of `item`, sometimes empty, sometimes long. */
export function listOf<T>(item: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant([] as T[]) },
    { weight: 1, arbitrary: item.map((x) => new Array<T>(2000).fill(x)) },
  )
}

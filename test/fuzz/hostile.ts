/**
 * Hostile arguments for the bad-input fuzz suites: values of the wrong type, numbers at and
 * past every edge, odd strings (empty, very long, NUL, lone surrogates, prototype keys, path
 * pieces), huge buffers, objects whose getters throw, Proxies, frozen objects and arrays where
 * objects belong. Each suite mixes these into otherwise good arguments with {@link variant}.
 *
 * A getter or Proxy trap that throws raises a {@link HostileError}: the caller's own error,
 * which logkeeper may let through as it is (it is not logkeeper's failure to report).
 */
import fc from 'fast-check'

/** The error a hostile getter, Proxy trap or `toString` throws: the user's own error. */
export class HostileError extends Error {
  override readonly name = 'HostileError'
}

const boom = (): never => {
  throw new HostileError('hostile argument')
}

/** Keys that reach `Object.prototype` when an object is used as a map. */
export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
] as const

/** Numbers at and past the edges of every range an option or offset may have. */
export const EDGE_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -2,
  -0,
  0,
  0.5,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
] as const

/** Strings that break names, paths and maps. */
export const ODD_STRINGS = [
  '',
  ' ',
  '.',
  '..',
  '/',
  '//',
  '/a/',
  '/a//b',
  '/./a',
  '/../a',
  '/zookeeper',
  '/zookeeper/quota',
  'a\0b',
  '/a\0b',
  '\uD800',
  '/\uD800',
  '\u202Eevil',
  '🦀',
  'a'.repeat(249),
  'a'.repeat(250),
  'x'.repeat(70_000),
  '-1',
  'NaN',
  '1e999',
  '0x10',
  ' 7 ',
  '__consumer_offsets',
  ...PROTO_KEYS,
  ...PROTO_KEYS.map((k) => `/${k}`),
] as const

/** An odd string, or a random one (full unicode included). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `/${s}`) },
)

/** An edge number, or any double or integer. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.double() },
)

/** An object whose every property read throws. */
export function throwingGetters(keys: readonly string[]): object {
  const o: Record<string, unknown> = {}
  for (const k of keys) Object.defineProperty(o, k, { get: boom, enumerable: true })
  return o
}

/** Throws for string keys; symbol keys (the test runner's own probes) read as absent. */
const boomOnStrings = (_target: object, key: string | symbol): undefined => {
  if (typeof key === 'string') boom()
  return undefined
}

/** A Proxy whose every trap throws (for string keys). */
export function throwingProxy(): object {
  return new Proxy(
    {},
    {
      get: boomOnStrings,
      has: (t, k) => boomOnStrings(t, k) ?? false,
      ownKeys: boom,
      getOwnPropertyDescriptor: boomOnStrings,
    },
  )
}

/** A Proxy that reads as an empty object but lies about its keys. */
export function lyingProxy(): object {
  return new Proxy(
    {},
    {
      ownKeys: () => ['__proto__', 'a'],
      getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }),
    },
  )
}

/** A JSON-parsed object with an own `__proto__` key, as a request body would carry one. */
export function pollutingObject(): object {
  return JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":1}}}')
}

const primitives = (): unknown[] => [
  undefined,
  null,
  true,
  false,
  0n,
  -1n,
  2n ** 64n,
  Symbol('hostile'),
]

const objects = (): unknown[] => [
  {},
  [],
  [1, 2],
  ['a'],
  new Array(3),
  Object.create(null),
  Object.freeze({ a: 1 }),
  () => undefined,
  new Date(Number.NaN),
  /x/,
  new Map([['a', 1]]),
  Promise.resolve(1),
  { toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom },
  throwingGetters(['topic', 'topics', 'path', 'value', 'partition', 'offset', 'groupId']),
  throwingProxy(),
  lyingProxy(),
  pollutingObject(),
]

const buffers = (): unknown[] => [
  Buffer.alloc(0),
  new Uint8Array(3),
  new Uint16Array(2),
  new ArrayBuffer(4),
  new DataView(new ArrayBuffer(2)),
]

/** Any value at all, hostile ones first. Fresh objects each time (nothing is shared). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...primitives()) },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 3, arbitrary: hostileString },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: objects().length - 1 }).map((i) => objects()[i]),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: buffers().length - 1 }).map((i) => buffers()[i]),
  },
)

/** A large buffer (up to just over 1 MiB: the request and znode limits). */
export const bigBuffer: fc.Arbitrary<Buffer> = fc
  .constantFrom(1 << 10, (1 << 20) - 64, 1 << 20, (1 << 20) + 1)
  .map((n) => Buffer.alloc(n, 0x61))

/**
 * An object built from `good` arbitraries where each field may instead be hostile or missing,
 * and prototype keys may be added: the shape users get almost right. The odds of a hostile
 * field shrink with the field count, so that about half of the objects are all good and the
 * calls reach past their first check.
 */
export function variant<T extends Record<string, fc.Arbitrary<unknown>>>(
  good: T,
): fc.Arbitrary<Record<string, unknown>> {
  const n = Object.keys(good).length
  const p = 1 - 0.5 ** (1 / Math.max(1, n))
  const fields: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [k, arb] of Object.entries(good)) {
    fields[k] = fc.oneof(
      { weight: Math.round(1000 * (1 - p)), arbitrary: arb },
      { weight: Math.max(1, Math.round(700 * p)), arbitrary: hostileValue },
      { weight: Math.max(1, Math.round(300 * p)), arbitrary: fc.constant(undefined) },
    )
  }
  return fc
    .tuple(
      fc.record(fields),
      fc.oneof(
        { weight: 7, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS, 'unknownOption') },
      ),
    )
    .map(([o, extra]) => {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v
      if (extra !== undefined) {
        Object.defineProperty(out, extra, { value: { polluted: 'yes' }, enumerable: true })
      }
      return out
    })
}

/** A good value most of the time, else a hostile one. */
export function mostly<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: hostileValue })
}

/** A whole argument: a {@link variant} of the good shape, or any hostile value. */
export function argument<T extends Record<string, fc.Arbitrary<unknown>>>(
  good: T,
): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: variant(good) }, { weight: 1, arbitrary: hostileValue })
}

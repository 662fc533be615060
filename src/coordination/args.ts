/**
 * Argument checks of the client's methods: plain misuse (a path that is not a string, a version
 * that is not an integer, an unknown mode) is an INVALID_ARGUMENT error before anything is sent.
 * Malformed path strings are the server's business (BAD_ARGUMENTS or NO_NODE, as ZooKeeper).
 */
import { fromCode, InvalidArgumentError } from '../common/errors.js'
import { describe } from '../common/validate.js'
import type { CreateMode, Watcher } from './types.js'

const MODES: ReadonlySet<string> = new Set([
  'persistent',
  'ephemeral',
  'persistent-sequential',
  'ephemeral-sequential',
  'container',
])

/** The path, which must be a string. */
export function checkPath(path: unknown, what = 'path'): string {
  if (typeof path !== 'string') {
    throw new InvalidArgumentError(`${what} must be a string, got ${describe(path)}`)
  }
  return path
}

/** The expected version: -1 (any) when omitted, else a 32-bit integer. */
export function checkVersion(version: unknown): number {
  if (version === undefined) return -1
  if (typeof version !== 'number' || !Number.isInteger(version) || version !== (version | 0)) {
    throw new InvalidArgumentError(`version must be a 32-bit integer, got ${describe(version)}`)
  }
  return version
}

/** The create mode, `persistent` when omitted. */
export function checkMode(mode: unknown): CreateMode {
  if (mode === undefined) return 'persistent'
  if (typeof mode !== 'string' || !MODES.has(mode)) {
    throw new InvalidArgumentError(`mode must be a CreateMode, got ${describe(mode)}`)
  }
  return mode as CreateMode
}

/** A TTL option: a number (its range is the server's check) or undefined. */
export function checkTtl(ttlMs: unknown): number | undefined {
  if (ttlMs === undefined) return undefined
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs)) {
    throw new InvalidArgumentError(`ttlMs must be a number, got ${describe(ttlMs)}`)
  }
  return ttlMs
}

/** An optional watcher function. */
export function checkWatcher(watch: unknown, what = 'watch'): Watcher | undefined {
  if (watch === undefined) return undefined
  if (typeof watch !== 'function') {
    throw new InvalidArgumentError(`${what} must be a function, got ${describe(watch)}`)
  }
  return watch as Watcher
}

/** The options of a call made without any (shared, frozen: nothing writes to options). */
const NO_OPTIONS = Object.freeze({})

/** An options object or undefined. */
export function checkOptions<T extends object>(options: unknown, what: string): Partial<T> {
  if (options === undefined || options === null) return NO_OPTIONS
  if (typeof options !== 'object') {
    throw new InvalidArgumentError(`${what} must be an object, got ${describe(options)}`)
  }
  return options as Partial<T>
}

/** The error of a request frame over jute.maxbuffer: the server drops the connection. */
export function frameTooLarge(bytes: number): Error {
  return fromCode('CONNECTION_LOSS', `request of ${bytes} bytes exceeds jute.maxbuffer`)
}

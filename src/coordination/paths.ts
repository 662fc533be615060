/**
 * ZooKeeper's path rules (`PathUtils.validatePath`) and the small path helpers the coordinator
 * uses. Paths are JavaScript strings; like Java's they are sequences of UTF-16 code units, so
 * the character ranges below are those ZooKeeper checks.
 */

/** The root's path. */
export const ROOT = '/'
/** ZooKeeper's own subtree. */
export const ZOOKEEPER = '/zookeeper'
/** Quota subtree under `/zookeeper`. */
export const ZOOKEEPER_QUOTA = '/zookeeper/quota'
/** The (read-only) dynamic configuration node. */
export const ZOOKEEPER_CONFIG = '/zookeeper/config'

function badChar(c: number): boolean {
  return (
    (c > 0 && c <= 0x1f) ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0xd800 && c <= 0xf8ff) ||
    (c >= 0xfff0 && c <= 0xffff)
  )
}

/**
 * Why `path` is not a valid znode path, or `undefined` when it is. The rules are ZooKeeper's:
 * it starts with `/`, does not end with `/` (except the root), has no empty, `.` or `..`
 * component, no NUL and none of the control, surrogate or private-use characters.
 */
export function pathProblem(path: string): string | undefined {
  const len = path.length
  if (len === 0) return 'path length must be > 0'
  if (path.charCodeAt(0) !== 0x2f) return 'path must start with /'
  if (len === 1) return undefined
  if (path.charCodeAt(len - 1) === 0x2f) return 'path must not end with /'
  let last = 0x2f
  for (let i = 1; i < len; i++) {
    const c = path.charCodeAt(i)
    if (c === 0) return `null character not allowed @${i}`
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`
    if (c === 0x2e && last === 0x2f && (i + 1 === len || path.charCodeAt(i + 1) === 0x2f)) {
      return `relative paths not allowed @${i}`
    }
    if (
      c === 0x2e &&
      last === 0x2e &&
      path.charCodeAt(i - 2) === 0x2f &&
      (i + 1 === len || path.charCodeAt(i + 1) === 0x2f)
    ) {
      return `relative paths not allowed @${i}`
    }
    if (badChar(c)) return `invalid character @${i}`
    last = c
  }
  return undefined
}

/**
 * The parent of a path as ZooKeeper computes it: everything before the last `/`. Children of
 * the root get `/`; a path without `/` gets `''` (which names no parent but the root's alias).
 */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash === 0 ? ROOT : path.slice(0, Math.max(slash, 0))
}

/** The last component of a path. */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** The child's full path. */
export function childPath(parent: string, name: string): string {
  return parent === ROOT ? ROOT + name : `${parent}/${name}`
}

/** Paths a client may never delete (ZooKeeper's `ZKDatabase.isSpecialPath`). */
export function isSpecialPath(path: string): boolean {
  return (
    path === ROOT || path === ZOOKEEPER || path === ZOOKEEPER_QUOTA || path === ZOOKEEPER_CONFIG
  )
}

/** Bytes of a string in UTF-8, without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2
        i++
      } else n += 2
    } else n += 2
  }
  return n
}

/** The `%010d` sequence suffix ZooKeeper appends to sequential nodes. */
export function sequenceSuffix(n: number): string {
  return n < 0 ? '-' + String(-n).padStart(9, '0') : String(n).padStart(10, '0')
}

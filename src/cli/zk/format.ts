/**
 * zkCli.sh's output formats: the Stat block (`StatPrinter`), dates as Java's `Date.toString()`
 * (in UTC), zxids and session ids in lowercase hex, `WatchedEvent.toString()`, and the list
 * format of `ls` (Java's `List.toString()`).
 */
import type { Stat } from '../../coordination/types.js'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const two = (n: number) => String(n).padStart(2, '0')

/** A time as Java's `Date.toString()` prints it in UTC: `Tue Nov 24 00:42:26 UTC 2026`. */
export function javaDate(ms: number): string {
  const d = new Date(ms)
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  const day = `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())}`
  return `${day} ${time} UTC ${d.getUTCFullYear()}`
}

/** A zxid or session id as ZooKeeper prints it: `0x` and lowercase hex. */
export function hex(n: number): string {
  return '0x' + n.toString(16)
}

/** The lines of zkCli's Stat block. */
export function statLines(stat: Stat): string[] {
  return [
    `cZxid = ${hex(stat.czxid)}`,
    `ctime = ${javaDate(stat.ctime)}`,
    `mZxid = ${hex(stat.mzxid)}`,
    `mtime = ${javaDate(stat.mtime)}`,
    `pZxid = ${hex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = ${hex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ]
}

/** A list as Java's `List.toString()` prints it: `[a, b]`. */
export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`
}

/** ZooKeeper's session states, as a `WatchedEvent` names them. */
export type KeeperState = 'SyncConnected' | 'Disconnected' | 'Expired' | 'Closed'

/** `WatchedEvent.toString()`: `WatchedEvent state:SyncConnected type:NodeDeleted path:/lock`. */
export function watchedEvent(state: KeeperState, type: string, path: string | null): string {
  return `WatchedEvent state:${state} type:${type} path:${path}`
}

/** zkCli's watcher output: an empty line, `WATCHER::`, an empty line, the event. */
export function watcherBlock(event: string): string {
  return `\nWATCHER::\n\n${event}\n`
}

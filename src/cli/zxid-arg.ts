/** Zxids on the command line: `0x1f` (as ZooKeeper prints them) or decimal. */
import { UsageError } from './errors.js'

/** Parse a zxid option value, or fail with a usage error naming the option. */
export function parseZxid(text: string, option: string, help: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text.slice(2), 16) : Number(text)
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${option} must be a zxid (0x1f or 31), got ${text}`, help)
  }
  return n
}

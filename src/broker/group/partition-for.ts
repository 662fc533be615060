/**
 * Which partition of `__consumer_offsets` holds a group: Kafka's
 * `Utils.abs(groupId.hashCode) % partitionCount`, with Java's `String.hashCode` (over UTF-16
 * code units) and `Utils.abs` as `n & 0x7fffffff`.
 */

/** The internal topic of committed offsets and group metadata. */
export const OFFSETS_TOPIC = '__consumer_offsets'

/** Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` in 32-bit arithmetic. @internal */
export function javaStringHashCode(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

/** The partition of `__consumer_offsets` that holds `groupId`. @internal */
export function partitionFor(groupId: string, partitionCount: number): number {
  return (javaStringHashCode(groupId) & 0x7fffffff) % partitionCount
}

/**
 * Kafka's key hash: `Utils.murmur2` of the Java client (MurmurHash2, 32 bits, seed
 * 0x9747b28c) and `Utils.toPositive`. The default partitioner maps a key to
 * `toPositive(murmur2(keyBytes)) % numPartitions`, so a key lands on the same partition as
 * with Kafka's Java client (and kafkajs's `JavaCompatiblePartitioner`).
 */

const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/**
 * The 32-bit murmur2 hash of `data`, as a signed int32 exactly as Kafka's `Utils.murmur2`.
 *
 * @example
 * ```ts
 * murmur2(Buffer.from('foobar')) // -790332482
 * ```
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length
  let h = (SEED ^ length) | 0
  const end = length & ~3
  for (let i = 0; i < end; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const tail = length & 3
  if (tail > 0) {
    // Kafka folds the last 1–3 bytes in from the highest: 3 → byte 2 << 16, 2 → byte 1 << 8, 1 → byte 0.
    if (tail === 3) h ^= (data[end + 2] as number) << 16
    if (tail >= 2) h ^= (data[end + 1] as number) << 8
    h ^= data[end] as number
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

/**
 * A non-negative int32 from any int32, as Kafka's `Utils.toPositive` (`n & 0x7fffffff`; not
 * `Math.abs`, which would overflow for -2^31 in Java).
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}

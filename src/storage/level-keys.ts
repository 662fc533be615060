/**
 * The key layout of {@link LevelLogStore}, one sublevel per kind of record under the database
 * it is given. Numbers are zero-padded so that keys sort as the numbers do; `/` sorts before
 * every digit and after every topic character but the two it follows (`-` and `.`), and each
 * range below is closed by the character after `/` (`0`), so one partition's range never
 * reaches into another's.
 *
 * | sublevel      | key                                   | value                         |
 * |---------------|---------------------------------------|-------------------------------|
 * | `partitions`  | `<topic>/<partition:10>`              | empty (the partition exists)  |
 * | `segments`    | `<topic>/<partition:10>/<base:20>`    | empty (the segment exists)    |
 * | `chunks`      | `…/<base:20>/<position:12>`           | appended bytes at `position`  |
 * | `offsetIndex` | `…/<base:20>/<first entry:10>`        | Kafka `.index` entries        |
 * | `timeIndex`   | `…/<base:20>/<first entry:10>`        | Kafka `.timeindex` entries    |
 */
import type { TopicPartition } from './log-store.js'

/** `orders/0000000003`. */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}/${String(tp.partition).padStart(10, '0')}`
}

/** Parse a {@link partitionKey}. */
export function parsePartitionKey(key: string): TopicPartition {
  const slash = key.lastIndexOf('/')
  return { topic: key.slice(0, slash), partition: Number(key.slice(slash + 1)) }
}

/** `orders/0000000003/00000000000000000100`. */
export function segmentKey(tp: TopicPartition, baseOffset: number): string {
  return `${partitionKey(tp)}/${String(baseOffset).padStart(20, '0')}`
}

/** The key of the chunk at `position` of a segment. */
export function chunkKey(segment: string, position: number): string {
  return `${segment}/${String(position).padStart(12, '0')}`
}

/** The key of an index value starting at entry `entry`. */
export function indexKey(segment: string, entry: number): string {
  return `${segment}/${String(entry).padStart(10, '0')}`
}

/** The number at the end of a key (a base offset, position or entry number). */
export function lastNumber(key: string): number {
  return Number(key.slice(key.lastIndexOf('/') + 1))
}

/** Iterator bounds of every key under `prefix` followed by `/`. */
export function under(prefix: string): { gte: string; lt: string } {
  return { gte: `${prefix}/`, lt: `${prefix}0` }
}

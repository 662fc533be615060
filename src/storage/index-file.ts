/**
 * Kafka's index formats, shared by every store that persists indexes. Facts from Kafka's
 * `OffsetIndex.java` and `TimeIndex.java`: an offset-index entry is 8 bytes, a 4-byte offset
 * relative to the segment's base offset then a 4-byte physical position; a time-index entry is
 * 12 bytes, an 8-byte timestamp then a 4-byte relative offset; all big-endian. Entries are
 * appended in order, so a whole index is a dense buffer of entries, which is how it is held in
 * memory here too (a few bytes per entry, not a JS object each).
 */
import type { OffsetIndexEntry, TimeIndexEntry } from './log-store.js'

/** Bytes per `.index` entry: relative offset (int32) + position (int32). */
export const OFFSET_ENTRY_BYTES = 8
/** Bytes per `.timeindex` entry: timestamp (int64) + relative offset (int32). */
export const TIME_ENTRY_BYTES = 12
/** The largest relative offset or position an index entry can hold (a signed int32). */
export const MAX_INT32 = 0x7fffffff

/** A growable buffer of fixed-size entries; tracks how many of them are persisted. */
export class IndexBuffer {
  #bytes: Buffer
  #entries: number
  /** Entries already written to the store's durable copy (the rest are pending). */
  persistedEntries: number

  /** @param initial - entries read back from the store; a partial last entry is dropped */
  constructor(
    readonly entryBytes: number,
    initial: Uint8Array = new Uint8Array(0),
  ) {
    this.#entries = Math.floor(initial.length / entryBytes)
    this.#bytes = Buffer.alloc(Math.max(64, this.#entries) * entryBytes)
    this.#bytes.set(initial.subarray(0, this.#entries * entryBytes))
    this.persistedEntries = this.#entries
  }

  /** The number of entries held. */
  get entries(): number {
    return this.#entries
  }

  /** Room for one more entry; returns the byte position at which to write it. */
  reserve(): number {
    const at = this.#entries * this.entryBytes
    if (at + this.entryBytes > this.#bytes.length) {
      const grown = Buffer.alloc(this.#bytes.length * 2)
      grown.set(this.#bytes.subarray(0, at))
      this.#bytes = grown
    }
    this.#entries++
    return at
  }

  /** The raw bytes of entries `[from, to)` (a view; copy before keeping). */
  view(fromEntry = 0, toEntry = this.#entries): Buffer {
    return this.#bytes.subarray(fromEntry * this.entryBytes, toEntry * this.entryBytes)
  }

  /** Keep only the first `entries` entries. */
  truncateTo(entries: number): void {
    this.#entries = Math.min(this.#entries, entries)
    this.persistedEntries = Math.min(this.persistedEntries, this.#entries)
  }
}

/** Write an offset-index entry at byte `at` of `buf`. */
export function writeOffsetEntry(
  buf: Buffer,
  at: number,
  baseOffset: number,
  entry: OffsetIndexEntry,
): void {
  buf.writeInt32BE(entry.offset - baseOffset, at)
  buf.writeInt32BE(entry.position, at + 4)
}

/** Read the offset-index entry at byte `at` of `buf`. */
export function readOffsetEntry(buf: Buffer, at: number, baseOffset: number): OffsetIndexEntry {
  return { offset: baseOffset + buf.readInt32BE(at), position: buf.readInt32BE(at + 4) }
}

/** Write a time-index entry at byte `at` of `buf`. */
export function writeTimeEntry(
  buf: Buffer,
  at: number,
  baseOffset: number,
  entry: TimeIndexEntry,
): void {
  buf.writeBigInt64BE(BigInt(entry.timestamp), at)
  buf.writeInt32BE(entry.offset - baseOffset, at + 8)
}

/** Read the time-index entry at byte `at` of `buf`. */
export function readTimeEntry(buf: Buffer, at: number, baseOffset: number): TimeIndexEntry {
  return { timestamp: Number(buf.readBigInt64BE(at)), offset: baseOffset + buf.readInt32BE(at + 8) }
}

/** Decode a whole `.index` file's bytes (a partial last entry is ignored). */
export function decodeOffsetIndex(bytes: Uint8Array, baseOffset: number): OffsetIndexEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const out: OffsetIndexEntry[] = []
  for (let at = 0; at + OFFSET_ENTRY_BYTES <= buf.length; at += OFFSET_ENTRY_BYTES) {
    out.push(readOffsetEntry(buf, at, baseOffset))
  }
  return out
}

/** Decode a whole `.timeindex` file's bytes (a partial last entry is ignored). */
export function decodeTimeIndex(bytes: Uint8Array, baseOffset: number): TimeIndexEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const out: TimeIndexEntry[] = []
  for (let at = 0; at + TIME_ENTRY_BYTES <= buf.length; at += TIME_ENTRY_BYTES) {
    out.push(readTimeEntry(buf, at, baseOffset))
  }
  return out
}

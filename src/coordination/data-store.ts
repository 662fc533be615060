/**
 * Where the tree keeps node data: in large slabs of bytes outside the JavaScript heap, not as one
 * string or Buffer per node. A node holds a handle (a small integer) and a length; the garbage
 * collector neither copies nor marks the bytes, which made creating nodes about a third faster,
 * and a 100-byte value costs 104 bytes instead of a 120-byte string.
 *
 * Blocks are rounded up to 8 bytes; a freed block goes on the free list of its size and is
 * reused by the next value of that size, so a tree that replaces values of similar sizes does
 * not grow. Values over {@link BIG} bytes get a Buffer of their own. Slabs are never returned:
 * a tree's data space is its high-water mark (as a Java heap).
 *
 * A new slab is zero-filled at once, so its pages are faulted in one sweep rather than one page
 * per ~40 creates between other work. Where first touches are dear (a VM: ~15 µs per 4 KiB
 * page) the profile put about a fifth of a create's time in these faults; in one sweep they
 * cost less, but measured quietly a create got only 2-3% cheaper.
 */

import type { TxnData } from './txn.js'

/** Handle of null data (created without data). */
export const NULL_DATA = -1
/** Handle of empty data (no bytes stored). */
export const EMPTY_DATA = 0

/** Bytes per slab (2^20): a handle is `slab * SLAB + offset`, a small integer up to 2 GiB. */
const SLAB = 1 << 20
/** Values longer than this get their own Buffer. */
const BIG = 16 * 1024
/** Handles of big values count down from here. */
const FIRST_BIG = -2
/** Slabs at most (4 GiB), so that `handle >>> 20` finds the slab; then values get Buffers. */
const MAX_SLABS = 4096

/** Node's own latin1 writer: `write(s, at, len, 'latin1')` without its argument handling. */
interface Latin1Writer {
  latin1Write?(data: string, offset: number, length: number): number
}

const fastLatin1 = typeof (Buffer.prototype as Latin1Writer).latin1Write === 'function'

/** The data bytes of one tree. */
export class DataStore {
  readonly #slabs: Buffer[] = []
  /** Free position in the last slab. */
  #top = SLAB
  /** Free blocks by size / 8. */
  readonly #free: number[][] = []
  readonly #big = new Map<number, Buffer>()
  #nextBig = FIRST_BIG

  /** Store data (latin1 text or bytes, copied); returns its handle. */
  put(data: TxnData): number {
    if (data === null) return NULL_DATA
    const len = data.length
    if (len === 0) return EMPTY_DATA
    const handle = len > BIG ? -1 : this.#alloc((len + 7) >>> 3)
    if (handle === -1) {
      const big = this.#nextBig--
      this.#big.set(big, typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data))
      return big
    }
    const slab = this.#slabs[handle >>> 20] as Buffer & Latin1Writer
    if (typeof data !== 'string') slab.set(data, handle & (SLAB - 1))
    else if (fastLatin1) slab.latin1Write?.(data, handle & (SLAB - 1), len)
    else slab.write(data, handle & (SLAB - 1), len, 'latin1')
    return handle
  }

  #alloc(units: number): number {
    const list = this.#free[units]
    if (list !== undefined && list.length > 0) return list.pop() as number
    const size = units << 3
    if (this.#top + size > SLAB) {
      if (this.#slabs.length === MAX_SLABS) return -1
      this.#slabs.push(Buffer.allocUnsafeSlow(SLAB).fill(0))
      this.#top = 0
    }
    const handle = (this.#slabs.length - 1) * SLAB + this.#top
    this.#top += size
    return handle
  }

  /** Release the data of a handle holding `len` bytes. */
  free(handle: number, len: number): void {
    if (len === 0 || handle === NULL_DATA) return
    if (handle <= FIRST_BIG) {
      this.#big.delete(handle)
      return
    }
    const units = (len + 7) >>> 3
    let list = this.#free[units]
    if (list === undefined) {
      list = []
      this.#free[units] = list
    }
    list.push(handle)
  }

  /** A copy of the data as a new Buffer (`null` for null data). */
  buffer(handle: number, len: number): Buffer | null {
    if (handle === NULL_DATA) return null
    const out = Buffer.allocUnsafe(len)
    if (len === 0) return out
    if (handle <= FIRST_BIG) (this.#big.get(handle) as Buffer).copy(out)
    else {
      const at = handle & (SLAB - 1)
      ;(this.#slabs[handle >>> 20] as Buffer).copy(out, 0, at, at + len)
    }
    return out
  }

  /** The data as a latin1 string (`null` for null data). */
  latin1(handle: number, len: number): string | null {
    if (handle === NULL_DATA) return null
    if (len === 0) return ''
    if (handle <= FIRST_BIG) return (this.#big.get(handle) as Buffer).toString('latin1')
    const at = handle & (SLAB - 1)
    return (this.#slabs[handle >>> 20] as Buffer).toString('latin1', at, at + len)
  }

  /** Bytes held in slabs and big values (free blocks included). */
  get bytes(): number {
    let n = this.#slabs.length * SLAB
    for (const b of this.#big.values()) n += b.length
    return n
  }
}

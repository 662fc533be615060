/**
 * Recycled buffers for the bytes a persistent store holds until a flush writes them. Appended
 * batches are copied into a fill buffer; once a flush has written it, it comes back here and the
 * next appends reuse it. Memory a process touches for the first time costs far more than a copy
 * into memory already in use (page faults: on some virtual machines 3 ms per MiB, against
 * 0.05 ms for the copy), and a store that copies every batch into fresh memory pays that on
 * every append; recycled, it pays it once.
 *
 * One free list for the process, bounded ({@link KEEP_BYTES} in all, none larger than
 * {@link KEEP_ONE_BYTES}); buffers beyond are left to the garbage collector.
 */

/** Smallest fill buffer. */
export const FILL_MIN_BYTES = 64 * 1024
/** Largest buffer kept for reuse. */
const KEEP_ONE_BYTES = 4 * 1024 * 1024
/** Most bytes kept for reuse in all. */
const KEEP_BYTES = 16 * 1024 * 1024

const free: Buffer[] = []
let freeBytes = 0

/** A buffer of at least `minBytes`: a recycled one when one fits, else a new one. */
export function takeFillBuffer(minBytes: number): Buffer {
  for (let i = free.length - 1; i >= 0; i--) {
    const b = free[i] as Buffer
    if (b.length >= minBytes) {
      free[i] = free[free.length - 1] as Buffer
      free.pop()
      freeBytes -= b.length
      return b
    }
  }
  return Buffer.allocUnsafeSlow(Math.max(FILL_MIN_BYTES, minBytes))
}

/**
 * Give back a buffer taken with {@link takeFillBuffer} once nothing refers to it any more
 * (its bytes are written and no pending chunk is a view of it).
 */
export function giveFillBuffer(buffer: Buffer): void {
  if (buffer.length > KEEP_ONE_BYTES || freeBytes + buffer.length > KEEP_BYTES) return
  free.push(buffer)
  freeBytes += buffer.length
}

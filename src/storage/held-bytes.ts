/**
 * Which memory the stores keep by reference. A memory store keeps its pages and, zero-copy,
 * the buffers appended to it; reads hand out views of them. The partition log patches a batch
 * in place when it appends it (base offset, leader epoch), so before patching it asks
 * {@link isHeld}: a batch whose memory some store keeps (the same buffer appended twice, a
 * read result appended to this or another log) is copied first, and no stored batch is ever
 * changed behind its log's back.
 *
 * Marks are per `ArrayBuffer`, in a `WeakSet` (a kept buffer that is dropped is forgotten with
 * it). A mark may cover more than the stored bytes (a view of part of a larger buffer marks
 * the whole buffer): that errs on the side of a needless copy, never of a missed one.
 */

const held = new WeakSet<ArrayBufferLike>()

/** Mark the memory of `bytes` as kept by a store (for as long as that memory lives). */
export function holdBytes(bytes: Uint8Array): void {
  held.add(bytes.buffer)
}

/** Whether a store may keep (part of) the memory of `bytes`. */
export function isHeld(bytes: Uint8Array): boolean {
  return held.has(bytes.buffer)
}

/**
 * Which memory the stores keep by reference. A memory store keeps its pages and, zero-copy,
 * the buffers appended to it; reads hand out views of them. The partition log patches a batch
 * in place when it appends it (base offset, leader epoch), so before patching it asks
 * {@link isHeld}: a batch whose memory some store keeps (the same buffer appended twice, a
 * read result appended to this or another log) is copied first, and no stored batch is ever
 * changed behind its log's back.
 *
 * Marks are per `ArrayBuffer`, as a private class field stamped onto the `ArrayBuffer` object
 * itself (a base constructor that returns the object it is given lets a subclass add its
 * private field to any object): invisible to other code (no property, no reflection), gone
 * with the buffer, and checked by an `in` test on the object, where a `WeakSet` costs a hash
 * lookup per check and per mark and an ephemeron per kept buffer in every full GC. A mark may
 * cover more than the stored bytes (a view of part of a larger buffer marks the whole buffer):
 * that errs on the side of a needless copy, never of a missed one.
 */

/** Returns the object it is given, so that a subclass constructor stamps its fields onto it. */
class Stamped {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the stamping technique itself
    return target
  }
}

/**
 * Marks that could not be stamped, should an engine refuse private fields on non-extensible
 * objects (a proposal): a frozen `ArrayBuffer` is then marked here.
 */
let unstamped: WeakSet<object> | undefined

/** Stamps the mark. */
class HeldMark extends Stamped {
  #held = true

  /** Mark `memory` (once). */
  static mark(memory: object): void {
    if (#held in memory) return
    try {
      new HeldMark(memory)
    } catch {
      unstamped ??= new WeakSet()
      unstamped.add(memory)
    }
  }

  /** Whether `memory` is marked. */
  static has(memory: object): boolean {
    return #held in memory || unstamped?.has(memory) === true
  }
}

/** Mark the memory of `bytes` as kept by a store (for as long as that memory lives). */
export function holdBytes(bytes: Uint8Array): void {
  HeldMark.mark(bytes.buffer)
}

/** Mark `memory` (the `buffer` of bytes a store keeps) as kept, as {@link holdBytes}. */
export function holdMemory(memory: ArrayBufferLike): void {
  HeldMark.mark(memory)
}

/** Whether a store may keep (part of) the memory of `bytes`. */
export function isHeld(bytes: Uint8Array): boolean {
  return HeldMark.has(bytes.buffer)
}

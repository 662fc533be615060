/**
 * Chance, injected. Every random choice in logkeeper (replica placement, the sticky
 * partitioner, member ids, simulated faults) comes from a {@link Random}, so a seed replays a
 * whole run. The generator is sfc32, seeded through splitmix32: fast, 128 bits of state, and
 * the same sequence on every platform.
 */

/** A seeded source of random numbers. */
export interface Random {
  /** The seed this generator started from. */
  readonly seed: number
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number
  /** An integer in [min, max], both included. */
  intBetween(min: number, max: number): number
  /** `true` with probability `p`. */
  chance(p: number): boolean
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T
  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[]
  /** `n` random bytes. */
  bytes(n: number): Uint8Array
  /** A random UUID (version 4 layout), e.g. for member ids. */
  uuid(): string
  /** An independent generator derived from this one and a label (the same label, the same stream). */
  fork(label: string): Random
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

function hashLabel(label: string): number {
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** The sfc32 generator behind {@link createRandom}. */
export class SeededRandom implements Random {
  readonly seed: number
  #a: number
  #b: number
  #c: number
  #d: number

  /**
   * A generator seeded with `seed`.
   *
   * @param seed - any integer; the same seed gives the same sequence
   */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`)
    this.seed = seed
    const mix = splitmix32(seed)
    this.#a = mix()
    this.#b = mix()
    this.#c = mix()
    this.#d = mix()
    for (let i = 0; i < 12; i++) this.#next32()
  }

  #next32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0
    this.#d = (this.#d + 1) | 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) | 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#c = (this.#c + t) | 0
    return t >>> 0
  }

  next(): number {
    return this.#next32() / 4294967296
  }

  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`int(max) needs a positive integer, got ${maxExclusive}`)
    }
    return Math.floor(this.next() * maxExclusive)
  }

  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array')
    return items[this.int(items.length)] as T
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = out[i] as T
      out[i] = out[j] as T
      out[j] = tmp
    }
    return out
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i += 4) {
      let word = this.#next32()
      for (let k = 0; k < 4 && i + k < n; k++) {
        out[i + k] = word & 0xff
        word >>>= 8
      }
    }
    return out
  }

  uuid(): string {
    const b = this.bytes(16)
    b[6] = ((b[6] as number) & 0x0f) | 0x40
    b[8] = ((b[8] as number) & 0x3f) | 0x80
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }

  fork(label: string): Random {
    return new SeededRandom((this.seed ^ hashLabel(label)) >>> 0)
  }
}

/**
 * A seeded generator. Without a seed, one is drawn from `Math.random()` (read it back from
 * `random.seed` to replay the run).
 */
export function createRandom(seed?: number): Random {
  return new SeededRandom(seed ?? Math.floor(Math.random() * 0x1_0000_0000))
}

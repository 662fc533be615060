/**
 * A small binary writer and reader for the txn log and snapshots: fixed-width numbers (f64 for
 * zxids, times and session ids, which are safe integers), UTF-8 strings and latin1 data, each
 * with a length prefix (-1 for null data).
 */

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder()

/** Appends values to a growing byte array. */
export class ByteWriter {
  #buf: Uint8Array
  #view: DataView
  #pos = 0

  constructor(initial = 256) {
    this.#buf = new Uint8Array(initial)
    this.#view = new DataView(this.#buf.buffer)
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < this.#pos + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.#buf.subarray(0, this.#pos))
    this.#buf = next
    this.#view = new DataView(next.buffer)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos
  }

  /** One byte. */
  u8(n: number): this {
    this.#room(1)
    this.#buf[this.#pos++] = n
    return this
  }

  /** A signed 32-bit integer. */
  i32(n: number): this {
    this.#room(4)
    this.#view.setInt32(this.#pos, n)
    this.#pos += 4
    return this
  }

  /** A number (a safe integer or any double). */
  f64(n: number): this {
    this.#room(8)
    this.#view.setFloat64(this.#pos, n)
    this.#pos += 8
    return this
  }

  /** A UTF-8 string with its byte length. */
  str(s: string): this {
    this.#room(4 + s.length * 3)
    const { written } = utf8.encodeInto(s, this.#buf.subarray(this.#pos + 4))
    this.#view.setInt32(this.#pos, written)
    this.#pos += 4 + written
    return this
  }

  /** Data: latin1 text (one byte per character) or bytes, or null. */
  data(s: string | Uint8Array | null): this {
    if (s === null) return this.i32(-1)
    if (typeof s !== 'string') {
      this.i32(s.length)
      this.#room(s.length)
      this.#buf.set(s, this.#pos)
      this.#pos += s.length
      return this
    }
    this.i32(s.length)
    this.#room(s.length)
    const b = this.#buf
    Buffer.from(b.buffer, b.byteOffset + this.#pos, s.length).write(s, 'latin1')
    this.#pos += s.length
    return this
  }

  /** The bytes written (a copy-free view). */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#pos)
  }
}

/** Reads values in the order a {@link ByteWriter} wrote them. */
export class ByteReader {
  readonly #buf: Uint8Array
  readonly #view: DataView
  #pos = 0

  constructor(buf: Uint8Array) {
    this.#buf = buf
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  /** Whether everything was read. */
  get done(): boolean {
    return this.#pos >= this.#buf.length
  }

  #need(n: number): void {
    if (this.#pos + n > this.#buf.length) throw new RangeError('truncated record')
  }

  /** One byte. */
  u8(): number {
    this.#need(1)
    return this.#buf[this.#pos++] as number
  }

  /** A signed 32-bit integer. */
  i32(): number {
    this.#need(4)
    const n = this.#view.getInt32(this.#pos)
    this.#pos += 4
    return n
  }

  /** A number. */
  f64(): number {
    this.#need(8)
    const n = this.#view.getFloat64(this.#pos)
    this.#pos += 8
    return n
  }

  /** A UTF-8 string. */
  str(): string {
    const n = this.i32()
    this.#need(n)
    const s = utf8Decoder.decode(this.#buf.subarray(this.#pos, this.#pos + n))
    this.#pos += n
    return s
  }

  /** Latin1 data or null. */
  data(): string | null {
    const n = this.i32()
    if (n < 0) return null
    this.#need(n)
    const b = this.#buf
    const s = Buffer.from(b.buffer, b.byteOffset + this.#pos, n).toString('latin1')
    this.#pos += n
    return s
  }
}

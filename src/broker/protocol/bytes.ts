/**
 * Big-endian reading and writing of Kafka's non-flexible primitive types (int16, int32,
 * int16-length strings, int32-length bytes and arrays), as the consumer protocol and the sticky
 * assignors' user data use them. A read past the end, or a negative length where none is
 * allowed, is a {@link SchemaError}.
 */

/** Malformed bytes (Kafka's `SchemaException`). Callers turn it into a coded error. */
export class SchemaError extends Error {}

/** Reads Kafka primitives from a byte array, front to back. */
export class ByteReader {
  private pos = 0
  private readonly view: DataView

  /** A reader at the start of `bytes`. */
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.bytes.length - this.pos
  }

  /** A big-endian int16. */
  int16(): number {
    this.need(2)
    const v = this.view.getInt16(this.pos)
    this.pos += 2
    return v
  }

  /** A big-endian int32. */
  int32(): number {
    this.need(4)
    const v = this.view.getInt32(this.pos)
    this.pos += 4
    return v
  }

  /** An int16-length UTF-8 string; -1 is null when `nullable`, an error otherwise. */
  string(nullable: true): string | null
  /** An int16-length UTF-8 string that may not be null. */
  string(nullable?: false): string
  string(nullable = false): string | null {
    const length = this.int16()
    if (length < 0) {
      if (nullable && length === -1) return null
      throw new SchemaError(`String length ${length} cannot be negative.`)
    }
    return this.take(length).toString('utf8')
  }

  /** Int32-length bytes (a copy); -1 is null. */
  nullableBytes(): Buffer | null {
    const length = this.int32()
    if (length === -1) return null
    if (length < 0) throw new SchemaError(`Bytes length ${length} cannot be negative.`)
    return Buffer.from(this.take(length))
  }

  /** An int32-length array that may not be null; each element read by `item`. */
  array<T>(item: (r: ByteReader) => T): T[] {
    const length = this.int32()
    if (length < 0) throw new SchemaError(`Array size ${length} cannot be negative.`)
    if (length > this.remaining) {
      throw new SchemaError(`Array of size ${length}, only ${this.remaining} bytes available.`)
    }
    const out: T[] = []
    for (let i = 0; i < length; i++) out.push(item(this))
    return out
  }

  private take(length: number): Buffer {
    this.need(length)
    const b = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, length)
    this.pos += length
    return b
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new SchemaError(`Buffer underflow: ${n} bytes needed, ${this.remaining} left.`)
    }
  }
}

/** Writes Kafka primitives into a growing list of chunks. */
export class ByteWriter {
  private readonly chunks: Buffer[] = []

  /** A big-endian int16. */
  int16(v: number): this {
    const b = Buffer.allocUnsafe(2)
    b.writeInt16BE(v)
    this.chunks.push(b)
    return this
  }

  /** A big-endian int32. */
  int32(v: number): this {
    const b = Buffer.allocUnsafe(4)
    b.writeInt32BE(v)
    this.chunks.push(b)
    return this
  }

  /** An int16-length UTF-8 string, or -1 for null. */
  string(s: string | null): this {
    if (s === null) return this.int16(-1)
    const b = Buffer.from(s, 'utf8')
    if (b.length > 0x7fff) throw new RangeError(`String of ${b.length} bytes is too long.`)
    this.int16(b.length)
    this.chunks.push(b)
    return this
  }

  /** Int32-length bytes, or -1 for null. */
  bytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1)
    this.int32(b.length)
    this.chunks.push(Buffer.from(b))
    return this
  }

  /** An int32-length array, each element written by `item`. */
  array<T>(items: readonly T[], item: (w: ByteWriter, v: T) => void): this {
    this.int32(items.length)
    for (const v of items) item(this, v)
    return this
  }

  /** The bytes written. */
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

/**
 * How `console-producer` sends its records: one send per record, as Kafka's console producer
 * sends them, so a record the producer refuses (too large, say) fails alone, and the records
 * sent in one turn of the event loop still share a batch. Failures are reported one line per
 * record, in the words of Kafka's `ErrorLoggingCallback`, and counted; the records waiting for
 * their acknowledgement are bounded by bytes (Kafka's `buffer.memory`, 32 MiB), past which
 * the reader waits.
 */
import type { Message, MessageBytes } from '../../producer/message.js'
import type { Producer } from '../../producer/producer.js'
import { oneLine } from '../errors.js'
import type { Output } from '../io.js'

/** Bytes of records awaiting acknowledgement past which reading waits (Kafka's `buffer.memory`). */
export const MAX_PENDING_BYTES = 32 << 20

/** Records awaiting acknowledgement past which reading waits (small records, many of them). */
export const MAX_PENDING_RECORDS = 100_000

function sizeOf(bytes: MessageBytes | null | undefined): number {
  if (bytes === null || bytes === undefined) return 0
  return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length
}

function describeBytes(bytes: MessageBytes | null | undefined): string {
  return bytes === null || bytes === undefined ? 'null' : `${sizeOf(bytes)} bytes`
}

/** Sends records to one topic and keeps count of what was acknowledged and what failed. */
export class RecordSender {
  readonly #producer: Producer
  readonly #topic: string
  readonly #stderr: Output
  #waiters: (() => void)[] = []
  #pendingRecords = 0
  #pendingBytes = 0
  #sent = 0
  #failed = 0

  /** A sender of `topic`'s records through `producer`, reporting failures on `stderr`. */
  constructor(producer: Producer, topic: string, stderr: Output) {
    this.#producer = producer
    this.#topic = topic
    this.#stderr = stderr
  }

  /** Records acknowledged so far. */
  get sent(): number {
    return this.#sent
  }

  /** Records that failed so far. */
  get failed(): number {
    return this.#failed
  }

  /** Send one record; resolves once it is acknowledged or has failed (never rejects). */
  send(message: Message): Promise<void> {
    const bytes = sizeOf(message.key) + sizeOf(message.value)
    this.#pendingRecords++
    this.#pendingBytes += bytes
    return this.#producer
      .send({ topic: this.#topic, messages: [message] })
      .then(
        () => {
          this.#sent++
        },
        (error: unknown) => {
          this.#failed++
          this.#reportFailure(message, error)
        },
      )
      .finally(() => {
        this.#pendingRecords--
        this.#pendingBytes -= bytes
        this.#wake()
      })
  }

  /** Wait while the records awaiting acknowledgement hold more than {@link MAX_PENDING_BYTES}. */
  async room(): Promise<void> {
    while (this.#pendingBytes > MAX_PENDING_BYTES || this.#pendingRecords > MAX_PENDING_RECORDS) {
      await this.#change()
    }
  }

  /** Send what lingers, and wait until every record sent so far is acknowledged or failed. */
  async finish(): Promise<void> {
    const flushed = this.#producer.flush().catch(() => undefined)
    while (this.#pendingRecords > 0) await this.#change()
    await flushed
  }

  #reportFailure(message: Message, error: unknown): void {
    this.#stderr.line(
      `Error when sending message to topic ${this.#topic} with key: ` +
        `${describeBytes(message.key)}, value: ${describeBytes(message.value)} ` +
        `with error: ${oneLine(error)}`,
    )
  }

  #change(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const resolve of waiters) resolve()
  }
}

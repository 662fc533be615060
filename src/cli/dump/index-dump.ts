/**
 * Dumping a segment's `.index` (`offset: 42 position: 4096` per entry) and `.timeindex`
 * (`timestamp: 1700000000000 offset: 42`) as kafka-dump-log prints them. Entries hold offsets
 * relative to the segment's base; a zero entry after the first ends the dump (the unused,
 * pre-allocated tail of an index Kafka has not trimmed).
 */
import { readFile } from 'node:fs/promises'
import { UserError } from '../errors.js'
import type { CliIo } from '../io.js'
import { startOffsetOf } from './log-dump.js'

async function contents(file: string): Promise<Buffer> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)
  })
}

/** Print the offset index `file`. */
export async function dumpOffsetIndex(file: string, io: CliIo): Promise<void> {
  const base = startOffsetOf(file)
  const bytes = await contents(file)
  const entries = Math.floor(bytes.length / 8)
  if (entries === 0) {
    io.stdout.line(`${file} is empty.`)
    return
  }
  for (let i = 0; i < entries; i++) {
    const offset = base + BigInt(bytes.readInt32BE(i * 8))
    if (offset === base && i > 0) return
    io.stdout.line(`offset: ${offset} position: ${bytes.readInt32BE(i * 8 + 4)}`)
    await io.stdout.ready()
  }
}

/** Print the time index `file`. */
export async function dumpTimeIndex(file: string, io: CliIo): Promise<void> {
  const base = startOffsetOf(file)
  const bytes = await contents(file)
  const entries = Math.floor(bytes.length / 12)
  for (let i = 0; i < entries; i++) {
    const offset = base + BigInt(bytes.readInt32BE(i * 12 + 8))
    if (offset === base && i > 0) return
    io.stdout.line(`timestamp: ${bytes.readBigInt64BE(i * 12)} offset: ${offset}`)
    await io.stdout.ready()
  }
}

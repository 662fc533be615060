/**
 * Dumping one `.log` segment as `kafka-dump-log --files x.log` does: the starting offset from
 * the file name, a line per batch (`isvalid: false` for a batch whose CRC does not match, the
 * dump going on after it), with deep iteration a line per record, and the count of invalid
 * bytes left at the end. Records of compressed batches are read for gzip (and zstd where
 * node:zlib has it); other codecs are named on stderr and the dump goes on.
 */
import { open } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import * as zlib from 'node:zlib'
import { decodeRecordBatch } from '../../log/record-batch.js'
import type { BatchCodecs, DecodedRecord } from '../../log/record-types.js'
import { UserError } from '../errors.js'
import type { CliIo } from '../io.js'
import { batchLine, type DumpHeader, readDumpHeader, recordLine } from './batch-format.js'
import type { Progress } from './progress.js'
import { readBatches } from './segment-reader.js'

/** Options of {@link dumpLogFile}. */
export interface LogDumpOptions {
  /** Print each record (`--deep-iteration`, implied by `--print-data-log`). */
  readonly deep: boolean
  /** Print keys and payloads (`--print-data-log`). */
  readonly printData: boolean
  /** `--skip-record-metadata`. */
  readonly skipMetadata: boolean
  /** Read only this many bytes of the file (`--max-bytes`). */
  readonly maxBytes: number
}

/** What a dump found that is reported after all files (as Kafka does). */
export interface LogDumpFindings {
  /** Offsets that did not follow their predecessor, by absolute file path. */
  readonly nonConsecutive: Map<string, [bigint, bigint][]>
  /** Batches whose records could not be read. */
  problems: number
}

const zstd = (zlib as { zstdDecompressSync?: (b: Uint8Array) => Buffer }).zstdDecompressSync

const CODECS: BatchCodecs = {
  decompress(codec, data) {
    if (codec === 'gzip') return zlib.gunzipSync(data)
    if (codec === 'zstd' && zstd !== undefined) return zstd(data)
    throw new Error(`${codec}-compressed records cannot be read here`)
  },
}

/** The starting offset Kafka takes from a segment's file name (`00000000000000000042.log`). */
export function startOffsetOf(file: string): bigint {
  const head = basename(file).split('.')[0] ?? ''
  if (!/^-?\d+$/.test(head)) {
    throw new UserError(`${file}: a segment's name is its base offset, as 00000000000000000000.log`)
  }
  return BigInt(head)
}

function decodeRecords(bytes: Buffer): DecodedRecord[] {
  return decodeRecordBatch(bytes, { verifyCrc: false, codecs: CODECS }).records
}

/** Dump the segment `file` to `io.stdout`. */
export async function dumpLogFile(
  file: string,
  io: CliIo,
  options: LogDumpOptions,
  findings: LogDumpFindings,
  progress: Progress,
): Promise<void> {
  io.stdout.line(`Log starting offset: ${startOffsetOf(file)}`)
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)
  })
  try {
    const size = (await handle.stat()).size
    const end = Math.min(size, options.maxBytes)
    progress.start(file, end)
    let validBytes = 0
    let last: bigint | undefined
    for await (const batch of readBatches(handle, end, basename(file))) {
      if (batch.magic < 2) {
        throw new UserError(
          `${file}: the batch at position ${batch.position} has message format v${batch.magic} ` +
            '(magic 0/1), which logkeeper does not read',
        )
      }
      const header = readDumpHeader(batch.bytes, batch.size)
      if (header.codec === undefined) {
        throw new UserError(
          `${file}: unknown compression type id ${header.attributes & 7} in the batch at ` +
            `position ${batch.position}`,
        )
      }
      io.stdout.line(batchLine(header, batch.position, batch.size, batch.magic))
      if (options.deep) last = printRecords(file, batch, header, io, options, findings, last)
      validBytes += batch.size
      progress.update(batch.position + batch.size)
      await io.stdout.ready()
    }
    progress.done()
    const trailing = end - validBytes
    if (trailing > 0 && options.maxBytes === Number.MAX_SAFE_INTEGER) {
      io.stdout.line(`Found ${trailing} invalid bytes at the end of ${basename(file)}`)
    }
  } finally {
    progress.done()
    await handle.close()
  }
}

function printRecords(
  file: string,
  batch: { position: number; bytes: Buffer; size: number },
  header: DumpHeader,
  io: CliIo,
  options: LogDumpOptions,
  findings: LogDumpFindings,
  last: bigint | undefined,
): bigint | undefined {
  let records: DecodedRecord[]
  try {
    records = decodeRecords(batch.bytes.subarray(0, batch.size))
  } catch (error) {
    findings.problems++
    const why = error instanceof Error ? error.message : String(error)
    io.stderr.line(`the records of the batch at position ${batch.position} cannot be read: ${why}`)
    return last
  }
  for (const record of records) {
    if (last !== undefined && record.offset !== last + 1n) {
      const path = resolve(file)
      const pairs = findings.nonConsecutive.get(path) ?? []
      pairs.unshift([last, record.offset])
      findings.nonConsecutive.set(path, pairs)
    }
    last = record.offset
    io.stdout.line(recordLine(header, record, options))
  }
  return last
}

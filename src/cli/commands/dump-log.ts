/**
 * `logkeeper dump-log --files <segment>.log[,...] [--print-data-log]`: Kafka's
 * `kafka-dump-log` (DumpLogSegments) over segment files written by logkeeper or by a real
 * Kafka (the same format): `.log` segments batch by batch (and record by record with
 * `--deep-iteration` or `--print-data-log`), `.index` and `.timeindex` entry by entry. Needs no
 * data directory and takes no lock: it only reads the files.
 */
import { extname } from 'node:path'
import { requireString } from '../args.js'
import type { Command, OptionValues } from '../command.js'
import { dumpOffsetIndex, dumpTimeIndex } from '../dump/index-dump.js'
import { dumpLogFile, type LogDumpFindings, type LogDumpOptions } from '../dump/log-dump.js'
import { progressFor } from '../dump/progress.js'
import { EXIT, UsageError } from '../errors.js'
import type { CliIo } from '../io.js'

function dumpOptions(values: OptionValues, help: string): LogDumpOptions {
  const printData = values['print-data-log'] === true
  const max = values['max-bytes']
  let maxBytes = Number.MAX_SAFE_INTEGER
  if (typeof max === 'string') {
    if (!/^\d+$/.test(max))
      throw new UsageError(`--max-bytes must be a byte count, got ${max}`, help)
    maxBytes = Number(max)
  }
  return {
    printData,
    deep: printData || values['deep-iteration'] === true,
    skipMetadata: values['skip-record-metadata'] === true,
    maxBytes,
  }
}

function reportFindings(io: CliIo, findings: LogDumpFindings): void {
  for (const [path, pairs] of findings.nonConsecutive) {
    io.stderr.line(`Non-consecutive offsets in ${path}`)
    for (const [first, second] of pairs) io.stderr.line(`  ${first} is followed by ${second}`)
  }
}

/** The `dump-log` command. */
export const dumpLogCommand: Command = {
  name: 'dump-log',
  summary: 'print log segments and their indexes as kafka-dump-log does',
  usage: ['dump-log --files <file>[,<file>...] [--print-data-log] [--deep-iteration]'],
  details: `Files: <topic>-<partition>/<base offset>.log, .index and .timeindex, as written by
logkeeper (<data-dir>/brokers/<broker id>/) or by Kafka. Each batch line ends with isvalid: false when its
CRC does not match; the dump goes on after such a batch, and stops where Kafka's stops (a torn
tail is reported as "Found N invalid bytes at the end of ..."). Offsets that do not follow one
another are listed on stderr at the end. Exit status 1 if a file cannot be read through.

Example:
  logkeeper dump-log --print-data-log \\
    --files logkeeper-data/brokers/0/orders-0/00000000000000000000.log`,
  options: {
    files: {
      type: 'string',
      valueName: 'file1,file2,...',
      description: 'REQUIRED: the comma separated list of log and index files to dump',
    },
    'print-data-log': {
      type: 'boolean',
      description: "print the records' keys and payloads (implies --deep-iteration)",
    },
    'deep-iteration': { type: 'boolean', description: 'print a line per record, not per batch' },
    'skip-record-metadata': {
      type: 'boolean',
      description: "leave offsets, times and sizes out of the records' lines",
    },
    'max-bytes': {
      type: 'string',
      valueName: 'size',
      description: 'read only this many bytes of each .log file',
    },
  },
  async run({ io, values, help }) {
    const files = requireString(values, 'files', help).split(',')
    const options = dumpOptions(values, help)
    const findings: LogDumpFindings = { nonConsecutive: new Map(), problems: 0 }
    const progress = progressFor(io.stdout, io.stderr)
    try {
      for (const file of files) {
        io.stdout.line(`Dumping ${file}`)
        switch (extname(file)) {
          case '.log':
            await dumpLogFile(file, io, options, findings, progress)
            break
          case '.index':
            await dumpOffsetIndex(file, io)
            break
          case '.timeindex':
            await dumpTimeIndex(file, io)
            break
          default:
            io.stderr.line(`Ignoring unknown file ${file}`)
        }
      }
    } finally {
      reportFindings(io, findings)
    }
    return findings.problems > 0 ? EXIT.USER_ERROR : EXIT.OK
  },
}

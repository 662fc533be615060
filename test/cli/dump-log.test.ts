/**
 * `logkeeper dump-log`: kafka-dump-log's output for segments written by a Kafka broker (the
 * 0.11 broker batches of test/log/record-batch.test.ts), by logkeeper's FileLogStore, and for a
 * hand-damaged segment (a flipped byte: isvalid false and the dump goes on; a torn tail; a size
 * below Kafka's minimum: exit status 1 where Kafka stops).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../src/common/clock.js'
import { PartitionLog } from '../../src/log/partition-log.js'
import { encodeRecordBatch } from '../../src/log/record-batch.js'
import { FileLogStore } from '../../src/storage/file-log-store.js'
import { useCli } from './harness.js'

const cli = useCli('dump')

// Written by a Kafka 0.11 broker: three batches, the second with two empty values.
const KAFKA_SEGMENT = Buffer.from(
  [
    '00000000000000000000003b00000001020318a2700000000000000000015dff7b063c0000015dff7b063cffffffffffffffffffffffffffff0000000112000000010631323300',
    '0000000000000001000000400000000202c85cbd230000000000010000015dff7cdd6c0000015dff7cde14ffffffffffffffffffffffffffff000000020c0000000100000e00d00202010000',
    '00000000000000030000003b00000002022e0b85b70000000000000000015dff7ce79d0000015dff7ce79dffffffffffffffffffffffffffff0000000112000000010631323300',
  ].join(''),
  'hex',
)

const FLAGS =
  'baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch:'
const MID = 'isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty'

function kafkaDump(file: string, valid2 = 'true', ts2 = '1503229959700'): string[] {
  return [
    `Dumping ${file}`,
    'Log starting offset: 0',
    `baseOffset: 0 lastOffset: 0 count: 1 ${FLAGS} 1 ${MID} position: 0 CreateTime: 1503229838908 size: 71 magic: 2 compresscodec: none crc: 51946096 isvalid: true`,
    '| offset: 0 CreateTime: 1503229838908 keySize: -1 valueSize: 3 sequence: -1 headerKeys: [] payload: 123',
    `baseOffset: 1 lastOffset: 2 count: 2 ${FLAGS} 2 ${MID} position: 71 CreateTime: 1503229959700 size: 76 magic: 2 compresscodec: none crc: 3361520931 isvalid: ${valid2}`,
    '| offset: 1 CreateTime: 1503229959532 keySize: -1 valueSize: 0 sequence: -1 headerKeys: [] payload: ',
    `| offset: 2 CreateTime: ${ts2} keySize: -1 valueSize: 0 sequence: -1 headerKeys: [] payload: `,
    `baseOffset: 3 lastOffset: 3 count: 1 ${FLAGS} 2 ${MID} position: 147 CreateTime: 1503229962141 size: 71 magic: 2 compresscodec: none crc: 772507063 isvalid: true`,
    '| offset: 3 CreateTime: 1503229962141 keySize: -1 valueSize: 3 sequence: -1 headerKeys: [] payload: 123',
  ]
}

async function segment(bytes: Buffer, name = '00000000000000000000.log'): Promise<string> {
  const dir = cli.newDir('seg')
  await mkdir(dir, { recursive: true })
  const file = join(dir, name)
  await writeFile(file, bytes)
  return file
}

describe('dump-log', () => {
  it("prints a Kafka broker's segment as kafka-dump-log does", async () => {
    const file = await segment(KAFKA_SEGMENT)
    const r = await cli.run(['dump-log', '--files', file, '--print-data-log'])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toBe(kafkaDump(file).join('\n') + '\n')

    const shallow = await cli.run(['dump-log', '--files', file])
    expect(shallow.stdout.split('\n').filter((l) => l.startsWith('|'))).toEqual([])
    expect(shallow.stdout.split('\n').filter((l) => l.startsWith('baseOffset'))).toHaveLength(3)
    const deep = await cli.run(['dump-log', '--files', file, '--deep-iteration'])
    expect(deep.stdout).toContain('headerKeys: []\n')
    expect(deep.stdout).not.toContain('payload')
  })

  it('goes on after a batch with a flipped byte (isvalid: false) and counts a torn tail', async () => {
    const damaged = Buffer.concat([KAFKA_SEGMENT, Buffer.alloc(9)])
    damaged[71 + 70]! ^= 0x10 // inside the second batch's records: its CRC no longer matches
    const file = await segment(damaged)
    const r = await cli.run(['dump-log', '--files', file, '--print-data-log'])
    expect(r.code).toBe(0)
    const expected = kafkaDump(file, 'false', '1503229959692')
    expected.push(`Found 9 invalid bytes at the end of 00000000000000000000.log`)
    expect(r.stdout).toBe(expected.join('\n') + '\n')
  })

  it("stops with exit status 1 where Kafka's dump stops: a size below the record overhead", async () => {
    const bad = Buffer.from(KAFKA_SEGMENT)
    bad.writeInt32BE(3, 71 + 8)
    const file = await segment(bad)
    const r = await cli.run(['dump-log', '--files', file])
    expect(r.code).toBe(1)
    expect(r.stdout.split('\n').filter((l) => l.startsWith('baseOffset'))).toHaveLength(1)
    expect(r.stderr).toBe(
      'logkeeper: Found record size 3 smaller than minimum record overhead (14) in file ' +
        '00000000000000000000.log.\n',
    )
  })

  it("dumps FileLogStore's segments, indexes and time indexes; keys, headers and sequences", async () => {
    const dir = cli.newDir('logs')
    const store = await FileLogStore.open(dir)
    const tp = { topic: 'orders', partition: 0 }
    const log = await PartitionLog.open({
      topicPartition: tp,
      store: await store.openPartition(tp),
      clock: new VirtualClock(),
      config: { 'index.interval.bytes': 1 },
    })
    log.append(
      encodeRecordBatch({
        records: [
          { key: 'k', value: 'hello', timestamp: 1_700_000_000_000 },
          { key: 'k2', value: 'world', headers: { a: '1', b: null }, timestamp: 1_700_000_000_005 },
        ],
      }),
    )
    log.append(
      encodeRecordBatch({
        producerId: 7,
        producerEpoch: 0,
        baseSequence: 0,
        records: [{ value: 'v', timestamp: 1_700_000_000_010 }, { value: null }],
        timestamp: 1_700_000_000_011,
      }),
    )
    await log.close()
    await store.close()
    const seg = join(dir, 'orders-0', '00000000000000000000')
    const r = await cli.run(['dump-log', '--print-data-log', '--files', `${seg}.log`])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.slice(0, 2)).toEqual([`Dumping ${seg}.log`, 'Log starting offset: 0'])
    expect(lines[2]).toMatch(
      /^baseOffset: 0 lastOffset: 1 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: -?\d+ isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1700000000005 size: \d+ magic: 2 compresscodec: none crc: \d+ isvalid: true$/,
    )
    expect(lines[3]).toBe(
      '| offset: 0 CreateTime: 1700000000000 keySize: 1 valueSize: 5 sequence: -1 headerKeys: [] key: k payload: hello',
    )
    expect(lines[4]).toBe(
      '| offset: 1 CreateTime: 1700000000005 keySize: 2 valueSize: 5 sequence: -1 headerKeys: [a,b] key: k2 payload: world',
    )
    const size = Number(/ size: (\d+) /.exec(lines[2]!)![1])
    expect(lines[5]).toMatch(
      new RegExp(
        `^baseOffset: 2 lastOffset: 3 count: 2 baseSequence: 0 lastSequence: 1 producerId: 7 producerEpoch: 0 .* position: ${size} CreateTime: 1700000000011 `,
      ),
    )
    expect(lines[6]).toBe(
      '| offset: 2 CreateTime: 1700000000010 keySize: -1 valueSize: 1 sequence: 0 headerKeys: [] payload: v',
    )
    expect(lines[7]).toBe(
      '| offset: 3 CreateTime: 1700000000011 keySize: -1 valueSize: -1 sequence: 1 headerKeys: []',
    )
    expect(lines).toHaveLength(8)
    expect((await readFile(`${seg}.log`)).length).toBe(
      size + Number(/ size: (\d+) /.exec(lines[5]!)![1]),
    )

    const idx = await cli.run(['dump-log', '--files', `${seg}.index,${seg}.timeindex`])
    expect(idx.code).toBe(0)
    const out = idx.stdout.trimEnd().split('\n')
    expect(out[0]).toBe(`Dumping ${seg}.index`)
    const at = out.indexOf(`Dumping ${seg}.timeindex`)
    const offsets = out.slice(1, at)
    expect(offsets.length).toBeGreaterThan(0)
    for (const line of offsets) {
      const m = /^offset: (\d+) position: (\d+)$/.exec(line)
      expect(m, line).not.toBeNull()
      expect([0, size]).toContain(Number(m![2]))
    }
    for (const line of out.slice(at + 1))
      expect(line).toMatch(/^timestamp: 17000000000\d\d offset: \d$/)
    expect((await readdir(join(dir, 'orders-0'))).sort()).toContain('00000000000000000000.index')
  })

  it('usage errors (exit 2), missing files and unknown suffixes', async () => {
    const none = await cli.run(['dump-log'])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(
      /^logkeeper: missing required option --files\n\nUsage: logkeeper dump-log/,
    )
    const bad = await cli.run(['dump-log', '--files', 'x.log', '--max-bytes', 'lots'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--max-bytes must be a byte count, got lots/)
    const missing = join(cli.dir(), '00000000000000000042.log')
    const gone = await cli.run(['dump-log', '--files', missing])
    expect(gone.code).toBe(1)
    expect(gone.stdout).toBe(`Dumping ${missing}\nLog starting offset: 42\n`)
    expect(gone.stderr).toBe(`logkeeper: ${missing}: no such file\n`)
    const other = await cli.run(['dump-log', '--files', 'notes.txt'])
    expect(other).toMatchObject({ code: 0, stdout: 'Dumping notes.txt\n' })
    expect(other.stderr).toBe('Ignoring unknown file notes.txt\n')
    const help = await cli.run(['dump-log', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--print-data-log')
  })
})

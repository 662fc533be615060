/**
 * `logkeeper console-producer`: lines in, records stored (checked by opening the directory
 * after the CLI exited), Kafka's LineMessageReader parsing (its own test vectors), the exit
 * statuses of bad input, and the prompt, which only a terminal gets.
 */
import { describe, expect, it } from 'vitest'
import { parseCommandArgs } from '../../src/cli/args.js'
import { consoleProducerCommand } from '../../src/cli/commands/console-producer.js'
import { lineFormat, parseLine, READER_PROPERTIES } from '../../src/cli/console/line-reader.js'
import { consoleProducerOptions } from '../../src/cli/console/producer-options.js'
import { readProperties } from '../../src/cli/console/properties.js'
import { findTopic } from '../../src/cli/console/topic.js'
import { UsageError, UserError } from '../../src/cli/errors.js'
import { createCluster } from '../../src/cluster.js'
import { memoryIo, prepareDir, readDir } from './console-fixture.js'
import { useCli } from './harness.js'

const cli = useCli('cprod')

const produce = (dir: string, input: string, ...args: string[]) =>
  cli.run(['console-producer', '--data-dir', dir, '--topic', 't01', ...args], { input })

const pairs = (records: readonly { key: string | null; value: string | null }[]) =>
  records.map((r) => [r.key, r.value])

describe('console-producer', () => {
  it('sends one record per line, in order, and returns once they are acknowledged', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { topics: [{ topic: 't01' }] })
    const r = await produce(dir, 'one\ntwo\r\n\nthree\rfour')
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' })
    const [p0] = await readDir(dir, 't01')
    expect(pairs(p0!)).toEqual([
      [null, 'one'],
      [null, 'two'],
      [null, ''],
      [null, 'three'],
      [null, 'four'],
    ])
  })

  it('parses keys and headers as Kafka does, and the consumer prints them back', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { topics: [{ topic: 't01' }] })
    const input = 'h1:a,h2:b|k1|v1\nh1:c|k2|v:2\n<NULL>|<NULL>|<NULL>\n'
    const sent = await produce(
      dir,
      input,
      '--property',
      'parse.key=true',
      '--property',
      'parse.headers=true',
      '--property',
      'key.separator=|',
      '--property',
      'headers.delimiter=|',
      '--property',
      'null.marker=<NULL>',
      '--sync',
    )
    expect(sent).toEqual({ code: 0, stdout: '', stderr: '' })
    const [p0] = await readDir(dir, 't01')
    expect(pairs(p0!)).toEqual([
      ['k1', 'v1'],
      ['k2', 'v:2'],
      [null, null],
    ])
    const read = await cli.run([
      'console-consumer',
      '--data-dir',
      dir,
      '--topic',
      't01',
      '--from-beginning',
      '--max-messages',
      '3',
      '--property',
      'print.headers=true',
      '--property',
      'print.key=true',
    ])
    expect(read.stdout).toBe('h1:a,h2:b\tk1\tv1\nh1:c\tk2\tv:2\nNO_HEADERS\tnull\tnull\n')
  })

  it('stops at a line without its key separator: status 1 naming the line, the lines before sent', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { topics: [{ topic: 't01' }] })
    const r = await produce(
      dir,
      'a:1\nb:2\nno separator here\nc:3\n',
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      "logkeeper: No key separator found on line number 3: 'no separator here'\n",
    )
    const [p0] = await readDir(dir, 't01')
    expect(pairs(p0!)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ])
  })

  it('creates a missing topic when auto.create.topics.enable is on, with num.partitions', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { config: { 'num.partitions': 2 } })
    const r = await produce(dir, 'x\n')
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' })
    const partitions = await readDir(dir, 't01')
    expect(partitions).toHaveLength(2)
    expect(partitions.flat().map((p) => p.value)).toEqual(['x'])
  })

  it('refuses a missing topic when auto.create.topics.enable is off (status 1), writing nothing', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { config: { 'auto.create.topics.enable': false } })
    const r = await produce(dir, 'x\n')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^logkeeper: topic t01 does not exist and auto\.create\.topics\.enable is false/,
    )
    await expect(readDir(dir, 't01')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' })
  })

  it.each([
    [[], 'missing required option --topic'],
    [['--topic', 'a b'], '--topic: '],
    [['--topic', 't01', '--request-required-acks', '2'], "acks must be all, -1, 0 or 1, got '2'"],
    [
      ['--topic', 't01', '--timeout', 'soon'],
      "linger.ms must be a non-negative integer, got 'soon'",
    ],
    [
      ['--topic', 't01', '--batch-size', '0'],
      "batch.size must be an integer of at least 1, got '0'",
    ],
    [['--topic', 't01', '--property', 'parse.keys=true'], "unknown property 'parse.keys'"],
    [
      ['--topic', 't01', '--property', 'parse.key=yes'],
      "parse.key must be true or false, got 'yes'",
    ],
    [['--topic', 't01', '--property', 'novalue'], "--property takes key=value, got 'novalue'"],
    [['--topic', 't01', '--producer-property', 'linger=5'], "unknown property 'linger'"],
    [['--topic', 't01', '--compression-codec', 'gzip'], 'compression'],
    [
      [
        '--topic',
        't01',
        '--producer-property',
        'enable.idempotence=true',
        '--request-required-acks',
        '1',
      ],
      'an idempotent producer needs acks=all',
    ],
  ])(
    'a malformed command line %j is a usage error (status 2) and sends nothing',
    async (args, message) => {
      const dir = cli.newDir()
      await prepareDir(dir, { topics: [{ topic: 't01' }] })
      const r = await cli.run(['console-producer', '--data-dir', dir, ...args], { input: 'x\n' })
      expect(r.code).toBe(2)
      expect(r.stderr.split('\n')[0]).toContain(message)
      expect(r.stderr).toContain('Usage: logkeeper console-producer')
      const [p0] = await readDir(dir, 't01')
      expect(p0).toEqual([])
    },
  )

  it('--help shows the properties and examples', async () => {
    const r = await cli.run(['console-producer', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('parse.key=false')
    expect(r.stdout).toContain('Examples:')
  })
})

describe('console-producer in process', () => {
  async function runWith(terminal: boolean, input: string, args: string[] = []) {
    await using cluster = await createCluster()
    const io = memoryIo(terminal)
    const help = 'help'
    const parsed = parseCommandArgs(
      ['--topic', 't01', ...args],
      consoleProducerCommand.options,
      'none',
      help,
    )
    const status = consoleProducerCommand.runOn(cluster, { io, help, ...parsed })
    io.stdin.end(input)
    return { status: await status, stdout: io.stdout.text }
  }

  it("prompts with Kafka's '>' before each line on a terminal", async () => {
    const { status, stdout } = await runWith(true, 'a\n')
    expect(status).toBe(0)
    expect(stdout).toBe('>>')
  })

  it('on Ctrl-C stops reading, waits for what it sent, and returns 130', async () => {
    await using cluster = await createCluster()
    const io = memoryIo(false)
    const parsed = parseCommandArgs(
      ['--topic', 't01', '--timeout', '0'],
      consoleProducerCommand.options,
    )
    const status = consoleProducerCommand.runOn(cluster, { io, help: '', ...parsed })
    io.stdin.write('a\nb\n')
    // The topic is created by the first record; wait until both lines are stored.
    const stored = () => findTopic(cluster, 't01')?.partitions[0]?.highWatermark ?? -1
    for (let i = 0; i < 500 && stored() < 2; i++) await cluster.clock.sleep(10)
    io.interrupt('SIGINT')
    expect(await status).toBe(130)
    expect(stored()).toBe(2)
    expect(io.stdin.readableEnded).toBe(false)
  })

  it('prints no prompt when its input is not a terminal', async () => {
    const { status, stdout } = await runWith(false, 'a\nb\n')
    expect(status).toBe(0)
    expect(stdout).toBe('')
  })
})

describe("console-producer's line reader (Kafka's LineMessageReaderTest)", () => {
  const format = (props: Record<string, string>) =>
    lineFormat(
      readProperties(
        { property: Object.entries(props).map(([k, v]) => `${k}=${v}`) },
        'property',
        READER_PROPERTIES,
        'help',
      ),
      'help',
    )
  const both = { 'parse.key': 'true', 'parse.headers': 'true' }

  it('reads keys, headers, and separators longer than one character', () => {
    expect(parseLine('key0\tvalue0', 1, format({ 'parse.key': 'true' }))).toEqual({
      key: 'key0',
      value: 'value0',
    })
    expect(
      parseLine('headerKey0:headerValue0,headerKey1:headerValue1\tkey0\tvalue0', 1, format(both)),
    ).toEqual({
      key: 'key0',
      value: 'value0',
      headers: { headerKey0: 'headerValue0', headerKey1: 'headerValue1' },
    })
    expect(parseLine(':\t\t', 1, format(both))).toEqual({ key: '', value: '', headers: { '': '' } })
    expect(parseLine('key\t', 1, format({ 'parse.key': 'true' }))).toEqual({
      key: 'key',
      value: '',
    })
    const long = format({
      ...both,
      'key.separator': '\t\t',
      'headers.delimiter': '\t\t',
      'headers.separator': '---',
      'headers.key.separator': '::::',
    })
    expect(
      parseLine('headerKey0.0::::headerValue0.0---headerKey1.0::::\t\tkey\t\tvalue', 1, long),
    ).toEqual({
      key: 'key',
      value: 'value',
      headers: { 'headerKey0.0': 'headerValue0.0', 'headerKey1.0': '' },
    })
  })

  it("names the line in Kafka's words when a separator is missing", () => {
    const line = 'headerKey1.0:headerValue1.0\tkey1[MISSING-DELIMITER]value1'
    expect(() => parseLine(line, 2, format(both))).toThrow(
      new UserError(`No key separator found on line number 2: '${line}'`),
    )
    expect(() => parseLine('key[MISSING-DELIMITER]val\tkey0\tvalue0', 1, format(both))).toThrow(
      "No header key separator found in pair 'key[MISSING-DELIMITER]val' on line number 1",
    )
  })

  it('ignore.error makes null fields instead of errors', () => {
    const f = format({ ...both, 'ignore.error': 'true' })
    expect(parseLine('headerKey2.0:headerValue2.0\tkey2[MISSING]value2', 3, f)).toEqual({
      key: null,
      value: 'key2[MISSING]value2',
      headers: { 'headerKey2.0': 'headerValue2.0' },
    })
    expect(parseLine('key-val\tkey0\tvalue0', 1, f)).toEqual({
      key: 'key0',
      value: 'value0',
      headers: { 'key-val': null },
    })
  })

  it('null.marker makes nulls of keys, values and header values, never of header keys', () => {
    const f = format({ ...both, 'null.marker': '<NULL>' })
    expect(parseLine('h0:<NULL>,h1:<NULL>value\tkey\t<NULL>', 1, f)).toEqual({
      key: 'key',
      value: null,
      headers: { h0: null, h1: '<NULL>value' },
    })
    expect(parseLine('<NULL>\tkey\t<NULL>', 1, f)).toEqual({ key: 'key', value: null })
    expect(() => parseLine('<NULL>:v0,h1:v1\tkey\tvalue', 1, f)).toThrow(
      "Header keys should not be equal to the null marker '<NULL>' as they can't be null",
    )
  })

  it('refuses separators that collide (usage errors)', () => {
    expect(() => format({ 'headers.separator': '\t' })).toThrow(
      new UsageError('headers.delimiter and headers.separator may not be equal', 'help'),
    )
    expect(() => format({ 'headers.key.separator': '\t' })).toThrow(
      'headers.delimiter and headers.key.separator may not be equal',
    )
    expect(() => format({ 'null.marker': ',' })).toThrow(
      'null.marker and headers.separator may not be equal',
    )
  })
})

describe("console-producer's options", () => {
  const options = (...args: string[]) =>
    consoleProducerOptions(parseCommandArgs(args, consoleProducerCommand.options).values, 'help')

  it("has Kafka's console defaults", () => {
    expect(options()).toEqual({
      acks: -1,
      lingerMs: 1000,
      batchSize: 16384,
      retryBackoffMs: 100,
      clientId: 'console-producer',
    })
  })

  it('lets an option win over the same producer property, and a property over a default', () => {
    expect(options('--producer-property', 'acks=1')).toMatchObject({ acks: 1 })
    expect(
      options('--producer-property', 'acks=1', '--request-required-acks', 'all'),
    ).toMatchObject({
      acks: -1,
    })
    expect(options('--producer-property', 'linger.ms=5', '--timeout=7')).toMatchObject({
      lingerMs: 7,
    })
    expect(
      options('--request-required-acks=-1', '--producer-property', 'enable.idempotence=true'),
    ).toMatchObject({
      acks: -1,
      idempotent: true,
    })
  })
})

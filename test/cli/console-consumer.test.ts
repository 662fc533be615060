/**
 * `logkeeper console-consumer`: records printed in Kafka's formats (every field, separators,
 * timestamp types), a group that goes on where it stopped, one partition from an offset, the
 * ways a run ends (--max-messages, --timeout-ms, the end of stdin, SIGINT, a reader that goes
 * away), bad input with its exit statuses, and a 20,000-line round trip through both console
 * commands.
 */
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { consumeProgress } from '../../src/cli/console/progress.js'
import { VirtualClock } from '../../src/common/clock.js'
import type { Message } from '../../src/producer/message.js'
import { committedOffsets, MemoryOutput, prepareDir, readDir } from './console-fixture.js'
import { useCli } from './harness.js'

const cli = useCli('ccons')

const consume = (dir: string, ...args: string[]) =>
  cli.run(['console-consumer', '--data-dir', dir, '--topic', 't01', ...args])

const values = (prefix: string, n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}` }))

/** A directory with topic t01 of `partitions` partitions holding `records`. */
async function dirWith(records: readonly Message[], partitions = 1, configs = {}) {
  const dir = cli.newDir()
  await prepareDir(dir, {
    topics: [{ topic: 't01', numPartitions: partitions, configs }],
    records: { t01: records },
  })
  return dir
}

/** Resolve once the child has printed `n` lines on stdout (its text so far). */
function linesOf(child: ChildProcess, n: number): Promise<string> {
  let text = ''
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      text += s
      if (text.split('\n').length > n) resolve(text)
    })
    child.on('close', () => reject(new Error(`exited after printing ${JSON.stringify(text)}`)))
  })
}

function stderrOf(child: ChildProcess): () => string {
  let text = ''
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    text += s
  })
  return () => text
}

describe('console-consumer', () => {
  it('prints every field Kafka can print, in its order, with the separators asked for', async () => {
    const dir = await dirWith(
      [
        {
          key: 'k0',
          value: 'v0',
          partition: 0,
          timestamp: 1000,
          headers: { h1: ['a', 'c'], h2: 'b' },
        },
        { key: null, value: 'v1', partition: 1, timestamp: 1001 },
        { key: 'k2', value: null, partition: 1, timestamp: 1002, headers: { h: 'x' } },
      ],
      2,
    )
    const props = [
      'print.timestamp',
      'print.partition',
      'print.offset',
      'print.headers',
      'print.key',
    ]
    const r = await consume(
      dir,
      '--from-beginning',
      '--max-messages',
      '3',
      ...props.flatMap((p) => ['--property', `${p}=true`]),
    )
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('Processed a total of 3 messages\n')
    expect(r.stdout.split('\n').sort()).toEqual([
      '',
      'CreateTime:1000\tPartition:0\tOffset:0\th1:a,h1:c,h2:b\tk0\tv0',
      'CreateTime:1001\tPartition:1\tOffset:0\tNO_HEADERS\tnull\tv1',
      'CreateTime:1002\tPartition:1\tOffset:1\th:x\tk2\tnull',
    ])

    const custom = await consume(
      dir,
      '--partition',
      '1',
      '--offset',
      'earliest',
      '--max-messages',
      '2',
      '--property',
      'print.key=true',
      '--property',
      'key.separator= => ',
      '--property',
      'line.separator=;',
      '--property',
      'null.literal=<none>',
    )
    expect(custom.stdout).toBe('<none> => v1;k2 => <none>;')
  })

  it("prints LogAppendTime for a topic whose broker sets the time (Kafka's label)", async () => {
    const dir = await dirWith([{ value: 'v', timestamp: 5 }], 1, {
      'message.timestamp.type': 'LogAppendTime',
    })
    const r = await consume(
      dir,
      '--from-beginning',
      '--max-messages',
      '1',
      '--property',
      'print.timestamp=true',
    )
    expect(r.stdout).toMatch(/^LogAppendTime:\d+\tv\n$/)
    expect(r.stdout).not.toBe('LogAppendTime:5\tv\n')
  })

  it('with --group, commits what it printed, so the next run goes on where it stopped', async () => {
    const dir = await dirWith(values('v', 10))
    const first = await consume(dir, '--group', 'g01', '--from-beginning', '--max-messages', '4')
    expect(first).toMatchObject({ code: 0, stdout: 'v0\nv1\nv2\nv3\n' })
    expect(await committedOffsets(dir, 'g01', 't01')).toEqual(['4'])

    const second = await consume(dir, '--group', 'g01', '--max-messages', '3')
    expect(second.stdout).toBe('v4\nv5\nv6\n')
    const third = await consume(dir, '--group', 'g01', '--timeout-ms', '500')
    expect(third).toMatchObject({
      code: 0,
      stdout: 'v7\nv8\nv9\n',
      stderr: 'Processed a total of 3 messages\n',
    })
    expect(await committedOffsets(dir, 'g01', 't01')).toEqual(['10'])
  })

  it('without a group starts at the end, or the beginning with --from-beginning, and commits nothing', async () => {
    const dir = await dirWith(values('v', 3))
    const latest = await consume(dir, '--timeout-ms', '300')
    expect(latest).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'Processed a total of 0 messages\n',
    })
    const all = await consume(dir, '--from-beginning', '--timeout-ms', '300')
    expect(all.stdout).toBe('v0\nv1\nv2\n')
  })

  it('reads one partition from --offset (earliest, latest or a number)', async () => {
    const records = [
      ...values('a', 5).map((m) => ({ ...m, partition: 0 })),
      ...values('b', 3).map((m) => ({ ...m, partition: 1 })),
    ]
    const dir = await dirWith(records, 2)
    const fromTwo = await consume(dir, '--partition', '0', '--offset', '2', '--max-messages', '3')
    expect(fromTwo).toMatchObject({ code: 0, stdout: 'a2\na3\na4\n' })
    const earliest = await consume(
      dir,
      '--partition',
      '1',
      '--offset',
      'earliest',
      '--timeout-ms',
      '300',
    )
    expect(earliest.stdout).toBe('b0\nb1\nb2\n')
    const latest = await consume(dir, '--partition', '1', '--timeout-ms', '300')
    expect(latest).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'Processed a total of 0 messages\n',
    })
    const beginning = await consume(
      dir,
      '--partition',
      '0',
      '--from-beginning',
      '--max-messages',
      '1',
    )
    expect(beginning.stdout).toBe('a0\n')
  })

  it('stops after --max-messages although more are there', async () => {
    const dir = await dirWith(values('v', 5))
    const r = await consume(dir, '--from-beginning', '--max-messages', '2')
    expect(r).toEqual({ code: 0, stdout: 'v0\nv1\n', stderr: 'Processed a total of 2 messages\n' })
  })

  it('stops after --timeout-ms on an empty topic', async () => {
    const dir = await dirWith([])
    const r = await consume(dir, '--from-beginning', '--timeout-ms', '200')
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' })
  })

  it('without --max-messages and --timeout-ms, ends with its input, once it has printed what the topic holds', async () => {
    const dir = await dirWith(values('v', 4))
    const r = await consume(dir, '--from-beginning', '--group', 'g02')
    expect(r).toEqual({
      code: 0,
      stdout: 'v0\nv1\nv2\nv3\n',
      stderr: 'Processed a total of 4 messages\n',
    })
    expect(await committedOffsets(dir, 'g02', 't01')).toEqual(['4'])

    const running = cli.start([
      'console-consumer',
      '--data-dir',
      dir,
      '--topic',
      't01',
      '--from-beginning',
    ])
    expect(await linesOf(running, 4)).toBe('v0\nv1\nv2\nv3\n')
    running.stdin?.end()
    const [code] = await once(running, 'close')
    expect(code).toBe(0)
  })

  it('on SIGINT commits what it printed, reports, and exits with 130', async () => {
    const dir = await dirWith(values('v', 3))
    const child = cli.start([
      'console-consumer',
      '--data-dir',
      dir,
      '--topic',
      't01',
      '--group',
      'g03',
      '--from-beginning',
    ])
    const stderr = stderrOf(child)
    expect(await linesOf(child, 3)).toBe('v0\nv1\nv2\n')
    child.kill('SIGINT')
    const [code] = await once(child, 'close')
    expect(code).toBe(130)
    expect(stderr()).toBe('Processed a total of 3 messages\n')
    expect(await committedOffsets(dir, 'g03', 't01')).toEqual(['3'])
  })

  it('creates a missing topic when auto.create.topics.enable is on', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { config: { 'num.partitions': 3 } })
    const r = await consume(dir, '--timeout-ms', '200')
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' })
    expect(await readDir(dir, 't01')).toEqual([[], [], []])

    const beyond = await cli.run([
      'console-consumer',
      '--data-dir',
      dir,
      '--topic',
      'other',
      '--partition',
      '3',
      '--max-messages',
      '1',
    ])
    expect(beyond.code).toBe(1)
    expect(beyond.stderr).toBe(
      'logkeeper: partition 3 of topic other does not exist (it would be created with 3)\n',
    )
    await expect(readDir(dir, 'other')).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
    })
  })

  it.each([
    [['--topic', 'nope'], 'topic nope does not exist and auto.create.topics.enable is false'],
    [['--topic', 't01', '--partition', '2'], 'partition 2 of topic t01 does not exist (it has 2)'],
  ])('%j cannot be done: status 1', async (args, message) => {
    const dir = cli.newDir()
    await prepareDir(dir, {
      config: { 'auto.create.topics.enable': false },
      topics: [{ topic: 't01', numPartitions: 2 }],
    })
    const r = await cli.run(['console-consumer', '--data-dir', dir, ...args, '--max-messages', '1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`logkeeper: ${message}`)
    expect(r.stdout).toBe('')
  })

  it.each([
    [[], 'missing required option --topic'],
    [['--topic', 't01', '--offset', '3'], 'The partition is required when offset is specified.'],
    [
      ['--topic', 't01', '--partition', '0', '--offset', '3', '--from-beginning'],
      'Options from-beginning and offset cannot be specified together.',
    ],
    [
      ['--topic', 't01', '--partition', '0', '--group', 'g'],
      'Options group and partition cannot be specified together.',
    ],
    [
      ['--topic', 't01', '--partition', '0', '--offset', 'first'],
      "The provided offset value 'first' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.",
    ],
    [['--topic', 't01', '--partition', 'one'], "Cannot parse argument 'one' of option partition"],
    [
      ['--topic', 't01', '--max-messages', '1e3'],
      "Cannot parse argument '1e3' of option max-messages",
    ],
    [['--topic', 't01', '--timeout-ms=-1'], '--timeout-ms must not be negative, got -1'],
    [
      ['--topic', 't01', '--property', 'print.key=maybe'],
      "print.key must be true or false, got 'maybe'",
    ],
    [['--topic', 't01', '--property', 'print.keys=true'], "unknown property 'print.keys'"],
    [
      ['--topic', 't01', '--from-beginning', '--consumer-property', 'auto.offset.reset=latest'],
      "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest'",
    ],
    [
      [
        '--topic',
        't01',
        '--group',
        'a',
        '--consumer-property',
        'partition.assignment.strategy=fancy',
      ],
      'unknown assignor',
    ],
    [
      ['--topic', 't01', '--group', 'a', '--consumer-property', 'group.id=b'],
      "Detected group ids: 'a', 'b'",
    ],
  ])('a malformed command line %j is a usage error (status 2)', async (args, message) => {
    const dir = await dirWith(values('v', 1))
    const r = await cli.run(['console-consumer', '--data-dir', dir, ...args])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toContain(message)
    expect(r.stderr).toContain('Usage: logkeeper console-consumer')
  })

  it('a reader that goes away (| head) ends it quietly, with status 0', async () => {
    const dir = await dirWith(values('x'.repeat(100), 5000))
    const child = cli.start([
      'console-consumer',
      '--data-dir',
      dir,
      '--topic',
      't01',
      '--from-beginning',
    ])
    const stderr = stderrOf(child)
    child.stdout?.once('data', () => child.stdout?.destroy())
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
    expect(stderr()).toMatch(/^Processed a total of \d+ messages\n$/)
  })

  it('takes 20,000 piped lines from console-producer and prints them back whole, in order per partition', async () => {
    const dir = cli.newDir()
    await prepareDir(dir, { topics: [{ topic: 't01', numPartitions: 3 }] })
    const n = 20_000
    const input = Array.from({ length: n }, (_, i) => `k${i % 97}:${i}`).join('\n')
    const sent = await cli.run(
      [
        'console-producer',
        '--data-dir',
        dir,
        '--topic',
        't01',
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
      ],
      { input },
    )
    expect(sent).toEqual({ code: 0, stdout: '', stderr: '' })
    const stored = await readDir(dir, 't01')
    expect(stored.map((p) => p.length).reduce((a, b) => a + b)).toBe(n)

    const r = await consume(
      dir,
      '--from-beginning',
      '--max-messages',
      String(n),
      '--property',
      'print.partition=true',
    )
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(`Processed a total of ${n} messages\n`) // no progress line when piped
    const byPartition = new Map<string, number[]>()
    for (const line of r.stdout.trimEnd().split('\n')) {
      const [partition, value] = line.split('\t') as [string, string]
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), Number(value)])
    }
    const printed = [...byPartition.values()]
    expect(printed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
    for (const [p, list] of byPartition) {
      expect(list).toEqual([...list].sort((a, b) => a - b))
      expect(list).toEqual(
        stored[Number(p.slice('Partition:'.length))]!.map((s) => Number(s.value)),
      )
    }
  }, 120_000)

  it('--help shows the properties and examples', async () => {
    const r = await cli.run(['console-consumer', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('print.timestamp')
    expect(r.stdout).toContain('Examples:')
  })
})

describe("console-consumer's progress", () => {
  it('shows on a terminal stderr after a second, at most four times a second, then clears', async () => {
    const clock = new VirtualClock()
    const stderr = new MemoryOutput(true)
    const progress = consumeProgress(new MemoryOutput(false), stderr, clock)
    progress.update(10, 90)
    expect(stderr.text).toBe('')
    await clock.advance(1000)
    progress.update(500, 500)
    await clock.advance(100)
    progress.update(600, 400)
    await clock.advance(200)
    progress.update(900, undefined)
    progress.done()
    expect(stderr.text).toBe(
      '\rProcessed 500 messages, 500 behind\x1b[K\rProcessed 900 messages\x1b[K\r\x1b[K',
    )
  })

  it('never shows when stderr is not a terminal, or stdout is', async () => {
    const clock = new VirtualClock()
    for (const [outTTY, errTTY] of [
      [false, false],
      [true, true],
    ] as const) {
      const stderr = new MemoryOutput(errTTY)
      const progress = consumeProgress(new MemoryOutput(outTTY), stderr, clock)
      await clock.advance(2000)
      progress.update(1000, 5)
      progress.done()
      expect(stderr.text).toBe('')
    }
  })
})

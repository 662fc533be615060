/**
 * `logkeeper consumer-groups`, end to end through the built CLI on a data directory written
 * in this process (groups-fixture.ts): kafka-consumer-groups.sh's actions, tables, messages
 * and exit statuses (0 done, 1 refused, 2 malformed).
 */
import { existsSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseKafkaDateTime } from '../../src/cli/kafka/datetime.js'
import { prepareGroupDir } from './groups-fixture.js'
import { useCli } from './harness.js'

const cli = useCli('groups')

const pad = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c)).join(' ')

const HEADER = [
  'GROUP',
  'TOPIC',
  'PARTITION',
  'CURRENT-OFFSET',
  'LOG-END-OFFSET',
  'LAG',
  'CONSUMER-ID',
  'HOST',
  'CLIENT-ID',
]

/** Kafka's describe table with the given consumer-id column width. */
function describeTable(rows: readonly (readonly string[])[], idWidth = 15): string {
  const widths = [15, 15, 10, 15, 15, 15, idWidth, 15]
  return `\n${[HEADER, ...rows].map((r) => pad(r, widths)).join('\n')}\n`
}

/** A row of a partition no member holds. */
const unheld = (topic: string, p: number, offset: number, end: number) => [
  'g01',
  topic,
  String(p),
  String(offset),
  String(end),
  String(end - offset),
  '-',
  '-',
  '-',
]

/** Kafka's reset table. */
function resetTable(rows: readonly (readonly [string, number, number])[]): string {
  const lines = [['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']].concat(
    rows.map(([topic, p, offset]) => ['g01', topic, String(p), String(offset)]),
  )
  return `\n${lines.map((r) => pad(r, [15, 15, 10])).join('\n')}\n`
}

describe('consumer-groups on a group whose member left', () => {
  let dir = ''
  const groups = (...args: string[]) => cli.run(['consumer-groups', '--data-dir', dir, ...args])

  beforeAll(async () => {
    dir = cli.newDir('left')
    await prepareGroupDir(dir, true)
  }, 60_000)

  it('lists and describes the group: committed offsets, ends and lag, no members', async () => {
    expect(await groups('--list')).toMatchObject({ code: 0, stdout: 'g01\n', stderr: '' })
    const described = await groups('--describe', '--group', 'g01')
    expect(described.code).toBe(0)
    expect(described.stderr).toBe("\nConsumer group 'g01' has no active members.\n")
    expect(described.stdout).toBe(
      describeTable([unheld('t01', 0, 2, 5), unheld('t01', 1, 3, 3), unheld('t02', 0, 1, 4)]),
    )
    const state = await groups('--describe', '--group', 'g01', '--state')
    expect(state.stdout.split('\n')[1]).toBe(
      'GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS',
    )
    expect(state.stdout.split('\n')[2]).toMatch(/^g01 {13}\S+:\d+ {2}\(\d\) +- {20}Empty {16}0$/)
  }, 60_000)

  it('resets offsets: a dry run commits nothing, --execute does, each scenario', async () => {
    const reset = (...args: string[]) => groups('--reset-offsets', '--group', 'g01', ...args)
    const dry = await reset('--topic', 't01:0,2', '--to-earliest', '--dry-run')
    expect(dry).toMatchObject({ code: 0, stderr: '' })
    expect(dry.stdout).toBe(
      resetTable([
        ['t01', 0, 0],
        ['t01', 2, 0],
      ]),
    )
    // Without --dry-run or --execute it is a dry run too, with Kafka's warning.
    const implicit = await reset('--topic', 't02', '--to-latest')
    expect(implicit.stderr).toMatch(
      /^WARN: No action will be performed as the --execute option is missing/,
    )
    expect(implicit.stdout).toBe(resetTable([['t02', 0, 4]]))
    expect((await groups('--describe', '--group', 'g01')).stdout).toContain(
      pad(unheld('t01', 0, 2, 5), [15, 15, 10, 15, 15, 15, 15, 15]),
    )

    const shifted = await reset('--all-topics', '--shift-by', '-1', '--execute')
    expect(shifted.stdout).toBe(
      resetTable([
        ['t01', 0, 1],
        ['t01', 1, 2],
        ['t02', 0, 0],
      ]),
    )
    expect((await reset('--topic', 't01:0', '--to-offset', '99', '--execute')).stdout).toBe(
      resetTable([['t01', 0, 5]]),
    )
    expect((await reset('--topic', 't02', '--to-latest', '--execute')).stdout).toBe(
      resetTable([['t02', 0, 4]]),
    )
    const past = await reset(
      '--topic',
      't01',
      '--to-datetime',
      '2000-01-01T00:00:00.000',
      '--dry-run',
    )
    expect(past.stdout).toBe(
      resetTable([
        ['t01', 0, 0],
        ['t01', 1, 0],
        ['t01', 2, 0],
      ]),
    )
    const future = await reset('--topic', 't01:1', '--to-datetime', '2999-01-01T00:00:00.000+01:00')
    expect(future.stdout).toBe(resetTable([['t01', 1, 3]]))
    expect((await groups('--describe', '--group', 'g01')).stdout).toBe(
      describeTable([unheld('t01', 0, 5, 5), unheld('t01', 1, 2, 3), unheld('t02', 0, 4, 4)]),
    )
  }, 120_000)

  it('refuses malformed resets (2) and unknown topics or partitions (1), moving nothing', async () => {
    const reset = (...args: string[]) => groups('--reset-offsets', '--group', 'g01', ...args)
    const fails = async (args: string[], code: number, message: string) => {
      const r = await reset(...args)
      expect(r.code, args.join(' ')).toBe(code)
      expect(r.stderr.split('\n')[0], args.join(' ')).toBe(`logkeeper: ${message}`)
    }
    const failed = 'Executing consumer group command failed due to '
    await fails(
      ['--topic', 't01:7', '--to-earliest', '--execute'],
      1,
      `${failed}The partitions "t01-7" do not exist`,
    )
    await fails(
      ['--topic', 't01', '--shift-by', '1', '--execute'],
      1,
      'Cannot shift offset for partition t01-2 since there is no current committed offset',
    )
    const unknown = await reset('--topic', 'nope', '--to-earliest', '--execute')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(new RegExp(`^logkeeper: ${failed}.*nope`))
    await fails(
      ['--topic', 't01', '--to-datetime', '2020-13-01T00:00:00.000', '--execute'],
      2,
      "Error parsing timestamp '2020-13-01T00:00:00.000'. Expected format: yyyy-MM-dd'T'HH:mm:ss.SSS, optionally with a zone (Z, +01, +0100, +01:00; UTC without one)",
    )
    const scenarios = '"--to-earliest", "--to-latest", "--to-offset", "--to-datetime", "--shift-by"'
    await fails(
      ['--topic', 't01', '--execute'],
      2,
      `Option "--reset-offsets" takes one of these options: ${scenarios}`,
    )
    await fails(
      ['--topic', 't01', '--to-earliest', '--to-latest'],
      2,
      'Option "--reset-offsets" takes at most one of these options: "--to-earliest", "--to-latest"',
    )
    await fails(
      ['--to-earliest'],
      2,
      'One of the reset scopes should be defined: --all-topics, --topic.',
    )
    await fails(
      ['--topic', 't01', '--to-earliest', '--dry-run', '--execute'],
      2,
      'Option "--reset-offsets" only accepts one of "--execute" and "--dry-run"',
    )
    await fails(
      ['--topic', 't01', '--shift-by', 'x'],
      2,
      "Cannot parse argument 'x' of option shift-by",
    )
    const noGroup = await groups('--reset-offsets', '--topic', 't01', '--to-earliest')
    expect(noGroup.code).toBe(2)
    expect(noGroup.stderr).toMatch(
      /^logkeeper: Option "--reset-offsets" takes one of these options: "--all-groups", "--group"\n/,
    )
    const none = await groups()
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(
      /^logkeeper: Command must include exactly one action: --list, --describe, --delete, --reset-offsets\n\nUsage:/,
    )
    expect((await groups('--list', '--topic', 't01')).code).toBe(2)
    // Nothing moved.
    expect((await groups('--describe', '--group', 'g01')).stdout).toContain(
      pad(unheld('t01', 1, 2, 3), [15, 15, 10, 15, 15, 15, 15, 15]),
    )
  }, 120_000)

  it('deletes the group; then it does not exist', async () => {
    expect(await groups('--delete', '--group', 'g01')).toMatchObject({
      code: 0,
      stdout: "Deletion of requested consumer groups ('g01') was successful.\n",
    })
    expect(await groups('--list')).toMatchObject({ code: 0, stdout: '' })
    expect(await groups('--describe', '--group', 'g01')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: "logkeeper: Consumer group 'g01' does not exist.\n",
    })
    const again = await groups('--delete', '--group', 'g01')
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(
      'Error: Deletion of some consumer groups failed:\n' +
        "* Group 'g01' could not be deleted due to: The group id does not exist.\n",
    )
  }, 60_000)
})

describe('consumer-groups on a group with an active member', () => {
  let dir = ''
  const groups = (...args: string[]) => cli.run(['consumer-groups', '--data-dir', dir, ...args])

  beforeAll(async () => {
    dir = cli.newDir('active')
    await prepareGroupDir(dir, false)
  }, 60_000)

  it("describes the member's partitions and refuses to reset or delete the group", async () => {
    const described = await groups('--describe', '--group', 'g01')
    expect(described).toMatchObject({ code: 0, stderr: '' })
    const [blank, header, ...rows] = described.stdout.trimEnd().split('\n')
    expect(blank).toBe('')
    const id = /^g01 +t01 +0 +2 +5 +3 +(active-consumer-\S+) /.exec(rows[0] ?? '')?.[1] as string
    expect(id, rows[0]).toBeDefined()
    const held = (topic: string, p: number, offset: string, end: number, lag: string) => [
      'g01',
      topic,
      String(p),
      offset,
      String(end),
      lag,
      id,
      '-',
      'active-consumer',
    ]
    expect(described.stdout).toBe(
      describeTable(
        [
          held('t01', 0, '2', 5, '3'),
          held('t01', 1, '3', 3, '0'),
          held('t01', 2, '-', 2, '-'),
          held('t02', 0, '1', 4, '3'),
        ],
        Math.max(15, id.length),
      ),
    )
    expect(header?.startsWith('GROUP           TOPIC')).toBe(true)
    expect((await groups('--describe', '--all-groups')).stdout).toBe(described.stdout)

    const reset = await groups(
      '--reset-offsets',
      '--group',
      'g01',
      '--all-topics',
      '--to-earliest',
      '--execute',
    )
    expect(reset).toMatchObject({ code: 1, stdout: '' })
    expect(reset.stderr).toBe(
      "logkeeper: Assignments can only be reset if the group 'g01' is inactive, but the current state is Stable.\n",
    )
    const deleted = await groups('--delete', '--group', 'g01')
    expect(deleted.code).toBe(1)
    expect(deleted.stderr).toContain(
      "* Group 'g01' could not be deleted due to: The group is not empty.",
    )
    expect((await groups('--list', '--state')).stdout).toBe(
      'GROUP                     STATE\ng01                       Stable\n',
    )
  }, 120_000)
})

describe('consumer-groups without a cluster to ask', () => {
  it('refuses a directory that does not exist, creating nothing', async () => {
    const dir = cli.newDir('missing')
    const r = await cli.run(['consumer-groups', '--list', '--data-dir', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/is not a logkeeper data directory/)
    expect(existsSync(dir)).toBe(false)
  })

  it('prints its help with examples', async () => {
    const r = await cli.run(['consumer-groups', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: logkeeper consumer-groups --list/)
    expect(r.stdout).toContain('Examples:\n  logkeeper consumer-groups --list')
  })
})

describe('--to-datetime values', () => {
  const at = Date.UTC(2026, 0, 31, 12, 30, 15, 250)

  it("reads Kafka's format, UTC without a zone, the zone forms Java's XXX takes", () => {
    expect(parseKafkaDateTime('2026-01-31T12:30:15.250')).toBe(at)
    expect(parseKafkaDateTime('2026-01-31T12:30:15.250Z')).toBe(at)
    expect(parseKafkaDateTime('2026-01-31T14:30:15.250+02')).toBe(at)
    expect(parseKafkaDateTime('2026-01-31T14:00:15.250+0130')).toBe(at)
    expect(parseKafkaDateTime('2026-01-31T07:30:15.250-05:00')).toBe(at)
  })

  it('refuses anything else, as strict SimpleDateFormat does', () => {
    for (const bad of [
      '2026-01-31',
      '2026-01-31T12:30:15',
      '2026-01-31 12:30:15.250',
      '2026-02-30T00:00:00.000',
      '2026-13-01T00:00:00.000',
      '2026-01-31T24:00:00.000',
      '2026-01-31T12:30:15.250+25:00',
      '2026-01-31T12:30:15.250Q',
    ]) {
      expect(parseKafkaDateTime(bad), bad).toBeUndefined()
    }
  })
})

/**
 * `logkeeper topics`, end to end through the built CLI on a data directory: kafka-topics.sh's
 * actions, output layouts, messages and exit statuses (0 done, 1 refused, 2 malformed).
 * Directories with three brokers are prepared in this process with createCluster, then closed.
 */
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createCluster } from '../../src/cluster.js'
import { useCli } from './harness.js'

const cli = useCli('topics')

/** A data directory of `brokers` brokers with the given broker settings, closed. */
async function prepared(config: Record<string, unknown> = {}, brokers = 3): Promise<string> {
  const dir = cli.newDir('topics')
  const cluster = await createCluster({ dataDir: dir, brokers, config })
  await cluster.close()
  return dir
}

function topicsOn(dir: string) {
  return (...args: string[]) => cli.run(['topics', '--data-dir', dir, ...args])
}

const PARTITION_LINE =
  /^\tTopic: t01\tPartition: (\d)\tLeader: (\d)\tReplicas: (\d),(\d)\tIsr: ([\d,]+)$/

describe('topics', () => {
  it('creates, lists, describes, alters and deletes a topic in kafka-topics output', async () => {
    const topics = topicsOn(await prepared())
    const created = await topics(
      '--create',
      '--topic',
      't01',
      '--partitions',
      '3',
      '--replication-factor',
      '2',
      '--config',
      'retention.ms=604800000',
    )
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic t01.\n', stderr: '' })
    expect(await topics('--create', '--topic', 't02', '--partitions', '1')).toMatchObject({
      code: 0,
      stdout: 'Created topic t02.\n',
    })
    expect(await topics('--list')).toMatchObject({ code: 0, stdout: 't01\nt02\n' })

    const described = await topics('--describe', '--topic', 't01')
    expect(described.code).toBe(0)
    const [header, ...partitions] = described.stdout.trimEnd().split('\n')
    expect(header).toBe(
      'Topic: t01\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: retention.ms=604800000',
    )
    expect(partitions).toHaveLength(3)
    partitions.forEach((line, i) => {
      const m = PARTITION_LINE.exec(line)
      expect(m, line).not.toBeNull()
      const [, partition, leader, r1, r2, isr] = m as RegExpExecArray
      expect(Number(partition)).toBe(i)
      expect(r1).not.toBe(r2)
      expect([r1, r2]).toContain(leader)
      // The ISR may have shrunk while the directory closed: the leader and replicas only.
      expect(isr?.split(',')).toContain(leader)
      for (const id of isr?.split(',') ?? []) expect([r1, r2]).toContain(id)
    })
    // Without --topic every topic is described, in name order.
    const all = await topics('--describe')
    expect(all.stdout.split('\n').filter((l) => l.startsWith('Topic: '))).toEqual([
      header,
      'Topic: t02\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: ',
    ])

    const altered = await topics('--alter', '--topic', 't01', '--partitions', '4')
    expect(altered).toMatchObject({ code: 0, stderr: '' })
    expect(altered.stdout).toBe(
      'WARNING: If partitions are increased for a topic that has a key, the partition logic or ' +
        'ordering of the messages will be affected\nAdding partitions succeeded!\n',
    )
    const grown = await topics('--describe', '--topic', 't01')
    expect(grown.stdout).toMatch(/^Topic: t01\tPartitionCount: 4\t/)
    expect(grown.stdout).toMatch(/^\tTopic: t01\tPartition: 3\tLeader: \d\t/m)

    const deleted = await topics('--delete', '--topic', 't01')
    expect(deleted).toMatchObject({ code: 0, stderr: '' })
    expect(deleted.stdout).toBe(
      'Topic t01 is marked for deletion.\n' +
        'Note: This will have no impact if delete.topic.enable is not set to true.\n',
    )
    expect((await topics('--list')).stdout).toBe('t02\n')
  }, 120_000)

  it('only marks a topic for deletion when delete.topic.enable is false, as Kafka says', async () => {
    const topics = topicsOn(await prepared({ 'delete.topic.enable': false }))
    await topics('--create', '--topic', 't01', '--partitions', '2', '--replication-factor', '3')
    const marked = await topics('--delete', '--topic', 't01')
    expect(marked).toMatchObject({ code: 0, stderr: '' })
    expect(marked.stdout).toBe(
      'Topic t01 is marked for deletion.\n' +
        'Note: This will have no impact if delete.topic.enable is not set to true.\n',
    )
    expect((await topics('--list')).stdout).toBe('t01 - marked for deletion\n')
    const described = await topics('--describe', '--topic', 't01')
    expect(described.stdout.split('\n')[0]).toBe(
      'Topic: t01\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: \tMarkedForDeletion: true',
    )
    expect(described.stdout).toMatch(/^\tTopic: t01\tPartition: 1\t.*\tMarkedForDeletion: true$/m)
    expect(await topics('--delete', '--topic', 't01')).toMatchObject({
      code: 0,
      stdout: 'Topic t01 is already marked for deletion.\n',
    })
  }, 120_000)

  it('refuses what Kafka refuses, with its messages, and changes nothing', async () => {
    const dir = await prepared()
    const topics = topicsOn(dir)
    const fails = async (args: string[], code: number, message: string) => {
      const r = await topics(...args)
      expect(r.code, args.join(' ')).toBe(code)
      expect(r.stderr.split('\n')[0], args.join(' ')).toBe(`logkeeper: ${message}`)
      return r
    }
    const create = ['--create', '--topic', 't01', '--partitions', '2']
    expect((await topics(...create)).code).toBe(0)
    await fails(create, 1, "Error while executing topic command : Topic 't01' already exists.")
    expect(await topics(...create, '--if-not-exists')).toMatchObject({ code: 0, stdout: '' })

    const unknown = "Topic 'nope' does not exist as expected"
    await fails(['--describe', '--topic', 'nope'], 1, unknown)
    await fails(['--alter', '--topic', 'nope', '--partitions', '5'], 1, unknown)
    await fails(['--delete', '--topic', 'nope'], 1, unknown)
    expect(await topics('--delete', '--topic', 'nope', '--if-exists')).toMatchObject({
      code: 0,
      stdout: '',
    })
    expect(await topics('--describe', '--topic', 'nope', '--if-exists')).toMatchObject({
      code: 0,
      stdout: '',
    })

    const alter = (n: string) => ['--alter', '--topic', 't01', '--partitions', n]
    const error = 'Error while executing topic command : '
    await fails(alter('2'), 1, `${error}Topic already has 2 partitions.`)
    await fails(
      alter('1'),
      1,
      `${error}Topic currently has 2 partitions, which is higher than the requested 1.`,
    )
    const t = (name: string, ...more: string[]) => ['--create', '--topic', name, ...more]
    await fails(
      t('t02', '--replication-factor', '4'),
      1,
      `${error}Replication factor: 4 larger than available brokers: 3.`,
    )
    await fails(
      t('t02', '--replication-factor', '0'),
      1,
      'The replication factor must be between 1 and 32767 inclusive',
    )
    await fails(t('t02', '--partitions', '0'), 1, 'The partitions must be greater than 0')
    await fails(
      t('t02', '--config', 'retention.ms'),
      1,
      'Invalid topic config: all configs to be added must be in the format "key=val".',
    )
    const badConfig = await topics(...t('t02', '--config', 'no.such.config=1'))
    expect(badConfig.code).toBe(1)
    expect(badConfig.stderr).toMatch(
      /^logkeeper: Error while executing topic command : .*no\.such\.config/,
    )
    await fails(t('t02', '--partitions', 'x'), 2, "Cannot parse argument 'x' of option partitions")
    await fails(
      ['--alter', '--topic', 't01', '--partitions', '2.5'],
      2,
      "Cannot parse argument '2.5' of option partitions",
    )

    const oneAction =
      'Command must include exactly one action: --list, --describe, --create, --alter or --delete'
    const usage = await fails([], 2, oneAction)
    expect(usage.stderr).toContain('Usage: logkeeper topics --create --topic <topic>')
    await fails(['--list', '--describe'], 2, oneAction)
    await fails(
      ['--list', '--partitions', '3'],
      2,
      'Option "--partitions" can\'t be used with option "--list"',
    )
    await fails(
      ['--alter', '--topic', 't01'],
      2,
      'Missing required argument "--partitions" for "--alter"',
    )
    await fails(
      ['--create', '--partitions', '1'],
      2,
      'Missing required argument "--topic" for "--create"',
    )

    // None of the refused requests changed anything.
    expect((await topics('--list')).stdout).toBe('t01\n')
    expect((await topics('--describe', '--topic', 't01')).stdout).toMatch(
      /^Topic: t01\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n/,
    )
  }, 180_000)

  it('reads --topic as a regular expression for every action but --create', async () => {
    const topics = topicsOn(await prepared())
    for (const name of ['orders', 'orders.eu', 'payments']) {
      expect((await topics('--create', '--topic', name)).code).toBe(0)
    }
    expect((await topics('--list', '--topic', 'orders.*')).stdout).toBe('orders\norders.eu\n')
    expect((await topics('--list', '--topic', 'orders,payments')).stdout).toBe('orders\npayments\n')
    const described = await topics('--describe', '--topic', 'pay.*')
    expect(described.stdout).toMatch(/^Topic: payments\t/)
  }, 120_000)

  it('refuses a directory that does not exist for an action that reads it, creating nothing', async () => {
    const dir = cli.newDir('missing')
    const r = await cli.run(['topics', '--list', '--data-dir', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/is not a logkeeper data directory/)
    expect(existsSync(dir)).toBe(false)
  })

  it('refuses a directory another process holds, naming that process', async () => {
    const dir = await prepared()
    const holder = cli.start(['zk', '--data-dir', dir])
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = ''
        holder.stdout?.setEncoding('utf8').on('data', (s: string) => {
          seen += s
          if (seen.includes('Welcome to ZooKeeper!')) resolve()
        })
        holder.on('exit', () => reject(new Error(`the holder exited: ${seen}`)))
      })
      const r = await cli.run(['topics', '--list', '--data-dir', dir])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`held by process ${holder.pid}`)
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    } finally {
      holder.kill()
    }
  }, 60_000)

  it('prints its help with examples', async () => {
    const r = await cli.run(['topics', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: logkeeper topics --create/)
    expect(r.stdout).toContain('Examples:\n  logkeeper topics --create --topic t01')
  })
})

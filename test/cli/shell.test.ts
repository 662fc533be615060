/**
 * `logkeeper shell` driven through stdin (a here-doc): ZooKeeper commands on one session that
 * lives as long as the shell (ephemerals stay, watches fire as they happen), errors that do not
 * end it, commands it does not run, `help`, `quit`, its exit status, and the directory it holds
 * refused to a second process with the shell's PID.
 */
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { useCli } from './harness.js'

const cli = useCli('shell')

const watcher = (type: string, path: string) =>
  `\nWATCHER::\n\nWatchedEvent state:SyncConnected type:${type} path:${path}\n`

const lines = (...input: string[]) => `${input.join('\n')}\n`

describe('shell: ZooKeeper commands', () => {
  it('keeps one session: ephemerals live until quit, watches print as they fire', async () => {
    const d = cli.newDir()
    const r = await cli.run(['shell', '--data-dir', d], {
      input: lines(
        'create /workers',
        'ls -w /workers',
        'create -e /workers/w1 host:8888',
        'zk get -w /workers/w1',
        'set /workers/w1 host:9999',
        'getEphemerals /workers',
        'ls /brokers/ids',
        'quit',
        'ls /never',
      ),
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      '[]\n' +
        watcher('NodeChildrenChanged', '/workers') +
        'host:8888\n' +
        watcher('NodeDataChanged', '/workers/w1') +
        '[/workers/w1]\n' +
        '[0]\n',
    )
    expect(r.stderr).toBe('Created /workers\nCreated /workers/w1\n')
    // quit closed the shell's session: its ephemeral is gone for the next process.
    const after = await cli.run(['zk', '--data-dir', d, 'ls', '/workers'])
    expect(after.stdout).toBe('[]\n')
  })

  it('prints an error line and goes on; from a pipe it exits with the last status', async () => {
    const d = cli.newDir()
    const failedLast = await cli.run(['shell', '--data-dir', d], {
      input: lines('get /missing', 'bogus --flag', 'zk', 'create /ok', 'get /ok', 'get /nope'),
    })
    expect(failedLast.stdout).toBe('null\n')
    expect(failedLast.stderr.split('\n')).toEqual([
      'Node does not exist: /missing',
      "bogus: unknown command ('help' lists the commands)",
      "zk: give a ZooKeeper command ('zk ls /', or just 'ls /')",
      'Created /ok',
      'Node does not exist: /nope',
      '',
    ])
    expect(failedLast.code).toBe(1)
    const malformedLast = await cli.run(['shell', '--data-dir', d], { input: lines('set /ok') })
    expect(malformedLast.code).toBe(2)
    expect(malformedLast.stderr).toBe('set [-s] [-v version] path data\n')
    // quit is not a command: the status is the one before it.
    const okLast = await cli.run(['shell', '--data-dir', d], {
      input: lines('get /missing', 'ls /ok', 'quit'),
    })
    expect(okLast.code).toBe(0)
  })

  it('history and redo cover the ZooKeeper commands', async () => {
    const d = cli.newDir()
    const r = await cli.run(['shell', '--data-dir', d], {
      input: lines('create /h', 'help', 'ls /h', 'redo 1', 'history'),
    })
    expect(r.code).toBe(0)
    expect(r.stdout.endsWith('[]\n[]\n0 - create /h\n1 - ls /h\n2 - ls /h\n3 - history\n')).toBe(
      true,
    )
  })
})

describe('shell: topics and consumer groups', () => {
  it('creates, lists and describes topics, then lists and describes a group that consumed', async () => {
    const d = cli.newDir()
    const r = await cli.run(['shell', '--data-dir', d], {
      input: lines(
        'topics --create --topic orders --partitions 3 --replication-factor 1',
        'topics --create --topic orders --partitions 1 --replication-factor 1',
        'topics --list',
        'topics --describe --topic orders',
        'console-producer --topic orders',
        'one',
        'two',
        '.',
        'console-consumer --topic orders --group billing --from-beginning --max-messages 2',
        'consumer-groups --list',
        'consumer-groups --describe --group billing',
        'quit',
      ),
    })
    expect(r.code).toBe(0)
    const out = r.stdout.split('\n')
    expect(out[0]).toBe('Created topic orders.')
    expect(out[1]).toBe('orders')
    expect(out[2]).toMatch(/^Topic: orders\tPartitionCount: 3\tReplicationFactor: 1\t/)
    for (const p of [0, 1, 2]) {
      expect(out[3 + p]).toBe(`\tTopic: orders\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0`)
    }
    expect(out.slice(6, 9)).toEqual(['one', 'two', 'billing'])
    // The group committed what it printed: its lag is 0 on every partition.
    const rows = out.filter((l) => l.startsWith('billing '))
    expect(rows).toHaveLength(3)
    const committed = rows.map((l) => l.split(/ +/)).map((c) => [c[3], c[4], c[5]])
    expect(committed.reduce((n, [current]) => n + Number(current), 0)).toBe(2)
    for (const [current, end, lag] of committed) {
      expect(current).toBe(end)
      expect(lag).toBe('0')
    }
    // The error of the second create is one line, and the shell went on.
    expect(r.stderr.split('\n')).toContain(
      "topics: Error while executing topic command : Topic 'orders' already exists.",
    )
    expect(r.stderr).toContain('Processed a total of 2 messages\n')
  })

  it('a topics failure as the last command is the exit status of a piped shell', async () => {
    const r = await cli.run(['shell', '--data-dir', cli.newDir()], {
      input: lines('topics --describe --topic nothing'),
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^topics: .*nothing.*\n$/)
  })
})

describe('shell: console-producer and console-consumer', () => {
  it("produces the lines up to '.', then consumes them, with and without a group", async () => {
    const d = cli.newDir()
    const r = await cli.run(['shell', '--data-dir', d], {
      input: lines(
        'console-producer --topic orders',
        'first order',
        'second order',
        '.',
        'console-consumer --topic orders --from-beginning --max-messages 2',
        'console-consumer --topic orders --group billing --from-beginning --max-messages 1',
        'ls /brokers/topics',
        'console-producer --topic orders --property parse.key=true',
        'k1\tthird order',
      ),
    })
    expect(r.stderr).toBe('Processed a total of 2 messages\nProcessed a total of 1 messages\n')
    expect(r.stdout).toBe('first order\nsecond order\nfirst order\n[__consumer_offsets, orders]\n')
    expect(r.code).toBe(0)
    // The end of input ended the last block of records: they were sent before the shell left.
    const after = await cli.run([
      'console-consumer',
      '--data-dir',
      d,
      '--topic',
      'orders',
      '--from-beginning',
      '--max-messages',
      '3',
      '--property',
      'print.key=true',
    ])
    expect(after.stdout).toBe('null\tfirst order\nnull\tsecond order\nk1\tthird order\n')
  })

  it("skips a malformed producer's records (from a pipe) instead of running them", async () => {
    const r = await cli.run(['shell', '--data-dir', cli.newDir()], {
      input: lines('console-producer --topik orders', 'ls /', '.', 'ls /zookeeper'),
    })
    expect(r.stderr).toBe(
      "console-producer: unknown option --topik ('console-producer --help' shows its usage)\n",
    )
    expect(r.stdout).toBe('[config, quota]\n')
    expect(r.code).toBe(0)
  })

  it('a command given another --data-dir is refused; its --help is printed', async () => {
    const d = cli.newDir()
    const r = await cli.run(['shell', '--data-dir', d], {
      input: lines(
        'console-consumer --data-dir elsewhere --topic t',
        `console-consumer --data-dir ${d} --topic t --max-messages 1 --timeout-ms 10`,
        'console-consumer --help',
      ),
    })
    const err = r.stderr.split('\n')
    expect(err[0]).toBe(
      `console-consumer: the shell runs every command on ${d}; leave --data-dir out ` +
        "('console-consumer --help' shows its usage)",
    )
    // The shell's own directory, named in full, is allowed.
    expect(err[1]).toBe('Processed a total of 0 messages')
    expect(r.stdout).toContain('Usage: logkeeper console-consumer')
  })
})

describe('shell: what it runs and what it does not', () => {
  it('help lists the commands, the zk commands and the ones it refuses', async () => {
    const r = await cli.run(['shell', '--data-dir', cli.newDir()], {
      input: lines('help', 'help ls', 'help snapshot', 'help nothing'),
    })
    expect(r.stdout).toMatch(/^Commands on the cluster of .*\n {2}topics {2,}create, list/)
    for (const name of ['console-producer', 'console-consumer', 'consumer-groups', 'dump-log']) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${name} {2,}\\S`, 'm'))
    }
    expect(r.stdout).toContain("up to a line '.'")
    expect(r.stdout).toContain('  create [-s] [-e] [-c] [-t ttl] path [data] [acl]\n')
    expect(r.stdout).toMatch(/^ {2}quit, exit {2,}leave the shell/m)
    expect(r.stdout).toMatch(/^ {2}txn-log {2,}reads the data directory's files/m)
    expect(r.stdout).toContain('\nls [-s] [-w] [-R] path\n')
    expect(r.stdout).toContain('Usage: logkeeper snapshot')
    expect(r.stderr).toBe("help: no command nothing ('help' lists the commands)\n")
    expect(r.code).toBe(2)
  })

  it('says why shell, demo, txn-log and snapshot do not run inside; runs dump-log', async () => {
    const d = cli.newDir()
    const r = await cli.run(['shell', '--data-dir', d], {
      input: lines('shell', 'demo', 'txn-log', 'snapshot --data-dir x', 'dump-log --files x.txt'),
    })
    expect(r.stderr.split('\n')).toEqual([
      'shell: this is the shell already',
      "demo: runs a cluster of its own, in memory: run 'logkeeper demo' outside the shell",
      "txn-log: reads the data directory's files, which this shell holds open: quit, then run 'logkeeper txn-log --data-dir <dir>'",
      "snapshot: reads the data directory's files, which this shell holds open: quit, then run 'logkeeper snapshot --data-dir <dir>'",
      'Ignoring unknown file x.txt',
      '',
    ])
    expect(r.stdout).toBe('Dumping x.txt\n')
    expect(r.code).toBe(0)
  })

  it('a usage error names the command and its --help', async () => {
    const r = await cli.run(['shell', '--data-dir', cli.newDir()], {
      input: lines('dump-log --nope'),
    })
    expect(r.stderr).toBe("dump-log: unknown option --nope ('dump-log --help' shows its usage)\n")
    expect(r.code).toBe(2)
  })
})

describe('shell: the directory it holds', () => {
  it('refuses the directory to a second process, naming the shell, until it quits', async () => {
    const d = cli.newDir()
    const shell = cli.start(['shell', '--data-dir', d])
    let out = ''
    shell.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s
    })
    // The shell answers once its cluster is open.
    shell.stdin?.write('ls /brokers/ids\n')
    while (!out.includes('[0]')) await once(shell.stdout!, 'data')
    for (const args of [['zk', 'ls', '/'], ['shell'], ['txn-log'], ['topics', '--list']]) {
      const [name, ...rest] = args as [string, ...string[]]
      const second = await cli.run([name, '--data-dir', d, ...rest], { input: 'ls /\n' })
      expect(second.code).toBe(1)
      expect(second.stdout).toBe('')
      expect(second.stderr).toContain(`held by process ${shell.pid}`)
    }
    shell.stdin?.end('quit\n')
    const [code] = await once(shell, 'close')
    expect(code).toBe(0)
    expect((await cli.run(['zk', '--data-dir', d, 'ls', '/brokers/ids'])).code).toBe(0)
  })
})

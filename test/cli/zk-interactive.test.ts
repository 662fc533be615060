/**
 * The interactive `logkeeper zk`: commands read from stdin (a here-doc) as zkCli.sh reads
 * them, watches printed as they fire, `quit` closing the session (its ephemerals go and their
 * watches fire), history and redo, and a directory held by a running shell refused by a second
 * process with the holder's PID.
 */
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import pkg from '../../package.json' with { type: 'json' }
import { normalise, useCli } from './harness.js'

const cli = useCli('zki')

const PREAMBLE = (dir: string) =>
  `Connecting to ${dir}\nWelcome to ZooKeeper!\nJLine support is disabled\n\n` +
  'WATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n'
const watcher = (type: string, path: string) =>
  `\nWATCHER::\n\nWatchedEvent state:SyncConnected type:${type} path:${path}\n`
const CLOSED = '\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n'

describe('zk interactive', () => {
  it("replays the transcript's lock and workers session byte for byte", async () => {
    const d = cli.newDir()
    const input = [
      "create -e /lock 'lock'",
      'stat -w /lock',
      'create /workers',
      'ls -w /workers',
      "create -e /workers/w1 'w1:8888'",
      'ls /zookeeper',
      'get /zookeeper/config',
      'quit',
      '',
    ].join('\n')
    const r = await cli.run(['zk', '--data-dir', d], { input })
    expect(r.code).toBe(0)
    expect(normalise(r.stdout)).toBe(
      PREAMBLE(d) +
        [
          'cZxid = 0x2',
          'ctime = <date>',
          'mZxid = 0x2',
          'mtime = <date>',
          'pZxid = 0x2',
          'cversion = 0',
          'dataVersion = 0',
          'aclVersion = 0',
          'ephemeralOwner = <session>',
          'dataLength = 4',
          'numChildren = 0',
          '[]',
          '',
        ].join('\n') +
        watcher('NodeChildrenChanged', '/workers') +
        '[config, quota]\n\n' +
        watcher('NodeDeleted', '/lock') +
        CLOSED,
    )
    expect(r.stderr).toBe('Created /lock\nCreated /workers\nCreated /workers/w1\n')
    // quit closed the session: the ephemerals are gone for the next process.
    expect((await cli.run(['zk', '--data-dir', d, 'ls', '/workers'])).stdout).toBe('[]\n')
  })

  it('fires data, persistent and recursive watches; printwatches; errors keep the shell going', async () => {
    const d = cli.newDir()
    const input = [
      'create /a',
      'create /b x',
      'get -w /a',
      'set /a 1',
      'set /a 2',
      'addWatch -m persistent /a',
      'addWatch /b',
      'set /a 3',
      'create /b/c',
      'delete /b/c',
      'removewatches /b',
      'printwatches off',
      'set /a 4',
      'printwatches',
      'printwatches on',
      'get /missing',
      'bogus',
      'stat -w /later',
      'create /later',
      'getEphemerals',
      'create -e /mine',
      'getEphemerals /',
      '',
    ].join('\n')
    const r = await cli.run(['zk', '--data-dir', d], { input })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      PREAMBLE(d) +
        'null\n' +
        watcher('NodeDataChanged', '/a') +
        watcher('NodeDataChanged', '/a') +
        watcher('NodeCreated', '/b/c') +
        watcher('NodeDeleted', '/b/c') +
        watcher('PersistentWatchRemoved', '/b') +
        'printwatches is off\n' +
        watcher('NodeCreated', '/later') +
        '[]\n[/mine]\n' +
        // End of input without quit: the session is closed all the same.
        CLOSED,
    )
    const err = r.stderr.split('\n')
    expect(err).toContain('Node does not exist: /missing')
    expect(err).toContain('Command not found: Command not found bogus')
    expect(err).toContain('Node does not exist: /later')
    expect(err.filter((l) => l.startsWith('Created'))).toEqual([
      'Created /a',
      'Created /b',
      'Created /b/c',
      'Created /later',
      'Created /mine',
    ])
  })

  it('history, redo, version, close and connect', async () => {
    const d = cli.newDir()
    const input = [
      'create /h',
      'ls /',
      'redo 1',
      'history',
      'redo 9',
      'version',
      'close',
      'ls /',
      'connect',
      'ls /h',
      'exit',
      'ls /never',
      '',
    ].join('\n')
    const r = await cli.run(['zk', '--data-dir', d], { input })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      PREAMBLE(d) +
        '[h, zookeeper]\n[h, zookeeper]\n' +
        '0 - create /h\n1 - ls /\n2 - ls /\n3 - history\n' +
        `ZooKeeper CLI version: logkeeper-${pkg.version}\n` +
        CLOSED +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n' +
        '[]\n' +
        CLOSED,
    )
    expect(r.stderr).toBe('Created /h\nCommand index out of range\nNot connected\n')
  })

  it('refuses a directory a running shell holds, naming its process', async () => {
    const d = cli.newDir()
    const shell = cli.start(['zk', '--data-dir', d])
    let out = ''
    shell.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s
    })
    while (!out.includes('SyncConnected')) await once(shell.stdout!, 'data')
    const second = await cli.run(['zk', '--data-dir', d, 'ls', '/'])
    expect(second.code).toBe(1)
    expect(second.stdout).toBe('')
    expect(second.stderr).toMatch(
      new RegExp(`^logkeeper: ${d} is held by process ${shell.pid} \\(see .*\\.lock\\); .*\\n$`),
    )
    expect((await cli.run(['txn-log', '--data-dir', d])).stderr).toContain(
      `held by process ${shell.pid}`,
    )
    shell.stdin?.end('quit\n')
    const [code] = await once(shell, 'close')
    expect(code).toBe(0)
    expect((await cli.run(['zk', '--data-dir', d, 'ls', '/'])).code).toBe(0)
  })
})

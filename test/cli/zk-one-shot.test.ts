/**
 * `logkeeper zk <command>`: one command per process, zkCli.sh's output (data and Stat on
 * stdout; "Created", errors and the connection preamble on stderr) and exit statuses.
 */
import { describe, expect, it } from 'vitest'
import { normalise, oneShotPreamble, useCli } from './harness.js'

const cli = useCli('zk1')

describe('zk one-shot', () => {
  it('create, get -s, set -v, stat, ls, delete: zkCli output and exit statuses', async () => {
    const d = cli.newDir()
    const zk = (...args: string[]) => cli.run(['zk', '--data-dir', d, ...args])
    const created = await zk('create', '/lock', 'lock')
    expect(created).toMatchObject({ code: 0, stdout: '' })
    expect(created.stderr).toBe(oneShotPreamble(d) + 'Created /lock\n')

    const got = await zk('get', '-s', '/lock')
    expect(got.code).toBe(0)
    expect(normalise(got.stdout)).toBe(
      [
        'lock',
        'cZxid = 0x2',
        'ctime = <date>',
        'mZxid = 0x2',
        'mtime = <date>',
        'pZxid = 0x2',
        'cversion = 0',
        'dataVersion = 0',
        'aclVersion = 0',
        'ephemeralOwner = 0x0',
        'dataLength = 4',
        'numChildren = 0',
        '',
      ].join('\n'),
    )
    expect(got.stdout).toMatch(
      /^ctime = (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} \d{2} [\d:]{8} UTC \d{4}$/m,
    )

    expect(await zk('set', '-v', '7', '/lock', 'x')).toMatchObject({ code: 1 })
    expect((await zk('set', '-v', '7', '/lock', 'x')).stderr).toMatch(
      /version No is not valid : \/lock\n$/,
    )
    const set = await zk('set', '-s', '-v', '0', '/lock', 'lock2')
    expect(set.code).toBe(0)
    expect(set.stdout).toMatch(/^cZxid = 0x2\n[\s\S]*dataVersion = 1\n[\s\S]*dataLength = 5\n/)
    expect((await zk('get', '/lock')).stdout).toBe('lock2\n')

    const stat = await zk('stat', '/lock')
    expect(stat.stdout.split('\n')[0]).toBe('cZxid = 0x2')
    expect((await zk('ls', '/')).stdout).toBe('[lock, zookeeper]\n')
    expect(await zk('delete', '/lock')).toMatchObject({ code: 0, stdout: '' })
    expect((await zk('ls', '/')).stdout).toBe('[zookeeper]\n')
  })

  it("prints zkCli's error lines with exit status 1", async () => {
    const d = cli.newDir()
    const zk = (...args: string[]) => cli.run(['zk', '--data-dir', d, ...args])
    const fails = async (args: string[], line: string) => {
      const r = await zk(...args)
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr.endsWith(line + '\n'), `${args.join(' ')}: ${r.stderr}`).toBe(true)
    }
    await fails(['get', '/missing'], 'Node does not exist: /missing')
    await fails(['stat', '/missing'], 'Node does not exist: /missing')
    await fails(['ls', '/missing'], 'Node does not exist: /missing')
    await fails(['create', '/nope/child'], 'Node does not exist: /nope/child')
    await zk('create', '/w')
    await zk('create', '/w/x')
    await fails(['create', '/w'], 'Node already exists: /w')
    await fails(['delete', '/w'], 'Node not empty: /w')
    await fails(['delete', '-v', '3', '/w/x'], 'version No is not valid : /w/x')
    await fails(['create', '/w/'], 'Path must not end with / character')
    await fails(['get', 'w'], 'Path must start with / character')
    await fails(
      ['create', '/w/./x'],
      'Invalid path string "/w/./x" caused by relative paths not allowed @3',
    )
    await fails(['deleteall', '/missing'], 'Node does not exist: /missing')
  })

  it('exits 2 with the usage line for malformed zk commands', async () => {
    const d = cli.newDir()
    const zk = (...args: string[]) => cli.run(['zk', '--data-dir', d, ...args])
    const usage = async (args: string[], line: string) => {
      const r = await zk(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.endsWith(line + '\n'), `${args.join(' ')}: ${r.stderr}`).toBe(true)
    }
    await usage(['ls'], 'ls [-s] [-w] [-R] path')
    await usage(['set', '/x'], 'set [-s] [-v version] path data')
    await usage(['ls', '-x', '/'], 'Unrecognized option: -x')
    await usage(['delete', '-v'], 'Missing argument for option: v')
    await usage(
      ['create', '-e', '-c', '/x'],
      '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.',
    )
    await usage(['create', '-t', '100', '-e', '/x'], 'TTLs cannot be used with Ephemeral znodes')
    await usage(['create', '-t', '100', '-c', '/x'], 'TTLs cannot be used with Container znodes')
    await usage(
      ['addWatch', '-m', 'bogus', '/x'],
      'addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE',
    )
    const unknown = await zk('frobnicate', '/x')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('\tls [-s] [-w] [-R] path\n')
    expect(unknown.stderr).toMatch(/Command not found: Command not found frobnicate\n$/)
  })

  it('create -s / -e / -c / -t, ls -R, ls -s, getAllChildrenNumber, deleteall, sync', async () => {
    const d = cli.newDir()
    const zk = (...args: string[]) => cli.run(['zk', '--data-dir', d, ...args])
    await zk('create', '/workers')
    const seq = await zk('create', '-s', '/workers/job-', 'j')
    expect(seq.stderr).toMatch(/Created \/workers\/job-0000000000\n$/)
    expect((await zk('create', '-s', '/workers/job-')).stderr).toMatch(/job-0000000001\n$/)
    await zk('create', '/workers/job-0000000000/x')
    expect((await zk('create', '-c', '/box')).stderr).toMatch(/Created \/box\n$/)
    expect((await zk('create', '-t', '60000', '/ttl', 'd')).stderr).toMatch(/Created \/ttl\n$/)
    const eph = await zk('create', '-e', '-s', '/e-')
    expect(eph).toMatchObject({ code: 0 })
    expect(eph.stderr).toMatch(/Created \/e-0000000003\n$/)
    // The one-shot session closed on exit: its ephemeral is gone.
    expect((await zk('ls', '/')).stdout).toBe('[box, ttl, workers, zookeeper]\n')

    expect((await zk('ls', '-R', '/workers')).stdout).toBe(
      '/workers\n/workers/job-0000000000\n/workers/job-0000000001\n/workers/job-0000000000/x\n',
    )
    const lss = await zk('ls', '-s', '/workers')
    expect(lss.stdout).toMatch(/^\[job-0000000000, job-0000000001\]\ncZxid = 0x/)
    expect(lss.stdout).toMatch(/\ncversion = 2\n[\s\S]*\nnumChildren = 2\n$/)
    expect((await zk('getAllChildrenNumber', '/workers')).stdout).toBe('3\n')
    expect((await zk('sync', '/')).stdout).toBe('Sync is OK\n')
    expect((await zk('get', '/workers')).stdout).toBe('null\n')
    expect(await zk('deleteall', '/workers')).toMatchObject({ code: 0, stdout: '' })
    expect((await zk('ls', '/')).stdout).toBe('[box, ttl, zookeeper]\n')
    expect((await zk('ls', '/zookeeper')).stdout).toBe('[config, quota]\n')
    expect((await zk('get', '/zookeeper/config')).stdout).toBe('\n')
    expect((await zk('getEphemerals')).stdout).toBe('[]\n')
  })

  it('zk --help documents the commands; zk --bogus is a usage error', async () => {
    const help = await cli.run(['zk', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: logkeeper zk \[--data-dir <dir>\]\n/)
    expect(help.stdout).toContain('--data-dir <dir>')
    expect(help.stdout).toContain('deleteall path')
    const bad = await cli.run(['zk', '--bogus'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^logkeeper: unknown option --bogus\n\nUsage: logkeeper zk/)
  })
})

/**
 * `logkeeper txn-log` and `logkeeper snapshot` on a data directory whose coordinator lives in
 * the `coordinator` sublevel of `<dir>/meta` (where the CLI's zk and the cluster keep it).
 */
import { describe, expect, it } from 'vitest'
import { createCoordinator } from '../../src/coordination/create-coordinator.js'
import { openDataDir } from '../../src/storage/data-dir.js'
import { useCli } from './harness.js'

const cli = useCli('coord')

describe('txn-log and snapshot', () => {
  it("prints the txns the zk shell wrote, one line each, after --after-zxid's", async () => {
    const d = cli.newDir()
    await cli.run(['zk', '--data-dir', d, 'create', '/config', 'hello'])
    await cli.run(['zk', '--data-dir', d, 'set', '/config', 'bye'])
    const r = await cli.run(['txn-log', '--data-dir', d])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    const lines = r.stdout.trimEnd().split('\n')
    const ops = lines.map((l) => l.replace(/^\S+ session 0x[0-9a-f]+ /, ''))
    expect(ops).toEqual([
      'zxid 0x1 createSession 0x' + lines[0]!.split(' ')[2]!.slice(2) + ' timeout=10000',
      `zxid 0x2 create '/config' data="hello"`,
      expect.stringMatching(/^zxid 0x3 closeSession 0x/),
      expect.stringMatching(/^zxid 0x4 createSession 0x/),
      `zxid 0x5 setData '/config' data="bye"`,
      expect.stringMatching(/^zxid 0x6 closeSession 0x/),
      'EOF reached after 6 txns.',
    ])
    const after = await cli.run(['txn-log', '--data-dir', d, '--after-zxid', '0x4'])
    expect(after.stdout.trimEnd().split('\n')).toHaveLength(3)
    expect(after.stdout).toMatch(/^\S+ session 0x[0-9a-f]+ zxid 0x5 setData/)
    const bad = await cli.run(['txn-log', '--data-dir', d, '--after-zxid', 'soon'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^logkeeper: --after-zxid must be a zxid \(0x1f or 31\), got soon\n/)
  })

  it('prints the newest snapshot or the one at --zxid, and lists them', async () => {
    const d = cli.newDir()
    const dir = await openDataDir(d)
    const coordinator = await createCoordinator({
      db: dir.sublevel('coordinator'),
      snapshotEveryTxns: 4,
    })
    const zk = coordinator.connect()
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) await zk.create(`/${name}`, name)
    await zk.close()
    await coordinator.close()
    await dir.close()

    const list = await cli.run(['snapshot', '--data-dir', d, '--list'])
    expect(list.code).toBe(0)
    const zxids = list.stdout.trimEnd().split('\n')
    expect(zxids.length).toBeGreaterThan(0)
    for (const z of zxids) expect(z).toMatch(/^0x[0-9a-f]+$/)

    const newest = await cli.run(['snapshot', '--data-dir', d])
    expect(newest.code).toBe(0)
    const lines = newest.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      new RegExp(`^ZNode Details \\(count=\\d+\\), zxid ${zxids[zxids.length - 1]}:$`),
    )
    expect(lines).toContain('/a')
    expect(lines).toContain('  cZxid = 0x2')
    expect(lines).toContain('Session Details (sid, timeout, ephemeralCount):')

    const first = await cli.run(['snapshot', '--data-dir', d, '--zxid', zxids[0]!])
    expect(first.stdout.split('\n')[0]).toContain(`zxid ${zxids[0]}:`)
    const none = await cli.run(['snapshot', '--data-dir', d, '--zxid', '0x7fffff'])
    expect(none).toMatchObject({ code: 1, stdout: '' })
    expect(none.stderr).toBe(`logkeeper: ${d} has no snapshot at zxid 0x7fffff\n`)
  })

  it('says so when there is no snapshot yet, or no data directory at all', async () => {
    const d = cli.newDir()
    await cli.run(['zk', '--data-dir', d, 'create', '/x'])
    const r = await cli.run(['snapshot', '--data-dir', d])
    expect(r).toMatchObject({ code: 1, stdout: '' })
    expect(r.stderr).toBe(
      `logkeeper: ${d} has no coordinator snapshot yet (see 'logkeeper txn-log')\n`,
    )
    const missing = cli.newDir('missing')
    for (const command of ['txn-log', 'snapshot']) {
      const m = await cli.run([command, '--data-dir', missing])
      expect(m.code).toBe(1)
      expect(m.stderr).toMatch(/^logkeeper: .* is not a logkeeper data directory \(no .*meta\)\n$/)
    }
  })
})

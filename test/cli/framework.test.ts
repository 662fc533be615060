/**
 * The command line's frame: the top-level help and version, unknown commands and options
 * (exit status 2 with the usage), `--help` on every command (exit status 0), the default data
 * directory, and output that reaches a pipe whole.
 */

import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import pkg from '../../package.json' with { type: 'json' }
import { COMMANDS } from '../../src/cli/commands.js'
import { useCli } from './harness.js'

const cli = useCli('frame')

describe('logkeeper command line', () => {
  it('lists the commands with --help, exits 2 with the usage when none is given', async () => {
    const help = await cli.run(['--help'])
    expect(help).toMatchObject({ code: 0, stderr: '' })
    expect(help.stdout).toMatch(/^Usage: logkeeper <command> \[options\]\n/)
    for (const c of COMMANDS) expect(help.stdout).toContain(`  ${c.name} `)
    const none = await cli.run([])
    expect(none).toMatchObject({ code: 2, stdout: '' })
    expect(none.stderr).toBe('logkeeper: no command given\n\n' + help.stdout)
  })

  it('prints its version', async () => {
    expect(await cli.run(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
  })

  it('refuses an unknown command or option with exit status 2 and the usage', async () => {
    const unknown = await cli.run(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^logkeeper: unknown command frobnicate\n\nUsage: logkeeper/)
    const option = await cli.run(['txn-log', '--frobnicate'])
    expect(option.code).toBe(2)
    expect(option.stderr).toMatch(
      /^logkeeper: unknown option --frobnicate\n\nUsage: logkeeper txn-log/,
    )
    const value = await cli.run(['txn-log', '--data-dir'])
    expect(value.code).toBe(2)
    expect(value.stderr).toMatch(/^logkeeper: option --data-dir needs a value\n\nUsage:/)
    const extra = await cli.run(['txn-log', 'stray'])
    expect(extra.code).toBe(2)
    expect(extra.stderr).toMatch(/^logkeeper: unexpected argument stray\n/)
  })

  it('has --help (and help <command>) for every command', async () => {
    for (const c of COMMANDS) {
      const r = await cli.run([c.name, '--help'])
      expect(r, c.name).toMatchObject({ code: 0, stderr: '' })
      expect(r.stdout).toMatch(new RegExp(`^Usage: logkeeper ${c.name}`))
      expect(r.stdout).toContain('-h, --help')
      expect((await cli.run(['help', c.name])).stdout).toBe(r.stdout)
    }
  })

  it('uses ./logkeeper-data by default', async () => {
    const cwd = cli.newDir('cwd')
    await mkdir(cwd)
    const r = await cli.run(['zk', 'create', '/here'], { cwd })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^Connecting to logkeeper-data\n/)
    expect(existsSync(join(cwd, 'logkeeper-data', 'meta'))).toBe(true)
    expect((await cli.run(['zk', 'ls', '/'], { cwd })).stdout).toBe('[here, zookeeper]\n')
  })

  it('hands a large output to a pipe whole', async () => {
    const d = cli.newDir()
    const lines = ['create /big']
    for (let i = 0; i < 300; i++) lines.push(`create /big/n${i} ${'x'.repeat(200)}`)
    lines.push('ls -R /big', 'quit', '')
    const r = await cli.run(['zk', '--data-dir', d], { input: lines.join('\n') })
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter((l) => l.startsWith('/big/n'))).toHaveLength(300)
    expect(r.stdout.endsWith('WatchedEvent state:Closed type:None path:null\n')).toBe(true)
  })

  it('stops quietly with exit status 0 when the reader goes away (| head)', async () => {
    const one = Buffer.from(
      '00000000000000000000003b00000001020318a2700000000000000000015dff7b063c0000015dff7b063cffffffffffffffffffffffffffff0000000112000000010631323300',
      'hex',
    )
    const file = join(cli.dir(), '00000000000000000000.log')
    await writeFile(file, Buffer.concat(Array.from({ length: 20_000 }, () => one)))
    const child = cli.start(['dump-log', '--files', file])
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s
    })
    await once(child.stdout!, 'data')
    child.stdout?.destroy()
    child.stdin?.end()
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
    expect(stderr).toBe('')
  })
})

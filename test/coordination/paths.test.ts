import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  childPath,
  parentOf,
  pathProblem,
  sequenceSuffix,
  utf8Length,
} from '../../src/coordination/paths.js'

describe('pathProblem (ZooKeeper PathUtils.validatePath)', () => {
  it.each(['/', '/a', '/a/b', '/a.b', '/.a', '/a/..b', '/a/b.', '/é', '/a-0000000001'])(
    'accepts %j',
    (path) => expect(pathProblem(path)).toBeUndefined(),
  )

  it.each([
    '',
    'a',
    'a/b',
    '/a/',
    '//a',
    '/a//b',
    '/.',
    '/..',
    '/a/.',
    '/a/../b',
    '/a\u0000',
    '/\u0001',
    '/\u007f',
    '/\u009f',
    '/\ud83d\ude00',
    '/\uf8ff',
    '/\ufff0',
  ])('refuses %j', (path) => expect(pathProblem(path)).toBeTypeOf('string'))
})

describe('path helpers', () => {
  it('computes parents as ZooKeeper (the text before the last slash)', () => {
    expect(parentOf('/a')).toBe('/')
    expect(parentOf('/a/b')).toBe('/a')
    expect(parentOf('/a//b')).toBe('/a/')
    expect(parentOf('sem/x')).toBe('sem')
    expect(childPath('/', 'a')).toBe('/a')
    expect(childPath('/a', 'b')).toBe('/a/b')
  })

  it('formats sequence suffixes as %010d', () => {
    expect(sequenceSuffix(0)).toBe('0000000000')
    expect(sequenceSuffix(42)).toBe('0000000042')
    expect(sequenceSuffix(2147483647)).toBe('2147483647')
  })

  it('measures UTF-8 like Buffer.byteLength', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s))
      }),
    )
  })

  it('accepts every path built from valid names', () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,8}$/).filter((n) => n !== '.' && n !== '..')
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (names) => {
        expect(pathProblem('/' + names.join('/'))).toBeUndefined()
      }),
    )
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidTopicName, topicNamesCollide, validateTopicName } from '../../src/log/topic-name.js'

const invalid = expect.objectContaining({ code: 'INVALID_TOPIC_EXCEPTION' })

describe('topic names', () => {
  it('accepts legal names, __proto__ included', () => {
    for (const name of [
      'a',
      'orders',
      'my.topic_v2-x',
      '__consumer_offsets',
      '__proto__',
      '...',
      'a'.repeat(249),
    ]) {
      expect(validateTopicName(name)).toBe(name)
    }
  })

  it('rejects illegal names with INVALID_TOPIC_EXCEPTION', () => {
    for (const name of [
      '',
      '.',
      '..',
      'a'.repeat(250),
      'a b',
      'a/b',
      'é',
      'a\n',
      'x:y',
      null,
      1,
      {},
      undefined,
    ]) {
      expect(isValidTopicName(name)).toBe(false)
      expect(() => validateTopicName(name)).toThrow(invalid)
    }
  })

  it('agrees with the character rule for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const expected =
          s.length >= 1 && s.length <= 249 && s !== '.' && s !== '..' && /^[\w.-]+$/.test(s)
        expect(isValidTopicName(s)).toBe(expected)
      }),
    )
  })

  it('spots names that collide in metrics', () => {
    expect(topicNamesCollide('a.b', 'a_b')).toBe(true)
    expect(topicNamesCollide('a.b', 'a-b')).toBe(false)
  })
})

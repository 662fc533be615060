/** How the command line words a failure in one line. */
import { describe, expect, it } from 'vitest'
import { oneLine, UsageError, UserError } from '../../src/cli/errors.js'
import { fromCode } from '../../src/common/errors.js'

describe('oneLine', () => {
  it('gives a coded error as "CODE: message", and the code alone when the message is only the code', () => {
    expect(oneLine(fromCode('NOT_CONTROLLER', 'no controller now\nmore'))).toBe(
      'NOT_CONTROLLER: no controller now',
    )
    expect(oneLine(fromCode('UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_OR_PARTITION'))).toBe(
      'UNKNOWN_TOPIC_OR_PARTITION',
    )
  })

  it("gives the command line's own errors and other errors as their first line", () => {
    expect(oneLine(new UserError('no such topic'))).toBe('no such topic')
    expect(oneLine(new UsageError('unknown option --x'))).toBe('unknown option --x')
    expect(oneLine(new Error('first\nsecond'))).toBe('first')
    expect(oneLine('plain')).toBe('plain')
  })
})

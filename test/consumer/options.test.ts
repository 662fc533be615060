import { describe, expect, it } from 'vitest'
import { resolveConsumerOptions } from '../../src/consumer/options.js'

describe('consumer options', () => {
  it('refuses unknown names (a typo is not silently ignored), as the producer does', () => {
    expect(() => resolveConsumerOptions({ sessionTimeout: 1 } as never)).toThrow(
      /unknown consumer option "?sessionTimeout/,
    )
    expect(() => resolveConsumerOptions({ retry: { retrys: 1 } } as never)).toThrow(
      /unknown retry option "?retrys/,
    )
    expect(() => resolveConsumerOptions({ groupId: 'g', retry: { retries: 1 } })).not.toThrow()
  })
})

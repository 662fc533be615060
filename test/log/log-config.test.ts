import { describe, expect, it } from 'vitest'
import { LOG_CONFIG_DEFAULTS, resolveLogConfig } from '../../src/log/log-config.js'
import { code } from './helpers.js'

describe('log config', () => {
  it('has Kafka defaults', () => {
    expect(resolveLogConfig()).toEqual(LOG_CONFIG_DEFAULTS)
    expect(LOG_CONFIG_DEFAULTS).toMatchObject({
      'segment.bytes': 1073741824,
      'segment.ms': 604800000,
      'retention.ms': 604800000,
      'retention.bytes': -1,
      'max.message.bytes': 1048588,
      'cleanup.policy': 'delete',
      'delete.retention.ms': 86400000,
      'index.interval.bytes': 4096,
      'message.timestamp.type': 'CreateTime',
      'min.compaction.lag.ms': 0,
    })
  })

  it('accepts valid values and normalises delete,compact', () => {
    const c = resolveLogConfig({ 'retention.ms': -1, 'cleanup.policy': 'delete,compact' as never })
    expect(c['retention.ms']).toBe(-1)
    expect(c['cleanup.policy']).toBe('compact,delete')
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('refuses unknown keys, wrong types and out-of-range values with INVALID_CONFIG', () => {
    const bad: Record<string, unknown>[] = [
      { 'segment.bytes': 0 },
      { 'segment.bytes': 2 ** 31 },
      { 'segment.ms': 0 },
      { 'retention.ms': -2 },
      { 'retention.bytes': 1.5 },
      { 'max.message.bytes': '1' },
      { 'cleanup.policy': 'forever' },
      { 'message.timestamp.type': 'Now' },
      { 'flush.messages': 0 },
      { 'segment.byte': 1 },
      JSON.parse('{"__proto__": 1}'),
    ]
    for (const config of bad) expect(() => resolveLogConfig(config)).toThrow(code('INVALID_CONFIG'))
    expect(() => resolveLogConfig(null as never)).toThrow(code('INVALID_CONFIG'))
  })
})

import { describe, expect, it } from 'vitest'
import {
  CoordinationError,
  codeFromNumeric,
  ERROR_CODES,
  fromCode,
  InvalidArgumentError,
  isLogkeeperError,
  KafkaError,
  LogkeeperError,
} from '../../src/common/errors.js'

describe('errors', () => {
  it('carries code, numeric code, retriability and cause', () => {
    const cause = new Error('disk')
    const err = fromCode('NOT_ENOUGH_REPLICAS', 'only 1 in sync', { cause })
    expect(err).toBeInstanceOf(KafkaError)
    expect(err).toBeInstanceOf(LogkeeperError)
    expect(err.code).toBe('NOT_ENOUGH_REPLICAS')
    expect(err.kafkaCode).toBe(19)
    expect(err.zookeeperCode).toBeUndefined()
    expect(err.retriable).toBe(true)
    expect(err.cause).toBe(cause)
    expect(err.name).toBe('KafkaError')
  })

  it('maps ZooKeeper codes to CoordinationError', () => {
    const err = fromCode('NO_NODE')
    expect(err).toBeInstanceOf(CoordinationError)
    expect(err.zookeeperCode).toBe(-101)
    expect(err.message).toBe('NO_NODE')
    expect(fromCode('INVALID_ARGUMENT')).toBeInstanceOf(InvalidArgumentError)
    expect(fromCode('CLOSED').family).toBe('client')
  })

  it('looks codes up by number, both ways, for every numbered code', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      if (spec.family === 'client') continue
      expect(codeFromNumeric(spec.family, spec.numeric as number)).toBe(code)
    }
    expect(codeFromNumeric('kafka', 9999)).toBeUndefined()
  })

  it('tests codes with isLogkeeperError', () => {
    expect(isLogkeeperError(fromCode('BAD_VERSION'), 'BAD_VERSION')).toBe(true)
    expect(isLogkeeperError(fromCode('BAD_VERSION'), 'NO_NODE')).toBe(false)
    expect(isLogkeeperError(new Error('x'))).toBe(false)
  })
})

/**
 * The records of `__consumer_offsets` byte for byte, as Kafka's GroupMetadataManager writes
 * them (schemas OffsetCommitKey v1, OffsetCommitValue v3, GroupMetadataKey v2,
 * GroupMetadataValue v3), older value versions read back, and the group's partition as
 * Kafka computes it (`Utils.abs(String.hashCode) % n`).
 */
import { describe, expect, it } from 'vitest'
import { javaStringHashCode, partitionFor } from '../../../src/broker/group/partition-for.js'
import {
  decodeGroupValue,
  decodeKey,
  decodeOffsetValue,
  encodeGroupKey,
  encodeGroupValue,
  encodeOffsetKey,
  encodeOffsetValue,
} from '../../../src/broker/group/schemas.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('__consumer_offsets records', () => {
  it('OffsetCommitKey v1: version, group, topic, partition', () => {
    const key = encodeOffsetKey('g', 't', 1)
    expect(hex(key)).toBe('0001' + '000167' + '000174' + '00000001')
    expect(decodeKey(key)).toEqual({ type: 'offset', group: 'g', topic: 't', partition: 1 })
    // Version 0 has the same fields.
    expect(decodeKey(Buffer.from('0000000167000174' + '00000002', 'hex'))).toMatchObject({
      partition: 2,
    })
  })

  it('OffsetCommitValue v3: offset, leader epoch, metadata, commit timestamp', () => {
    const v = { offset: 100, leaderEpoch: 5, metadata: 'md', commitTimestamp: 1_700_000_000_000 }
    const bytes = encodeOffsetValue(v)
    expect(hex(bytes)).toBe(
      '0003' + '0000000000000064' + '00000005' + '00026d64' + '0000018bcfe56800',
    )
    expect(decodeOffsetValue(bytes)).toEqual(v)
    // v1 (with an expire timestamp) and v0 read back with leader epoch -1.
    const v1 = Buffer.from(
      '0001' + '0000000000000007' + '0000' + '0000000000000001' + '0000000000000002',
      'hex',
    )
    expect(decodeOffsetValue(v1)).toEqual({
      offset: 7,
      leaderEpoch: -1,
      metadata: '',
      commitTimestamp: 1,
    })
  })

  it('GroupMetadataKey v2: version, group', () => {
    expect(hex(encodeGroupKey('grp'))).toBe('0002' + '0003677270')
    expect(decodeKey(encodeGroupKey('grp'))).toEqual({ type: 'group', group: 'grp' })
  })

  it('GroupMetadataValue v3: protocol type, generation, protocol, leader, state timestamp, members', () => {
    const value = {
      protocolType: 'consumer',
      generation: 2,
      protocol: 'range',
      leader: 'm',
      currentStateTimestamp: 1,
      members: [
        {
          memberId: 'm',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: 'h',
          rebalanceTimeoutMs: 300_000,
          sessionTimeoutMs: 10_000,
          subscription: Uint8Array.from([0xaa]),
          assignment: Uint8Array.from([0xbb, 0xcc]),
        },
      ],
    }
    const bytes = encodeGroupValue(value)
    expect(hex(bytes)).toBe(
      '0003' +
        '0008' +
        Buffer.from('consumer').toString('hex') +
        '00000002' +
        '0005' +
        Buffer.from('range').toString('hex') +
        '00016d' +
        '0000000000000001' +
        '00000001' +
        '00016d' + // member id
        'ffff' + // group instance id: null
        '000163' + // client id
        '000168' + // client host
        '000493e0' + // rebalance timeout 300000
        '00002710' + // session timeout 10000
        '00000001aa' +
        '00000002bbcc',
    )
    expect(decodeGroupValue(bytes)).toEqual(value)
    // An empty group: no protocol, no leader, no members.
    const empty = { ...value, protocolType: '', protocol: null, leader: null, members: [] }
    expect(hex(encodeGroupValue(empty))).toBe(
      '0003' + '0000' + '00000002' + 'ffff' + 'ffff' + '0000000000000001' + '00000000',
    )
    expect(decodeGroupValue(encodeGroupValue(empty))).toEqual(empty)
  })

  it('refuses unknown versions and short records as CORRUPT_MESSAGE', () => {
    expect(() => decodeKey(Buffer.from('0003', 'hex'))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    )
    expect(() => decodeOffsetValue(Buffer.from('000300', 'hex'))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    )
  })
})

describe('the partition of a group', () => {
  it('uses Java String.hashCode and Utils.abs (n & 0x7fffffff)', () => {
    expect(javaStringHashCode('')).toBe(0)
    expect(javaStringHashCode('abc')).toBe(96354)
    expect(javaStringHashCode('hello')).toBe(99162322)
    // Integer.MIN_VALUE: Math.abs would keep it negative; Utils.abs makes it 0.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648)
    expect(partitionFor('polygenelubricants', 50)).toBe(0)
    expect(partitionFor('hello', 50)).toBe(99162322 % 50)
    // A negative hash: 'my-group' is -1906497762, so partition (2^31 - 1906497762) % 50 = 36.
    expect(javaStringHashCode('my-group')).toBe(-1906497762)
    expect(partitionFor('my-group', 50)).toBe(36)
  })
})

// ConsumerProtocolSubscription / ConsumerProtocolAssignment bytes, built by hand from Kafka's
// JSON schemas (clients/src/main/resources/common/message/ConsumerProtocol*.json) and from
// kafkajs' fixtures (src/consumer/__tests__/fixtures/roundRobinAssigner); cases follow Kafka's
// ConsumerProtocolTest.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../../src/broker/protocol/consumer-protocol.js'
import { parse, tp } from '../../consumer/assignors/helpers.js'

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')
const str = (s: string) => Buffer.from(s).toString('hex')
const i16 = (n: number) => (n & 0xffff).toString(16).padStart(4, '0')
const i32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0')
const s16 = (s: string) => i16(Buffer.byteLength(s)) + str(s)

// Kafka's ConsumerProtocolTest subscription: topics foo, bar; user data "hello"; owned foo-0,
// bar-0; generation 1; rack rack-a. Kafka writes topics and owned partitions sorted.
const TOPICS = i32(2) + s16('bar') + s16('foo')
const HELLO = i32(5) + str('hello')
const OWNED = i32(2) + s16('bar') + i32(1) + i32(0) + s16('foo') + i32(1) + i32(0)
const SUBSCRIPTION_BYTES = [
  i16(0) + TOPICS + HELLO,
  i16(1) + TOPICS + HELLO + OWNED,
  i16(2) + TOPICS + HELLO + OWNED + i32(1),
  i16(3) + TOPICS + HELLO + OWNED + i32(1) + s16('rack-a'),
].map(hex)
const SUBSCRIPTION = {
  topics: ['foo', 'bar'],
  userData: Buffer.from('hello'),
  ownedPartitions: [tp('foo', 0), tp('bar', 0)],
  generationId: 1,
  rackId: 'rack-a',
}

// kafkajs' fixtures (memberMetadata.json, memberAssignment.json)
const KAFKAJS_METADATA_V1 = Buffer.from([
  0, 1, 0, 0, 0, 1, 0, 10, 116, 111, 112, 105, 99, 45, 116, 101, 115, 116, 0, 0, 0, 0,
])
const KAFKAJS_ASSIGNMENT_V1 = Buffer.from([
  0, 1, 0, 0, 0, 1, 0, 10, 116, 111, 112, 105, 99, 45, 116, 101, 115, 116, 0, 0, 0, 6, 0, 0, 0, 2,
  0, 0, 0, 5, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0,
])

const malformed = expect.objectContaining({ code: 'INCONSISTENT_GROUP_PROTOCOL', numeric: 23 })

describe('ConsumerProtocolSubscription', () => {
  it.each([0, 1, 2, 3])('serializeDeserializeSubscriptionAllVersions: v%i bytes', (version) => {
    const bytes = encodeSubscription(SUBSCRIPTION, version)
    expect(bytes.toString('hex')).toBe(SUBSCRIPTION_BYTES[version]!.toString('hex'))
    const back = decodeSubscription(bytes)
    expect(back.version).toBe(version)
    expect(back.topics).toEqual(['bar', 'foo'])
    expect(back.userData).toEqual(Buffer.from('hello'))
    expect(back.ownedPartitions).toEqual(version >= 1 ? parse('bar-0, foo-0') : [])
    expect(back.generationId).toBe(version >= 2 ? 1 : -1)
    expect(back.rackId).toBe(version >= 3 ? 'rack-a' : null)
  })

  it('serializeDeserializeNullSubscriptionUserData: null user data is length -1', () => {
    const bytes = encodeSubscription({ topics: ['foo', 'bar'] }, 0)
    expect(bytes.toString('hex')).toBe(i16(0) + TOPICS + i32(-1))
    expect(decodeSubscription(bytes).userData).toBeNull()
    const v3 = encodeSubscription({ topics: ['foo', 'bar'] })
    expect(v3.toString('hex')).toBe(i16(3) + TOPICS + i32(-1) + i32(0) + i32(-1) + i16(-1))
    expect(decodeSubscription(v3)).toEqual({
      version: 3,
      topics: ['bar', 'foo'],
      userData: null,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    })
  })

  it('serializeSubscriptionShouldOrderTopics and ...OrderOwnedPartitions', () => {
    const a = encodeSubscription({ topics: ['foo', 'bar'], ownedPartitions: parse('foo-1, bar-2') })
    const b = encodeSubscription({ topics: ['bar', 'foo'], ownedPartitions: parse('bar-2, foo-1') })
    expect(a).toEqual(b)
  })

  it('deserializeNewSubscriptionWithOldVersion: an empty rack reads as none', () => {
    const bytes = encodeSubscription({ ...SUBSCRIPTION, rackId: '' })
    expect(decodeSubscription(bytes).rackId).toBeNull()
  })

  it('deserializeFutureSubscriptionVersion: v100 with an extra field reads as v3', () => {
    const bytes = hex(
      i16(100) + i32(1) + s16('topic') + i32(0) + i32(1) + s16('bar') + i32(1) + i32(2),
    )
    const future = Buffer.concat([bytes, hex(i32(1) + s16('rack-a') + s16('extra field'))])
    const s = decodeSubscription(future)
    expect(s).toMatchObject({ version: 3, topics: ['topic'], generationId: 1, rackId: 'rack-a' })
    expect(s.ownedPartitions).toEqual([tp('bar', 2)])
    expect(s.userData).toEqual(Buffer.alloc(0))
  })

  it('reads kafkajs’ member metadata at version 0; its v1 fixture lacks owned partitions', () => {
    const v0 = Buffer.from(KAFKAJS_METADATA_V1)
    v0[1] = 0
    expect(decodeSubscription(v0)).toMatchObject({ topics: ['topic-test'], ownedPartitions: [] })
    expect(encodeSubscription({ topics: ['topic-test'], userData: Buffer.alloc(0) }, 0)).toEqual(v0)
    // Kafka's reader, too, runs out of bytes looking for v1's OwnedPartitions
    expect(() => decodeSubscription(KAFKAJS_METADATA_V1)).toThrow(malformed)
  })

  it('rejects a negative version, negative lengths and truncation with a coded error', () => {
    expect(() => decodeSubscription(hex(i16(-1) + i32(0) + i32(-1)))).toThrow(malformed)
    expect(() => decodeSubscription(hex(i16(0) + i32(-1) + i32(-1)))).toThrow(malformed)
    expect(() => decodeSubscription(hex(i16(0) + i32(1) + i16(-1) + i32(-1)))).toThrow(malformed)
    expect(() => decodeSubscription(hex(i16(0) + i32(0) + i32(-2)))).toThrow(malformed)
    expect(() => decodeSubscription(hex(i16(0) + i32(1000) + i32(-1)))).toThrow(malformed)
    expect(() => decodeSubscription(Buffer.alloc(0))).toThrow(malformed)
    expect(() => decodeSubscription('x' as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() => encodeSubscription({ topics: [] }, 4)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
  })
})

describe('ConsumerProtocolAssignment', () => {
  it('decodes and re-encodes kafkajs’ assignment fixture byte for byte', () => {
    const a = decodeAssignment(KAFKAJS_ASSIGNMENT_V1)
    expect(a).toEqual({
      version: 1,
      partitions: [2, 5, 4, 1, 3, 0].map((p) => tp('topic-test', p)),
      userData: Buffer.alloc(0),
    })
    expect(encodeAssignment(a, 1)).toEqual(KAFKAJS_ASSIGNMENT_V1)
  })

  it.each([0, 1, 2, 3])('serializeDeserializeAssignmentAllVersions: v%i', (version) => {
    const bytes = encodeAssignment(
      { partitions: parse('foo-1, bar-2'), userData: Buffer.from('hello') },
      version,
    )
    expect(bytes.toString('hex')).toBe(
      i16(version) + i32(2) + s16('foo') + i32(1) + i32(1) + s16('bar') + i32(1) + i32(2) + HELLO,
    )
    expect(decodeAssignment(bytes)).toEqual({
      version,
      partitions: parse('foo-1, bar-2'),
      userData: Buffer.from('hello'),
    })
  })

  it('groups partitions by topic in order of first appearance, as Kafka does', () => {
    const bytes = encodeAssignment({ partitions: parse('a-1, b-0, a-0') })
    expect(bytes.toString('hex')).toBe(
      i16(3) + i32(2) + s16('a') + i32(2) + i32(1) + i32(0) + s16('b') + i32(1) + i32(0) + i32(-1),
    )
    expect(decodeAssignment(bytes).partitions).toEqual(parse('a-1, a-0, b-0'))
  })

  it('deserializeNullAssignmentUserData and deserializeFutureAssignmentVersion', () => {
    expect(decodeAssignment(encodeAssignment({ partitions: [] })).userData).toBeNull()
    const future = hex(i16(100) + i32(1) + s16('foo') + i32(1) + i32(1) + i32(0) + s16('bar'))
    expect(decodeAssignment(future)).toEqual({
      version: 3,
      partitions: [tp('foo', 1)],
      userData: Buffer.alloc(0),
    })
  })

  it('rejects truncated and negative-length bytes with a coded error', () => {
    expect(() => decodeAssignment(Buffer.alloc(0))).toThrow(malformed)
    expect(() => decodeAssignment(hex(i16(0) + i32(-1) + i32(-1)))).toThrow(malformed)
    expect(() => decodeAssignment(hex(i16(0) + i32(1) + s16('a') + i32(-1)))).toThrow(malformed)
  })
})

const tpArb = fc.record({
  topic: fc.string({ maxLength: 12 }),
  partition: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
})
const userDataArb = fc.option(fc.uint8Array({ maxLength: 20 }).map((u) => Buffer.from(u)))

describe('consumer protocol properties', () => {
  it('a subscription round-trips at every version (topics and owned partitions sorted)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }),
        userDataArb,
        fc.array(tpArb, { maxLength: 8 }),
        fc.integer({ min: -1, max: 2 ** 31 - 1 }),
        fc.option(fc.string({ minLength: 1, maxLength: 8 })),
        fc.integer({ min: 0, max: 3 }),
        (topics, userData, owned, generationId, rackId, version) => {
          const s = { topics, userData, ownedPartitions: owned, generationId, rackId }
          const back = decodeSubscription(encodeSubscription(s, version))
          expect(back.version).toBe(version)
          expect(back.topics).toEqual([...topics].sort())
          expect(back.userData).toEqual(userData)
          const sortedOwned = [...owned].sort((a, b) =>
            a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition,
          )
          expect(back.ownedPartitions).toEqual(version >= 1 ? sortedOwned : [])
          expect(back.generationId).toBe(version >= 2 ? generationId : -1)
          expect(back.rackId).toBe(version >= 3 ? rackId : null)
        },
      ),
    )
  })

  it('an assignment round-trips, grouped by topic', () => {
    fc.assert(
      fc.property(fc.array(tpArb, { maxLength: 10 }), userDataArb, (partitions, userData) => {
        const back = decodeAssignment(encodeAssignment({ partitions, userData }))
        const topics = [...new Set(partitions.map((p) => p.topic))]
        expect(back.partitions).toEqual(
          topics.flatMap((t) => partitions.filter((p) => p.topic === t)),
        )
        expect(back.userData).toEqual(userData)
      }),
    )
  })

  it('every strict prefix of an encoding is refused with a coded error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
        fc.array(tpArb, { maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        (topics, owned, version, cut) => {
          const sub = encodeSubscription({ topics, ownedPartitions: owned }, version)
          expect(() => decodeSubscription(sub.subarray(0, cut % sub.length))).toThrow(malformed)
          const asg = encodeAssignment({ partitions: owned }, version)
          expect(() => decodeAssignment(asg.subarray(0, cut % asg.length))).toThrow(malformed)
        },
      ),
    )
  })

  it('arbitrary bytes decode or fail with INCONSISTENT_GROUP_PROTOCOL, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const decode of [decodeSubscription, decodeAssignment]) {
          try {
            decode(bytes)
          } catch (err) {
            expect(err).toMatchObject({ code: 'INCONSISTENT_GROUP_PROTOCOL' })
          }
        }
      }),
      { numRuns: 500 },
    )
  })
})

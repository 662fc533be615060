/**
 * Kafka's znode JSON, byte for byte where Kafka fixes it, read back through a coordinator
 * client; malformed data is refused with DATA_INCONSISTENCY.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { decodeBrokerRegistration } from '../../src/broker/zk/broker-registration.js'
import { decodeConfigChange, decodeTopicConfig } from '../../src/broker/zk/config-znodes.js'
import { decodeControllerEpoch } from '../../src/broker/zk/controller-znodes.js'
import { decodeIsrChange, decodeProducerIdBlock } from '../../src/broker/zk/misc-znodes.js'
import { decodePartitionState, decodeTopicAssignment } from '../../src/broker/zk/topic-znodes.js'
import type { Cluster } from '../../src/cluster.js'
import { readJson, virtualCluster } from '../cluster/helpers.js'

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

describe('znodes written by the brokers', () => {
  it('/brokers/ids/<id>: ephemeral, in the registration JSON of Kafka', async () => {
    cluster = await virtualCluster(2)
    const zk = cluster.coordinator.connect()
    expect((await zk.getChildren('/brokers/ids')).sort()).toEqual(['0', '1'])
    const { data, stat } = await zk.getData('/brokers/ids/1')
    expect(stat.ephemeralOwner).toBe(cluster.brokers[1]!.sessionId)
    expect(data?.toString()).toBe(
      `{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://logkeeper-1:9093"],"jmx_port":-1,"host":"logkeeper-1","port":9093,"timestamp":"${cluster.clock.now()}","version":4}`,
    )
    const id = (await readJson(zk, '/cluster/id')) as { version: string; id: string }
    expect(id.version).toBe('1')
    expect(id.id).toBe(cluster.brokers[0]!.clusterId)
    for (const path of [
      '/brokers/topics',
      '/config/topics',
      '/config/changes',
      '/admin/delete_topics',
      '/isr_change_notification',
    ]) {
      expect(await zk.exists(path), path).not.toBeNull()
    }
    await zk.close()
  })
})

describe('parsing refuses malformed data', () => {
  const bytes = (s: string) => Buffer.from(s)
  const cases: [string, () => unknown][] = [
    ['not JSON', () => decodeTopicAssignment('/p', bytes('{'))],
    ['no data', () => decodeTopicAssignment('/p', null)],
    [
      'a gap in partitions',
      () => decodeTopicAssignment('/p', bytes('{"version":2,"partitions":{"1":[0]}}')),
    ],
    [
      'empty replicas',
      () => decodeTopicAssignment('/p', bytes('{"version":2,"partitions":{"0":[]}}')),
    ],
    [
      'unknown version',
      () =>
        decodePartitionState(
          '/p',
          bytes('{"version":9,"leader":0,"leader_epoch":0,"isr":[0],"controller_epoch":1}'),
        ),
    ],
    [
      'isr not integers',
      () =>
        decodePartitionState(
          '/p',
          bytes('{"version":1,"leader":0,"leader_epoch":0,"isr":["0"],"controller_epoch":1}'),
        ),
    ],
    [
      'broker without host',
      () =>
        decodeBrokerRegistration(
          '/p',
          0,
          bytes('{"version":4,"port":1,"endpoints":[],"timestamp":"1"}'),
        ),
    ],
    ['epoch not a number', () => decodeControllerEpoch('/p', bytes('one'))],
    [
      'config value not a string',
      () => decodeTopicConfig('/p', bytes('{"version":1,"config":{"a":1}}')),
    ],
    [
      'entity path without a name',
      () => decodeConfigChange('/p', bytes('{"version":2,"entity_path":"topics/"}')),
    ],
    ['isr change not a list', () => decodeIsrChange('/p', bytes('{"version":1,"partitions":{}}'))],
    [
      'block end before start',
      () =>
        decodeProducerIdBlock(
          '/p',
          bytes('{"version":1,"broker":0,"block_start":"9","block_end":"1"}'),
        ),
    ],
  ]
  for (const [what, fn] of cases) {
    it(what, () => {
      expect(fn).toThrow(expect.objectContaining({ code: 'DATA_INCONSISTENCY' }))
    })
  }

  it('reads what Kafka writes', () => {
    expect(
      decodeTopicAssignment(
        '/p',
        bytes(
          '{"version":2,"partitions":{"1":[2,0],"0":[1,2]},"adding_replicas":{},"removing_replicas":{}}',
        ),
      ),
    ).toEqual([
      [1, 2],
      [2, 0],
    ])
    expect(
      decodePartitionState(
        '/p',
        bytes('{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2]}'),
      ),
    ).toEqual({
      controllerEpoch: 1,
      leader: 1,
      leaderEpoch: 0,
      isr: [1, 2],
    })
    expect(
      decodeProducerIdBlock(
        '/p',
        bytes('{"version":1,"broker":0,"block_start":"0","block_end":"999"}'),
      ),
    ).toEqual({
      brokerId: 0,
      start: 0,
      end: 999,
    })
  })
})
